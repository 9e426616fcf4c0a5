"""classify() with inputs a careless or hostile caller passes: wrong dtypes, lengths, times,
`out=` buffers, layouts; and memory that stays bounded."""
import datetime as dt
import os

import numpy as np
import pytest

import csvbackup as cb
from csvbackup import BackupType as BT

MASKS = np.array([0xF0F, 0x101, 0x808, 0x10F0F], dtype=np.uint32)


@pytest.mark.parametrize("bad", [np.array([1.0, 2.0]), np.array([1, None], dtype=object),
                                 np.array(["a", "b"]), np.array([True, False])])
def test_non_integer_masks_are_type_errors(bad):
    with pytest.raises(TypeError, match="masks must be an integer array"):
        cb.classify(bad, BT.FULL)


@pytest.mark.parametrize("name", ["entry_flags", "mtimes", "differenced_since", "backup_type"])
def test_non_integer_rows_are_type_errors(name):
    with pytest.raises(TypeError, match=name):
        cb.classify(MASKS, **{"backup_type": BT.FULL, name: np.zeros(4, dtype=np.float64)})


@pytest.mark.parametrize("bad", [1.0, "FULL", None, True])
def test_non_integer_scalar_type(bad):
    with pytest.raises(TypeError):
        cb.classify(MASKS, bad)


@pytest.mark.parametrize("name", ["entry_flags", "mtimes", "differenced_since", "backup_type"])
def test_length_mismatch(name):
    with pytest.raises(ValueError, match=f"{name} has 3 rows but masks has 4"):
        cb.classify(MASKS, **{"backup_type": BT.FULL, name: np.ones(3, dtype=np.int64)})


def test_two_dimensional_masks():
    with pytest.raises(ValueError, match="one-dimensional"):
        cb.classify(np.zeros((2, 2), np.uint32), BT.FULL)


@pytest.mark.parametrize("btype", [0, 7, -1, 256])
def test_bad_scalar_type(btype):
    with pytest.raises(cb.InvalidRowError, match="VSS_BACKUP_TYPE"):
        cb.classify(MASKS, btype)


def test_bad_row_type_names_row_and_value():
    with pytest.raises(cb.InvalidRowError, match=r"backup_type\[2\] = 300") as info:
        cb.classify(MASKS, np.array([1, 2, 300, 0], dtype=np.int64))
    assert (info.value.index, info.value.value) == (2, 300)


def test_bad_mask_names_first_row_and_value_in_hex():
    masks = np.array([0xF0F, 0x20000, 0x10], dtype=np.uint32)
    with pytest.raises(cb.InvalidRowError, match=r"masks\[1\] = 0x20000") as info:
        cb.classify(masks, BT.FULL)
    assert info.value.winerror == 87 and isinstance(info.value, ValueError)


@pytest.mark.parametrize("mask", [-1, 2**32, 2**40])
def test_masks_beyond_dword(mask):
    with pytest.raises(cb.InvalidRowError, match=r"masks\[1\]") as info:
        cb.classify(np.array([1, mask, 1], dtype=np.int64), BT.FULL)
    assert info.value.value == mask


def test_negative_filetimes():
    with pytest.raises(cb.InvalidRowError, match=r"mtimes\[3\] = -5"):
        cb.classify(MASKS, BT.INCREMENTAL, mtimes=[1, 2, 3, -5], since=1)
    with pytest.raises(ValueError, match="never negative"):
        cb.classify(MASKS, BT.INCREMENTAL, since=-1)
    with pytest.raises(ValueError, match="never negative"):
        cb.classify(MASKS, BT.INCREMENTAL, since=1, differenced_since=-1)
    with pytest.raises(cb.InvalidRowError, match=r"differenced_since\[0\] = -1"):
        cb.classify(MASKS, BT.FULL, differenced_since=[-1, 0, 0, 0])
    with pytest.raises(cb.InvalidRowError, match=r"mtimes\[0\] = 18446744073709551615"):
        cb.classify(MASKS, BT.FULL, mtimes=np.array([2**64 - 1, 0, 0, 0], np.uint64))


def test_bad_entry_flags():
    with pytest.raises(cb.InvalidRowError, match=r"entry_flags\[1\] = 8"):
        cb.classify(MASKS, BT.FULL, entry_flags=[0, 8, 0, 0])
    with pytest.raises(cb.InvalidRowError, match=r"entry_flags\[0\] = -1"):
        cb.classify(MASKS, BT.FULL, entry_flags=np.array([-1, 0, 0, 0]))


def test_errors_report_the_most_important_kind_first():
    # a bad mask is reported before an earlier bad entry flag
    with pytest.raises(cb.InvalidRowError, match=r"masks\[3\]"):
        cb.classify([1, 1, 1, 0x20000], BT.FULL, entry_flags=[9, 0, 0, 0])


def test_out_is_checked_before_any_work():
    sentinel = np.full(4, 0xAA, np.uint8)
    for bad, exc in [(np.zeros(4, np.int8), TypeError), (np.zeros(5, np.uint8), ValueError),
                     (np.zeros((4, 1), np.uint8), ValueError), ([0, 0, 0, 0], TypeError)]:
        with pytest.raises(exc):
            cb.classify(MASKS, BT.FULL, out=bad)
    ro = sentinel.copy()
    ro.setflags(write=False)
    with pytest.raises(ValueError, match="read-only"):
        cb.classify(MASKS, BT.FULL, out=ro)
    assert (ro == 0xAA).all()


def test_out_is_filled_in_place_and_returned():
    out = np.full(4, 0xAA, np.uint8)
    assert cb.classify(MASKS, BT.FULL, out=out) is out
    assert out.tolist() == [3, 3, 0, 19]


def test_strided_out():
    big = np.full(9, 0xAA, np.uint8)
    got = cb.classify(MASKS, BT.FULL, out=big[1::2])
    assert big[1::2].tolist() == [3, 3, 0, 19] and big[0::2].tolist() == [0xAA] * 5
    assert got.base is big


def test_errors_quote_inputs_even_when_out_aliases_them():
    flags = np.array([0, 0xF0], dtype=np.uint8)
    with pytest.raises(cb.InvalidRowError, match=r"entry_flags\[1\] = 240") as info:
        cb.classify([1, 1], BT.FULL, entry_flags=flags, out=flags)
    assert info.value.value == 0xF0
    e = np.array([2], np.uint8)
    with pytest.raises(cb.InvalidRowError, match="DIFFERENCED"):
        cb.classify(np.array([0], np.uint32), BT.FULL, entry_flags=e, mtimes=[5], out=e)
    t = np.array([2], np.uint8)
    with pytest.raises(cb.InvalidRowError, match="INCREMENTAL"):
        cb.classify(np.array([0], np.uint32), t, mtimes=[5], out=t)


def test_out_aliasing_an_input():
    flags = np.array([0, 1, 4, 0], dtype=np.uint8)
    got = cb.classify(MASKS, BT.FULL, entry_flags=flags, out=flags)
    assert got is flags and flags.tolist() == [3, 8, 4, 19]


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_single(n):
    got = cb.classify(np.zeros(n, np.uint32), BT.INCREMENTAL, mtimes=np.zeros(n, np.int64), since=0)
    assert got.shape == (n,) and got.dtype == np.uint8
    assert cb.classify([], BT.FULL).shape == (0,)
    assert cb.validate_masks([]).shape == (0,)


def test_datetime_inputs():
    since = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    mtimes = np.array(["2026-10-31T23:59:59.999999", "2026-11-01", "2026-11-02"],
                      dtype="datetime64[us]")
    got = cb.classify([0x101] * 3, BT.INCREMENTAL, mtimes=mtimes, since=since)
    assert got.tolist() == [0, 33, 33]
    got = cb.classify([0x101] * 3, BT.INCREMENTAL, mtimes=mtimes.astype("datetime64[ns]"),
                      since=np.datetime64("2026-11-01T00:00:00"))
    assert got.tolist() == [0, 33, 33]
    with pytest.raises(cb.InvalidRowError, match=r"mtimes\[1\] = .*datetime64\('NaT'"):
        cb.classify([1, 1], BT.FULL, mtimes=np.array(["2026-01-01", "NaT"], "datetime64[s]"))
    # a 0-d datetime64 array is a scalar time like any other
    assert cb.classify([0x101], BT.INCREMENTAL, mtimes=mtimes[2:],
                       since=np.array(np.datetime64("2026-11-01"))).tolist() == [33]


def test_threads_argument():
    for bad, exc in [(0, ValueError), (-2, ValueError), (1.5, TypeError), ("2", TypeError)]:
        with pytest.raises(exc):
            cb.classify(MASKS, BT.FULL, threads=bad)
    assert cb.classify(MASKS, BT.FULL, threads=np.int64(2)).tolist() == [3, 3, 0, 19]
    # an absurd request is capped, not a crash of the OpenMP runtime
    assert cb.resolve_threads(10**9) <= 8 * (os.cpu_count() or 1)
    big = np.full(1 << 20, 0xF0F, np.uint32)
    assert (cb.classify(big, BT.FULL, threads=10**6) == 3).all()


def test_large_parallel_run_matches_single_thread():
    rng = np.random.default_rng(7)
    n = 1_000_003
    masks = rng.choice(np.array([0xF0F, 0x101, 0x808, 0x10F0F, 0, 0x404], np.uint32), n)
    mtimes = rng.integers(0, 2000, n, dtype=np.int64)
    entries = rng.choice(np.array([0, 0, 0, 1, 2, 4, 6], np.uint8), n)
    types = rng.integers(1, 7, n, dtype=np.uint8)
    kw = dict(mtimes=mtimes, entry_flags=entries, since=1000, differenced_since=0)
    one = cb.classify(masks, types, threads=1, **kw)
    two = cb.classify(masks, types, threads=2, **kw)
    assert np.array_equal(one, two)
    # and the chunked conversion path (int64 masks) gives the same bytes
    assert np.array_equal(cb.classify(masks.astype(np.int64), types, threads=2, **kw), one)


def test_resolve_threads(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3,1")
    assert cb.resolve_threads() == 3
    assert cb.resolve_threads(5) == 5
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert cb.resolve_threads() >= 1


def test_decide_bad_scalars():
    with pytest.raises(cb.InvalidRowError, match="mask = 0x20000"):
        cb.decide(0x20000, BT.FULL)
    with pytest.raises(cb.InvalidRowError, match="mask = -1"):
        cb.decide(-1, BT.FULL)
    with pytest.raises(cb.InvalidRowError, match="entry = 8"):
        cb.decide(1, BT.FULL, entry=8)
    with pytest.raises(TypeError):
        cb.decide(1.0, BT.FULL)
    with pytest.raises(ValueError, match="never negative"):
        cb.decide(1, BT.FULL, mtime=-1)
    with pytest.raises(cb.InvalidRowError, match="UNDEFINED"):
        cb.decide(1, BT.UNDEFINED)
