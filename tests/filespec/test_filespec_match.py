r"""FileSpecSet.match: the documented rules case by case, every string input, bad input.

The hypothesis comparison with the plain-Python reference matcher is in
test_filespec_oracle_agreement.py.
"""
import numpy as np
import pytest

import csvbackup as cb
from csvbackup import _csvcore

pa = pytest.importorskip("pyarrow")

INC, EXC, SNAP = cb.FileRole.FILE_LIST, cb.FileRole.EXCLUDE, cb.FileRole.EXCLUDE_FROM_SNAPSHOT


def one(filespec, name, *, recursive=False, path=r"C:\D"):
    """Does a single file set (path, filespec) claim path\name?"""
    s = cb.FileSpecSet([cb.FileSpec(path, filespec, recursive)])
    return bool(s.match([path + "\\" + name]).mask[0])


# --- vss-filespec.md section 2.3, the consequences table, row by row ---
@pytest.mark.parametrize("filespec, matches, misses", [
    ("*", ["README", "a.txt", ".x"], []),
    ("*.*", ["README", "a.txt"], []),
    ("*.", ["README", "three."], ["a.txt"]),
    ("*. ", ["README", "a.txt"], []),
    ("*..", ["README"], ["a.txt"]),
    ("?.", ["a"], ["ab", "a.b"]),
    ("*a ", ["data", "a"], ["ab"]),
    ("*.log ", ["x.log"], ["x.log.1"]),
    ("default.", ["default"], ["default.log"]),
    ("Perfc???.dat", ["Perfc.dat", "Perfc0.dat", "Perfc009.dat"], ["Perfc0090.dat"]),
    ("a?", ["a", "ab"], ["abc"]),
    ("temp*.*", ["temp", "temp1.txt"], []),
    ("*.ost", ["a.ost", "A.OST"], ["a.ost.bak"]),
    ("default", ["DEFAULT", "default"], ["default.LOG"]),
])
def test_reference_consequences_table(filespec, matches, misses):
    for name in matches:
        assert one(filespec, name), (filespec, name)
    for name in misses:
        assert not one(filespec, name), (filespec, name)


@pytest.mark.parametrize("filespec, translated", [
    ("", "*"), ("*", "*"), ("*.*", "*"), ("*.", "<"), ("a.?", 'a">'), ("a.*", 'a"*'),
    ("a.b", "a.b"), ("Perfc???.dat", "Perfc>>>.dat"), ("a.", "a"), ("*.*.*", '<"<"*'),
    # FindFirstFileExW removes trailing dots and spaces first (vss-filespec.md section 2.3)
    ("*. ", "*"), ("*..", "<"), ("?.", ">"), ("*a ", "*a"), ("*.log ", "<.log"), ("*.*.", "*"),
    ("...", ""), ("*.log", "<.log"),
])
def test_translate_win32_expression(filespec, translated):
    assert _csvcore.translate_filespec(filespec) == translated


@pytest.mark.parametrize("expr, name, expected", [
    ("<", "A.B.C", False), ("<.C", "A.B.C", True), ("<", "ABC", True),
    ('A"*', "A", True), ('A"*', "A.TXT", True), ('A"*', "AB", False),
    (">>", "", False), ("*", "", False), ("", "", True), (">.>", "A.", True),
    (">>>", "AB.C", False),
    # DOS_STAR may take the name's last '.' as the last unit it takes (ReactOS
    # FsRtlExpression.c, .NET FileSystemNameTests.cs: recorded in tests/data/wildcards)
    ("AB<EXE", "AB.EXE", True), ("A.B<EXE", "A.BCD.EXE", True), ("<", "A.", True),
    ("FOO<", "FOO.", True), ("<<", "A.B", True), ("<", "A. ", False), ("<", "A.B", False),
    # DOS_QM at a '.' ending the name (Wine ntdll directory.c)
    (">", "A.", False), (">>", "A.", True), (">", ".", True), ("A>", "A.", True),
])
def test_dos_wildcards(expr, name, expected):
    assert _csvcore.dos_match(expr, name) is expected


@pytest.mark.parametrize("raw, canonical", [
    (r"C:\Windows\System32", r"C:\WINDOWS\SYSTEM32"),
    (r"c:/windows//system32\\", r"C:\WINDOWS\SYSTEM32"),
    (r"\\?\C:\x", r"C:\X"),
    (r"\\?\c:", "C:"),
    (r"\\?\UNC\srv\share\f", r"\\SRV\SHARE\F"),
    (r"\\srv\\\share", r"\\SRV\SHARE"),
    (r"//srv/share/", r"\\SRV\SHARE"),
    (r"\\?\Volume{AbC}\x", r"\\?\VOLUME{ABC}\X"),
    ("C:\\\u00e9\u00df\u0131\U0001F600", "C:\\\u00c9\u00dfI\U0001F600"),
    ("\\\\", ""),
])
def test_canonical_paths(raw, canonical):
    assert _csvcore.canonical_path(raw) == (0, canonical)


def test_recursion():
    specs = [cb.FileSpec(r"C:\R", "*.log", True, mask=0x1), cb.FileSpec(r"C:\N", "*.log", mask=0x2)]
    m = cb.FileSpecSet(specs).match([r"C:\R\a.log", r"C:\R\x\y\a.log", r"C:\N\a.log",
                                     r"C:\N\x\a.log", r"C:\Rx\a.log", r"C:\R"])
    assert m.mask.tolist() == [1, 1, 2, 0, 0, 0]
    assert m.spec.tolist() == [0, 0, 1, -1, -1, -1]


def test_mask_is_or_spec_is_first_and_excludes_win():
    specs = [cb.FileSpec(r"C:\D", "*.db", mask=0x1), cb.FileSpec(r"C:\D", "a.*", mask=0x100),
             cb.FileSpec(r"C:\D", "a.db", mask=0, role=EXC),
             cb.FileSpec(r"C:\D", "b.db", mask=0, role=SNAP)]
    m = cb.FileSpecSet(specs).match([r"C:\D\a.db", r"C:\D\b.db", r"C:\D\a.txt", r"C:\E\a.db"])
    assert m.mask.tolist() == [0x101, 0x1, 0x100, 0]
    assert m.spec.tolist() == [0, 0, 1, -1]
    assert m.excluded.tolist() == [True, False, False, False]
    assert m.not_in_snapshot.tolist() == [False, True, False, False]
    assert m.entry_flags.tolist() == [cb.EntryFlag.EXCLUDED, 0, 0, 0]


def test_environment_variables():
    specs = [cb.FileSpec(r"%systemroot%\inf", "*"), cb.FileSpec(r"%WinDir%\x", "*"),
             cb.FileSpec(r"%ProgramData%\p", "*"), cb.FileSpec(r"D:\100%\q", "*")]
    s = cb.FileSpecSet(specs, env={"SYSTEMROOT": r"E:\Win"})
    m = s.match([r"E:\Win\inf\a", r"C:\Windows\x\a", r"C:\ProgramData\p\a", r"D:\100%\q\a",
                 r"C:\Windows\inf\a"])
    assert m.spec.tolist() == [0, 1, 2, 3, -1]
    with pytest.raises(cb.FileSpecError, match=r"%NoSuchVar%") as e:
        cb.FileSpecSet([cb.FileSpec(r"%NoSuchVar%\x", "*")])
    assert (e.value.role, e.value.index, e.value.field) == ("includes", 0, "path")


def test_volume_relative_specs():
    spec = cb.FileSpec(r"\System Volume Information\Heat", "*.*", True, mask=0, role=SNAP)
    paths = [r"C:\System Volume Information\Heat\x", r"Z:\System Volume Information\Heat\a\b",
             r"\\?\Volume{1}\System Volume Information\Heat\x"]
    assert cb.FileSpecSet([spec]).match(paths).not_in_snapshot.tolist() == [True, True, False]
    s = cb.FileSpecSet([spec], volume_roots=["\\\\?\\Volume{1}\\", "D:\\"])
    assert s.match(paths).not_in_snapshot.tolist() == [False, False, True]


def test_alternate_paths():
    specs = [cb.FileSpec(r"C:\Data", "*.mdf", True, alternate_path=r"C:\Snap", mask=0x1),
             cb.FileSpec(r"C:\Data\tmp", "*", mask=0, role=EXC),
             cb.FileSpec(r"C:\Snap\b", "*", mask=0, role=EXC)]
    m = cb.FileSpecSet(specs).match([
        r"C:\Snap\a.mdf",       # claimed through the alternate path
        r"C:\Data\a.mdf",       # under the default path: not claimed
        r"C:\Snap\tmp\x.mdf",   # default path C:\Data\tmp\x.mdf is excluded
        r"C:\Snap\b\y.mdf",     # an exclude of the alternate dir itself: not a default path
    ])
    assert m.mask.tolist() == [1, 0, 1, 1]
    assert m.excluded.tolist() == [False, False, True, False]


@pytest.mark.parametrize("spec, field, text", [
    (cb.FileSpec(r"C:\a*b", "*"), "path", "wildcard"),
    (cb.FileSpec(r"C:\a?b", "*"), "path", "wildcard"),
    (cb.FileSpec(r"C:\a", r"x\y"), "filespec", "separator"),
    (cb.FileSpec(r"C:\a", "x/y"), "filespec", "separator"),
    (cb.FileSpec(r"Windows\System32", "*"), "path", "relative"),
    (cb.FileSpec("", "*"), "path", "names no directory"),
    (cb.FileSpec("\\", "*"), "path", "names no directory"),
    (cb.FileSpec("C:\\a\0", "*"), "path", "NUL"),
    (cb.FileSpec(r"C:\a", "*", mask=0x2000), "mask", "VSS_FILE_SPEC_BACKUP_TYPE"),
    (cb.FileSpec(r"C:\a", "*", mask=-1), "mask", "DWORD"),
    (cb.FileSpec(r"C:\a", "*", mask="3855"), "mask", "DWORD"),
    (cb.FileSpec(r"C:\a", "*", alternate_path=r"D:\x", mask=0, role=EXC), "alternate_path",
     "no alternate"),
    (cb.FileSpec(r"C:\a", "*" * 1025), "filespec", "1,024"),
    (cb.FileSpec("C:\\" + "a" * 32767, "*"), "path", "32,767"),
])
def test_bad_specs(spec, field, text):
    with pytest.raises(cb.FileSpecError, match=text) as e:
        cb.FileSpecSet([cb.FileSpec(r"C:\ok", "*"), spec])
    assert e.value.field == field and e.value.index in (0, 1)
    assert isinstance(e.value, ValueError) and e.value.winerror == 87


def test_prefix_volume_guid_path_is_not_a_wildcard():
    s = cb.FileSpecSet([cb.FileSpec(r"\\?\Volume{c7463aba-0000}\Boot", "*", True)])
    assert s.match([r"\\?\volume{C7463ABA-0000}\boot\bcd"]).mask[0] == 0xF0F


PATHS = [r"C:\D\a.txt", None, r"c:/d/B.TXT", r"C:\E\x.txt", "C:\\D\\\u00e9.txt",
         r"\\?\C:\D\z.txt", "C:\\D\\\U0001F600.txt", r"C:\D\noext"]


def _specset():
    return cb.FileSpecSet([cb.FileSpec(r"C:\D", "*.txt", mask=0x1),
                           cb.FileSpec(r"C:\D", "\u00c9.*", mask=0x100)])


def _expected():
    m = _specset().match(PATHS)
    assert m.mask.tolist() == [1, 0, 1, 0, 0x101, 1, 1, 0]
    assert m.status.tolist() == [0, cb.PathStatus.NULL, 0, 0, 0, 0, 0, 0]
    return m


@pytest.mark.parametrize("make", [
    lambda p: tuple(p),
    lambda p: np.array(p, dtype=object),
    lambda p: pa.array(p),
    lambda p: pa.array(p, pa.large_string()),
    lambda p: pa.chunked_array([pa.array(p[:3]), pa.array([], pa.string()), pa.array(p[3:])]),
    lambda p: pa.array(["pad"] + p + ["pad"]).slice(1, len(p)),
    lambda p: pa.array(p).dictionary_encode(),
    lambda p: iter(p),
])
def test_every_input_gives_the_same_rows(make):
    want = _expected()
    got = _specset().match(make(PATHS))
    for field in ("mask", "spec", "excluded", "not_in_snapshot", "status"):
        assert getattr(got, field).tolist() == getattr(want, field).tolist(), field
    assert got.null_count == 1 and got.invalid_count == 0


def test_numpy_str_arrays_including_strided():
    paths = [p for p in PATHS if p is not None]
    want = _specset().match(paths)
    arr = np.array(paths)
    for variant in (arr, np.array([p for p in paths for _ in (0, 1)])[::2], arr.astype("U300")):
        got = _specset().match(variant)
        assert got.mask.tolist() == want.mask.tolist()


def test_bad_rows_are_flagged_never_dropped():
    long_ok = "C:\\D\\" + "a" * (32767 - 5)
    long_bad = long_ok + "b"
    paths = ["C:\\D\\a\0.txt", long_ok, long_bad, "C:\\D\\\ud800.txt", "relative.txt", "",
             "C:\\D\\" + "\U0001F600" * 16382, "C:\\D\\" + "\U0001F600" * 16379 + ".txt"]
    s = cb.FileSpecSet([cb.FileSpec(r"C:\D", "*", mask=0x1)])
    for inp in (paths, np.array(paths, dtype=object)):
        m = s.match(inp)
        assert len(m) == len(paths)
        assert m.status.tolist() == [cb.PathStatus.HAS_NUL, 0, cb.PathStatus.TOO_LONG, 0, 0, 0,
                                     cb.PathStatus.TOO_LONG, 0]
        assert m.mask.tolist() == [0, 1, 0, 1, 0, 0, 0, 1]
        assert m.invalid_count == 3
    m = s.match(pa.array([p for p in paths if "\ud800" not in p]))
    assert m.status.tolist() == [cb.PathStatus.HAS_NUL, 0, cb.PathStatus.TOO_LONG, 0, 0,
                                 cb.PathStatus.TOO_LONG, 0]


@pytest.mark.parametrize("data", [b"C:\\D\\\xff", b"C:\\D\\\xc3", b"C:\\D\\\xc0\xaf",
                                  b"C:\\D\\\xed\xa0\x80", b"C:\\D\\\xf4\x90\x80\x80",
                                  b"C:\\D\\\xe2\x82"])
def test_invalid_utf8_in_arrow_is_flagged(data):
    rows = [b"C:\\D\\ok", data, b"C:\\D\\" + b"x" * 40 + data[5:]]
    offsets = np.cumsum([0] + [len(r) for r in rows]).astype(np.int32)
    arr = pa.Array.from_buffers(pa.string(), len(rows),
                                [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(rows))])
    m = cb.FileSpecSet([cb.FileSpec(r"C:\D", "*", mask=0x1)]).match(arr)
    assert m.status.tolist() == [0, cb.PathStatus.BAD_ENCODING, cb.PathStatus.BAD_ENCODING]
    assert m.mask.tolist() == [1, 0, 0]


def test_type_errors_name_the_index():
    s = _specset()
    with pytest.raises(TypeError, match=r"paths\[2\] is int"):
        s.match([r"C:\a", None, 5])
    with pytest.raises(TypeError, match=r"paths\[1\] is bytes"):
        s.match(np.array([r"C:\a", b"C:\\b"], dtype=object))
    with pytest.raises(TypeError, match="single str"):
        s.match(r"C:\D\a.txt")
    with pytest.raises(TypeError, match="dtype"):
        s.match(np.array([b"C:\\a"]))
    with pytest.raises(ValueError, match="one-dimensional"):
        s.match(np.array([[r"C:\a"]]))
    with pytest.raises(TypeError, match="strings"):
        s.match(pa.array([1, 2]))


def test_object_array_errors_in_a_later_chunk_name_the_global_index(monkeypatch):
    from csvbackup import _strings
    monkeypatch.setattr(_strings, "CHUNK_ROWS", 4)
    arr = np.array([r"C:\a"] * 9 + [3.5], dtype=object)
    with pytest.raises(TypeError, match=r"paths\[9\] is float"):
        _specset().match(arr)
    assert _specset().match(arr[:9]).status.tolist() == [0] * 9


def test_threads_agree_and_chunks_agree(monkeypatch):
    rng = np.random.default_rng(3)
    dirs = [r"C:\D", r"C:\D\sub", r"c:\d\SUB\x", r"C:\E"]
    names = ["a.txt", "b.TXT", "\u00e9.doc", "noext", "c.txt.bak"]
    paths = [dirs[i] + "\\" + names[j] for i, j in zip(rng.integers(4, size=50_000),
                                                      rng.integers(5, size=50_000), strict=True)]
    s = cb.FileSpecSet([cb.FileSpec(r"C:\D", "*.txt", True, mask=0x1),
                        cb.FileSpec(r"C:\D\sub", "*", mask=0, role=EXC)])
    one_thread = s.match(paths, threads=1)
    two = s.match(pa.array(paths), threads=2)
    assert np.array_equal(one_thread.mask, two.mask)
    assert np.array_equal(one_thread.excluded, two.excluded)
    from csvbackup import _strings
    monkeypatch.setattr(_strings, "CHUNK_ROWS", 777)
    assert np.array_equal(s.match(paths, threads=2).mask, one_thread.mask)


def test_writer_metadata_and_duck_typed_specs_are_accepted():
    from collections import namedtuple
    Spec = namedtuple("Spec", "path filespec recursive alternate_path mask role")
    s = cb.FileSpecSet([[Spec(r"C:\D", "*", False, None, 0x1, "FILE_LIST")],
                        Spec(r"C:\D", "x", False, None, 0, "EXCLUDE_FILES")])
    assert len(s.includes) == 1 and len(s.excludes) == 1
    assert s.match([r"C:\D\x"]).excluded[0]
    with pytest.raises(TypeError):
        cb.FileSpecSet("C:\\D")


def test_empty_inputs():
    s = _specset()
    assert len(s.match([])) == 0 and len(s.match(pa.array([], pa.string()))) == 0
    assert len(cb.FileSpecSet([]).match([r"C:\a"])) == 1


# --- short (8.3) names: FindFirstFile matches the long or the short name ---
def test_short_names_claim_as_findfirstfile_does():
    specs = [cb.FileSpec(r"C:\D", "*.htm", mask=0x1), cb.FileSpec(r"C:\D", "*.tmp", role=EXC)]
    paths = [r"C:\D\page.html", r"C:\D\page.html", r"C:\D\a.htm", r"C:\D\report.tmpx",
             r"C:\D\notes.txt"]
    shorts = ["PAGE~1.HTM", None, None, "REPORT~1.TMP", ""]
    for kind in (list, pa.array, lambda x: pa.chunked_array([x[:2], x[2:]]),
                 lambda x: np.array(x, dtype=object)):
        m = cb.FileSpecSet(specs).match(kind(paths), short_names=kind(shorts))
        assert m.mask.tolist() == [1, 0, 1, 0, 0]
        assert m.excluded.tolist() == [False, False, False, True, False]
        assert m.status.tolist() == [0] * 5
    # the short name's column may be cut into chunks elsewhere than the paths'
    m = cb.FileSpecSet(specs).match(pa.chunked_array([paths[:1], paths[1:]]),
                                    short_names=pa.chunked_array([shorts[:3], shorts[3:]]))
    assert m.mask.tolist() == [1, 0, 1, 0, 0]
    assert cb.FileSpecSet(specs).match(paths).mask.tolist() == [0, 0, 1, 0, 0]


@pytest.mark.parametrize("short", ["A\\B", "A/B", "A\0B", "X" * 256])
def test_a_short_name_that_is_not_one_name_is_flagged_not_matched(short):
    m = cb.FileSpecSet([cb.FileSpec(r"C:\D", "*")]).match([r"C:\D\a", r"C:\D\b"],
                                                          short_names=[short, "B~1"])
    assert m.status.tolist() == [cb.PathStatus.BAD_SHORT_NAME, 0] and m.mask.tolist() == [0, 3855]


def test_short_names_must_be_one_per_path():
    s = cb.FileSpecSet([cb.FileSpec(r"C:\D", "*")])
    with pytest.raises(cb.InvalidParameterError, match="short_names has 1 rows; paths has 2"):
        s.match([r"C:\D\a", r"C:\D\b"], short_names=["A~1"])
    with pytest.raises(TypeError, match="short_names"):
        s.match([r"C:\D\a"], short_names="A~1")
