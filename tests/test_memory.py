"""classify allocates nothing proportional to the catalog beyond its output, even when every
input must be converted (numpy reports its allocations to tracemalloc)."""
import tracemalloc

import numpy as np

import csvbackup as cb
from csvbackup._arrays import CHUNK_ROWS

N = 12 * CHUNK_ROWS


def peak_bytes(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_native_inputs_allocate_nothing_with_out():
    masks = np.full(N, 0xF0F, np.uint32)
    mtimes = np.zeros(N, np.int64)
    out = np.empty(N, np.uint8)
    peak = peak_bytes(lambda: cb.classify(masks, cb.BackupType.INCREMENTAL, mtimes=mtimes,
                                          since=0, out=out))
    assert peak < 1 << 20


def test_converted_inputs_use_bounded_chunks():
    masks = np.full(N, 0xF0F, np.int64)                       # not uint32: converted
    mtimes = np.zeros(2 * N, np.int64)[::2]                   # strided: converted
    types = np.full(N, 2, np.int32)                           # not uint8: converted
    out = np.empty(N, np.uint8)
    peak = peak_bytes(lambda: cb.classify(masks, types, mtimes=mtimes, since=0, out=out))
    # a few chunk-sized buffers, far below one converted copy of masks+mtimes (12 B x N)
    assert peak < 40 * CHUNK_ROWS < 12 * N


def test_validate_masks_is_bounded():
    masks = np.full(N, 0xF0F, np.int64)
    assert peak_bytes(lambda: cb.validate_masks(masks)) < 24 * CHUNK_ROWS
