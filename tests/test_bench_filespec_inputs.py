"""The file-spec benchmark's inputs are what they claim (realistic, deterministic) and its
baselines compute csvbackup's masks, so that their timings compare like with like."""

import numpy as np
import pytest

import csvbackup as cb
import filespec_baselines as base
import filespec_inputs as inputs
import filespec_oracle as oracle

pa = pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def paths():
    return inputs.make_paths(3000, seed=5)


def test_paths_are_realistic_and_deterministic(paths):
    assert paths.equals(inputs.make_paths(3000, seed=5))
    assert not paths.equals(inputs.make_paths(3000, seed=6))
    parts = [len(p.split("\\")) for p in paths.to_pylist()]
    assert min(parts) >= 4 and max(parts) <= 10
    s = inputs.make_paths(20_000, seed=5, sorted=True).to_pylist()
    dirs = [p.rsplit("\\", 1)[0].lower() for p in s]
    runs = 1 + sum(a != b for a, b in zip(dirs, dirs[1:], strict=False))
    assert runs == len(set(dirs))  # sorted: each directory's rows are one run


def test_claimed_share_and_agreement(paths):
    specs = inputs.make_specs(50)
    assert len(specs) == 50
    m = cb.FileSpecSet(specs).match(paths)
    assert 0.05 < np.count_nonzero(m.mask) / len(paths) < 0.4
    rows = oracle.match(specs, paths.to_pylist())
    assert m.mask.tolist() == [r.mask for r in rows]
    assert m.excluded.tolist() == [r.excluded for r in rows]
    assert np.array_equal(base.pyarrow_masks(specs, paths), m.mask)
    assert np.array_equal(base.python_re_masks(specs, paths.to_pylist()), m.mask)
    pytest.importorskip("polars")
    assert np.array_equal(base.polars_masks(specs, paths), m.mask)


def test_volume_baseline(paths):
    csvs = inputs.make_csvs(8)
    want = cb.VolumeMap(csvs).lookup(paths)
    assert want.tolist() == oracle.volume_lookup(csvs, paths.to_pylist())
    pytest.importorskip("polars")
    assert np.array_equal(base.polars_volume_lookup(csvs, paths), want)


def test_translate_refuses_what_a_regex_cannot_say():
    with pytest.raises(NotImplementedError):
        base.translate("a.?")
    with pytest.raises(NotImplementedError):
        base.translate("*.")
    assert base.translate("Perfc???.dat") == r"Perfc[^\\/.]{0,3}\.dat"


def test_system_writer_inputs():
    specs = inputs.system_writer_specs()
    assert len(specs) == 18_925 and sum(s.recursive for s in specs) == 13
    wm = cb.WriterMetadata.from_xml(inputs.SYSTEM_WRITER)
    assert [(f.path, f.filespec, f.recursive, f.mask) for f in wm.files] == \
        [(s.path, s.filespec, s.recursive, s.mask) for s in specs]
