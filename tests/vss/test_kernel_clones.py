"""The C kernels agree with each other to the bit: every instruction-set clone with the
portable kernel (decisions and status words, invalid rows included), and the scalar
csvb_decide_row with the batch kernels. Called through the private core, as a native
engine would call the C API."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csvbackup import _csvcore as C
from isa_levels import LEVELS, running_on


def run(level, *args):
    with running_on(level):
        out = np.full(args[0].shape[0], 0xEE, np.uint8)
        status, firsts = C.classify_into(*args[:8], out, 1, 1 << 16)
        return out, status, firsts


@st.composite
def raw_batches(draw):
    n = draw(st.integers(0, 300))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    masks = rng.choice(np.array([0xF0F, 0x101, 0x808, 0x10F0F, 0, 0x404, 0x202, 0x20000,
                                 0x80000000], np.uint32), n)
    types = rng.choice(np.array([1, 2, 3, 4, 5, 6, 0, 7, 17, 255], np.uint8), n)
    entries = rng.choice(np.array([0, 0, 1, 2, 4, 6, 8, 0xF0], np.uint8), n)
    mtimes = rng.choice(np.array([0, 999, 1000, 1001, -5, 2**62], np.int64), n)
    ds = rng.choice(np.array([0, 0, 998, 1002, -1], np.int64), n)
    pick = draw(st.integers(0, 15))
    return (masks, types if pick & 1 else None, draw(st.sampled_from([0, 1, 2, 6, 9, 300])),
            entries if pick & 2 else None, mtimes if pick & 4 else None,
            ds if pick & 8 else None, draw(st.sampled_from([0, 998, -1])),
            draw(st.sampled_from([1000, 0, -1])))


@settings(max_examples=300)
@given(raw_batches())
def test_every_clone_is_bit_exact_with_the_portable_kernel(batch):
    ref_out, ref_status, ref_firsts = run("baseline", *batch)
    for level in LEVELS[1:]:
        out, status, firsts = run(level, *batch)
        assert status == ref_status and firsts == ref_firsts, level
        assert np.array_equal(out, ref_out), level


@settings(max_examples=300)
@given(raw_batches())
def test_decide_row_agrees_with_the_batch(batch):
    masks, types, type0, entries, mtimes, ds, ds0, since = batch
    out, status, _ = run(LEVELS[-1], *batch)
    total = 0
    for i in range(masks.shape[0]):
        t = int(types[i]) if types is not None else type0
        d, st_ = C.decide_row(int(masks[i]), t, int(entries[i]) if entries is not None else 0,
                              int(mtimes[i]) if mtimes is not None else 0, mtimes is not None,
                              int(ds[i]) if ds is not None else ds0, since)
        total |= st_
        if st_ == 0:
            assert d == out[i]
    assert total == status


def test_scalar_threshold_is_ignored_when_rows_have_their_own():
    out = np.empty(1, np.uint8)
    status, firsts = C.classify_into(np.array([0], np.uint32), None, 1, None,
                                     np.array([5]), np.array([1]), -1, 0, out, 1, 1)
    assert (status, firsts) == (0, {})


def test_private_entry_points_check_lengths():
    m = np.zeros(4, np.uint32)
    with pytest.raises(ValueError, match="mtimes has 3 rows"):
        C.classify_into(m, None, 1, None, np.zeros(3, np.int64), None, 0, 0,
                        np.empty(4, np.uint8), 1, 1)
    with pytest.raises(ValueError, match="out has 2 rows"):
        C.classify_into(m, None, 1, None, None, None, 0, 0, np.empty(2, np.uint8), 1, 1)
    with pytest.raises(ValueError):
        C.effective_types_into(np.zeros(3, np.uint32), np.zeros(4, np.uint32),
                               np.empty(4, np.uint8))
