"""classify() and decide() against the plain-Python oracle, over every layout."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import csvbackup as cb
import csvbackup.decision as decision_mod
import oracle
from isa_levels import LEVELS, running_on
from strategies import LAYOUTS, catalogs, lay_out, oracle_args

ARGUMENT_OF_KIND = {"mask": "masks", "type": "backup_type", "entry": "entry_flags",
                    "mtime": "mtimes", "differenced_since": "differenced_since",
                    "needs_since": "since", "needs_mtime": "mtimes"}
DTYPES = {"masks": np.uint32, "backup_type": np.uint8, "entry_flags": np.uint8,
          "mtimes": np.int64, "differenced_since": np.int64}


def as_arrays(cat, layout):
    kw = {}
    for name, value in cat.items():
        kw[name] = lay_out(value, DTYPES[name], layout) if isinstance(value, list) else value
    return kw


def check(cat, layout, **extra):
    expected = oracle.classify(**oracle_args(cat))
    kw = as_arrays(cat, layout)
    if isinstance(expected, tuple):
        kind, index = expected
        with pytest.raises(cb.InvalidRowError) as info:
            cb.classify(**kw, **extra)
        assert (info.value.argument, info.value.index) == (ARGUMENT_OF_KIND[kind], index), str(info.value)
        assert ("needs" in str(info.value)) == kind.startswith("needs")
        return
    got = cb.classify(**kw, **extra)
    assert got.dtype == np.uint8 and got.shape == (len(cat["masks"]),)
    assert got.tolist() == expected


@given(catalogs(), st.sampled_from(LAYOUTS))
def test_valid_catalogs_match_oracle(cat, layout):
    check(cat, layout)


@given(catalogs(valid=False), st.sampled_from(LAYOUTS))
def test_invalid_catalogs_raise_like_oracle(cat, layout):
    check(cat, layout)


@given(catalogs(valid=False, max_rows=300), st.sampled_from([1, 7, 64]),
       st.sampled_from([1, 2]), st.sampled_from([None, 5, 64]))
def test_threads_and_chunks_match_oracle(cat, grain, threads, chunk):
    """Small grains force the row range to be split across threads; small chunks force the
    chunked conversion path; neither may change a decision or the error reported."""
    old = decision_mod.GRAIN_ROWS, decision_mod.CHUNK_ROWS
    decision_mod.GRAIN_ROWS = grain
    decision_mod.CHUNK_ROWS = chunk or old[1]
    try:
        check(cat, "strided" if chunk else "native", threads=threads)
    finally:
        decision_mod.GRAIN_ROWS, decision_mod.CHUNK_ROWS = old


@pytest.mark.parametrize("level", LEVELS)
@settings(max_examples=60)
@given(cat=st.one_of(catalogs(min_rows=64, max_rows=400),
                     catalogs(valid=False, min_rows=64, max_rows=400)),
       layout=st.sampled_from(["native", "strided"]))
def test_every_kernel_clone_matches_oracle(level, cat, layout):
    """Each instruction-set clone (the AVX-512 one works 64 rows at a time) gives the
    oracle's decisions and errors."""
    with running_on(level):
        check(cat, layout)


def test_this_cpu_runs_several_levels():
    assert "baseline" in LEVELS and cb.kernel_isa() == LEVELS[-1]


@given(st.integers(0, 0x1FFFF), st.integers(0, 7), st.integers(0, 9),
       st.one_of(st.none(), st.integers(990, 1010)), st.one_of(st.none(), st.just(1000)),
       st.sampled_from([0, 999, 1001, 5]))
def test_decide_matches_oracle(mask, btype, entry, mtime, since, ds):
    try:
        expected = oracle.decide(mask, btype, entry, mtime, since, ds)
    except oracle.RowError as e:
        with pytest.raises(cb.InvalidRowError) as info:
            cb.decide(mask, btype, entry=entry, mtime=mtime, since=since, differenced_since=ds)
        assert info.value.index is None
        assert ("needs" in str(info.value)) == e.kind.startswith("needs")
        return
    got = cb.decide(mask, btype, entry=entry, mtime=mtime, since=since, differenced_since=ds)
    assert isinstance(got, cb.Decision) and int(got) == expected


@given(st.lists(st.integers(1, 6), max_size=30), st.lists(st.integers(0, 0xFFFF), max_size=30))
def test_effective_backup_type_matches_oracle(requested, schemas):
    n = min(len(requested), len(schemas))
    requested, schemas = requested[:n], schemas[:n]
    got = cb.effective_backup_type(np.array(requested, np.uint8), np.array(schemas, np.uint32))
    assert got.tolist() == [oracle.effective_type(r, s) for r, s in zip(requested, schemas, strict=True)]
    for r, s in zip(requested, schemas, strict=True):
        assert cb.effective_backup_type(r, s) == oracle.effective_type(r, s)


@given(st.lists(st.integers(0, 0xFFFFFFFF), max_size=80), st.booleans(),
       st.sampled_from(LAYOUTS))
def test_validate_masks_matches_definition(masks, express, layout):
    bad = ~0x10F0F | (0xE if express else 0)
    expected = [i for i, m in enumerate(masks) if m & bad]
    got = cb.validate_masks(lay_out(masks, np.uint32, layout), express=express)
    assert got.dtype == np.intp and got.tolist() == expected
