"""The match and lookup row loops are built twice: for the baseline instruction set and, with
GCC on x86-64, for x86-64-v3 (32-byte blocks). Both must decide every row alike: on the
benchmark catalogs, on the System Writer, and on hypothesis spec sets in every spelling."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csvbackup as cb
import filespec_inputs as inputs
import filespec_strategies as fst
from csvbackup import _csvcore

pa = pytest.importorskip("pyarrow")
BEST = _csvcore.specset_set_level(-1)
pytestmark = pytest.mark.skipif(BEST == 0, reason="no x86-64-v3 row loops in this build or CPU")
FIELDS = ("mask", "spec", "excluded", "not_in_snapshot", "status")


def at_level(level, fn):
    """fn() with the row loops at `level`, then back to the best."""
    assert _csvcore.specset_set_level(level) == level
    try:
        return fn()
    finally:
        _csvcore.specset_set_level(-1)


def assert_levels_agree(specs, paths, **kw):
    fs = cb.FileSpecSet(specs, **kw)
    base = at_level(0, lambda: fs.match(paths, threads=2))
    best = at_level(BEST, lambda: fs.match(paths, threads=2))
    for field in FIELDS:
        a, b = getattr(base, field), getattr(best, field)
        bad = np.flatnonzero(a != b)
        assert bad.size == 0, (field, int(bad[0]), paths[int(bad[0])])


@pytest.mark.parametrize("accented", [False, True])
def test_benchmark_catalogs_agree(accented):
    specs = inputs.make_specs(50, accented=accented)
    for sorted_ in (False, True):
        assert_levels_agree(specs, inputs.make_paths(200_000, seed=5, sorted=sorted_,
                                                     accented=accented))


def test_system_writer_agrees():
    wm = cb.WriterMetadata.from_xml(inputs.SYSTEM_WRITER)
    assert_levels_agree(wm, inputs.make_system_paths(100_000, seed=2))


def test_volume_lookup_agrees():
    vm = cb.VolumeMap(inputs.make_csvs(8))
    paths = inputs.make_paths(200_000, seed=6)
    base = at_level(0, lambda: vm.lookup(paths, threads=2))
    best = at_level(BEST, lambda: vm.lookup(paths, threads=2))
    assert np.array_equal(base, best)


def test_level_follows_select_isa():
    """CSVBACKUP_ISA / select_isa lower the row loops with the vss.h kernels."""
    try:
        assert _csvcore.select_isa("baseline") and _csvcore.specset_level() == 0
        assert _csvcore.select_isa("auto") and _csvcore.specset_level() == BEST
    finally:
        _csvcore.select_isa("auto")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_spec_sets_agree(data):
    specs = data.draw(st.lists(fst.specs(), min_size=1, max_size=8))
    dirs = sorted({s.path for s in specs} | {s.alternate_path for s in specs if s.alternate_path})
    # long rows: the 32-byte blocks only start at 33 bytes
    paths = data.draw(st.lists(fst.catalog_paths(dirs), min_size=1, max_size=40))
    paths = [p if p is None or len(p) > 40 or "\\" in p[:2] else p + "\\" + "x" * 40 + ".dat"
             if len(p) % 3 == 0 else p for p in paths]
    assert_levels_agree(specs, paths)
    # as UTF-8 too, where rows with non-ASCII characters take the byte path (a row with a lone
    # surrogate has no UTF-8 form)
    utf8 = [p for p in paths if p is None or not any(0xD800 <= ord(c) <= 0xDFFF for c in p)]
    assert_levels_agree(specs, pa.array(utf8, pa.string()))
