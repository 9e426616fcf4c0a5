"""The C matcher against the plain-Python reference matcher (tests/filespec_oracle.py),
written from the documented rules: random names and DOS patterns, random spec sets and
catalogs, every string input, and the real writer metadata."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csvbackup as cb
import filespec_oracle as oracle
import filespec_strategies as fst
import tree
from csvbackup import _csvcore

pa = pytest.importorskip("pyarrow")
WMD = tree.WMD

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def units_str(units):
    return np.array(units, dtype=np.uint16).tobytes().decode("utf-16-le", "surrogatepass")


def fold_str(s):
    return units_str(oracle.fold(oracle.units(s)))


def test_fold_table_is_the_oracle_fold():
    table = np.frombuffer(_csvcore.upcase_table(), dtype=np.uint16)
    want = np.array([oracle.fold_unit(u) for u in range(65536)], dtype=np.uint16)
    assert np.array_equal(table, want)


@SETTINGS
@given(fst.filespecs())
def test_translate_agrees(filespec):
    assert _csvcore.translate_filespec(filespec) == units_str(oracle.translate(filespec))


@SETTINGS
@given(fst.filespecs(), fst.names())
def test_name_matching_agrees(filespec, name):
    expr = fold_str(_csvcore.translate_filespec(filespec))
    want = oracle.name_matches(oracle.fold(oracle.translate(filespec)), oracle.fold(oracle.units(name)))
    assert _csvcore.dos_match(expr, fold_str(name)) is bool(want)


@SETTINGS
@given(st.lists(st.sampled_from(["\\", "/", "a", "B", ".", "?", ":", "C", "UNC", "\u00e9",
                                 "\ud800", "\U0001F600"]), max_size=14).map("".join))
def test_canonical_paths_agree(path):
    status, canon = _csvcore.canonical_path(path)
    want = oracle.canonical(path)
    assert status == oracle.status(path)
    if status == 0:
        assert canon == units_str(want)


def _compare(specs, paths, short_names=None, **kw):
    rows = oracle.match(specs, paths, short_names=short_names, **kw)
    got = cb.FileSpecSet(specs, **kw).match(paths, short_names=short_names)
    assert got.mask.tolist() == [r.mask for r in rows]
    assert got.spec.tolist() == [r.spec for r in rows]
    assert got.excluded.tolist() == [bool(r.excluded) for r in rows]
    assert got.not_in_snapshot.tolist() == [bool(r.not_in_snapshot) for r in rows]
    assert got.status.tolist() == [r.status for r in rows]
    return got


@SETTINGS
@given(st.data())
def test_spec_sets_agree(data):
    specs = data.draw(st.lists(fst.specs(), min_size=1, max_size=8))
    dirs = sorted({s.path for s in specs} | {s.alternate_path for s in specs if s.alternate_path})
    paths = data.draw(st.lists(fst.catalog_paths(dirs), max_size=25))
    got = _compare(specs, paths)
    encodable = [i for i, p in enumerate(paths) if p is None or not _has_surrogate(p)]
    arrow = cb.FileSpecSet(specs).match(pa.array([paths[i] for i in encodable], pa.large_string()))
    assert arrow.mask.tolist() == got.mask[encodable].tolist()
    assert arrow.excluded.tolist() == got.excluded[encodable].tolist()


@SETTINGS
@given(fst.spec_sets())
def test_remapped_excludes_agree(spec_set):
    """Spec sets built around the alternate-path rule: an include with an alternate path,
    an exclude on its default path, and rows under the alternate path (vss-filespec.md 2.5:
    excludes are checked against the remapped default path)."""
    specs, paths = spec_set
    _compare(specs, paths)


def short_names(n):
    """n short names: none (None, ""), 8.3-looking and random ones, and bad ones."""
    bad = st.sampled_from(["a\\b", "a/b", "a\0b", "x" * 256])
    one = st.one_of(st.none(), st.just(""), fst.names(), bad,
                    st.sampled_from(["A~1.B", "AB~1", "B~2.A", "A~1", "README~1.TXT"]))
    return st.lists(one, min_size=n, max_size=n)


@SETTINGS
@given(st.data())
def test_short_names_agree(data):
    """FindFirstFile matches the long or the short name: includes, excludes and the
    alternate-path remap, on every input kind."""
    if data.draw(st.booleans()):
        specs, paths = data.draw(fst.spec_sets())
    else:
        specs = data.draw(st.lists(fst.specs(), min_size=1, max_size=6))
        paths = data.draw(st.lists(fst.catalog_paths(sorted({x.path for x in specs})), max_size=20))
    shorts = data.draw(short_names(len(paths)))
    got = _compare(specs, paths, shorts)
    keep = [i for i, (p, q) in enumerate(zip(paths, shorts, strict=True))
            if not any(x is not None and _has_surrogate(x) for x in (p, q))]
    arrow = cb.FileSpecSet(specs).match(pa.array([paths[i] for i in keep], pa.large_string()),
                                        short_names=pa.array([shorts[i] for i in keep], pa.string()))
    assert arrow.mask.tolist() == got.mask[keep].tolist()
    assert arrow.excluded.tolist() == got.excluded[keep].tolist()
    assert arrow.status.tolist() == got.status[keep].tolist()


def _has_surrogate(s):
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


@SETTINGS
@given(st.data())
def test_sorted_runs_reuse_agree(data):
    """Consecutive rows in one directory reuse the walk: sorted catalogs must agree too."""
    specs = data.draw(st.lists(fst.specs(), min_size=1, max_size=6))
    dirs = sorted({s.path for s in specs})
    paths = sorted(data.draw(st.lists(fst.catalog_paths(dirs), max_size=30)),
                   key=lambda p: (p or "").lower())
    _compare(specs, paths)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from([r"C:\CS\V1", r"C:\CS\V1\in", r"c:/cs/v2",
                                           "\\\\?\\Volume{a}\\", None, "C:\\CS\\Donn\u00e9es",
                                           "C:\\CS\\d\u0131r"]),
                          st.sampled_from([None, "\\\\?\\Volume{b}\\"])),
                max_size=4, unique=True),
       st.lists(st.sampled_from([r"C:\CS\V1\x", r"C:\cs\v1\IN\y", r"C:\CS\V2", r"C:\CS\V10",
                                 "\\\\?\\volume{A}\\f", "\\\\?\\Volume{b}", r"\\?\C:\CS\V1\in",
                                 "", None, "C:\\CS\\V1\\a\0", "C:\\cs\\DONN\u00c9ES\\x",
                                 "C:\\CS\\Donn\u00e9es", "C:\\CS\\DIR\\x", "C:\\CS\\d\u0131r"]),
                max_size=12))
def test_volume_lookup_agrees(volumes, paths):
    try:
        vm = cb.VolumeMap(volumes)
    except cb.InvalidParameterError:
        return  # the same mount point twice, or no mount point: refused at construction
    want = oracle.volume_lookup(volumes, paths)
    assert vm.lookup(paths).tolist() == want
    assert vm.lookup(pa.array(paths, pa.string())).tolist() == want


WMD_FILES = sorted(p for p in WMD.glob("*.wmd.xml"))


@pytest.mark.parametrize("path", WMD_FILES, ids=lambda p: p.name[:2])
def test_real_writer_metadata_agrees(path):
    wm = cb.WriterMetadata.from_xml(path)
    files = wm.files + list(wm.excludes) + list(wm.excludes_from_snapshot)
    if not files:
        pytest.skip("no file sets")
    rng = np.random.default_rng(len(files))
    env = {k: v for k, v in cb.DEFAULT_ENV.items()}
    names = ["a.txt", "README", "x.LOG", "Perfc009.dat", "SAM", "default", "b.ost", "q.xml"]
    paths = []
    for f in files[:: max(1, len(files) // 300)]:
        base = oracle.expand(f.path, env)
        if base.startswith("\\") and not base.startswith("\\\\"):
            base = "C:" + base
        sub = "" if rng.random() < 0.5 else "\\sub"
        literal = f.filespec if "*" not in f.filespec and "?" not in f.filespec else "z"
        paths += [base + sub + "\\" + n for n in names[:3]] + [base + "\\" + literal]
    _compare(files, paths)
