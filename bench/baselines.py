"""What a user would write without csvbackup, for the same rule and the same checks: the best
numpy expression (chunked so temporaries stay in cache, every ufunc with out=) and a numba
prange kernel. Both validate masks and mtimes like classify does, so all three give a
trustworthy answer; tests/test_bench_baselines.py checks they agree with classify."""
import numpy as np

VALID = 0x10F0F
# backup-required / snapshot-required bit per type (docs/reference/spec-pages.md section 5); COPY
# like FULL; OTHER: always
BITS = {1: (0x1, 0x100), 2: (0x4, 0x400), 3: (0x2, 0x200), 4: (0x8, 0x800), 5: (0x1, 0x100)}


class NumpyClassifier:
    """classify(masks, scalar type, mtimes=, since=) as chunked numpy ufuncs with out=."""

    def __init__(self, chunk=1 << 16):
        self.chunk = chunk
        self.u32 = np.empty(chunk, np.uint32)
        self.a = np.empty(chunk, np.bool_)
        self.b = np.empty(chunk, np.bool_)
        self.u8 = np.empty(chunk, np.uint8)

    def __call__(self, masks, btype, mtimes, since, out):
        copy_bit, snap_bit = BITS[btype]
        by_time = btype in (2, 3)
        for lo in range(0, masks.shape[0], self.chunk):
            m, t, o = masks[lo:lo + self.chunk], mtimes[lo:lo + self.chunk], out[lo:lo + self.chunk]
            k = m.shape[0]
            u32, a, b, u8 = self.u32[:k], self.a[:k], self.b[:k], self.u8[:k]
            np.bitwise_and(m, ~VALID & 0xFFFFFFFF, out=u32)
            if u32.any() or (t < 0).any():
                raise ValueError("invalid mask or negative mtime")
            np.bitwise_and(m, copy_bit, out=u32)
            np.not_equal(u32, 0, out=a)                      # mask copy
            if by_time:
                np.greater_equal(t, since, out=b)            # changed since
                np.logical_and(b, np.logical_not(a, out=a), out=b)  # copied by mtime
                np.logical_not(a, out=a)
                np.logical_or(a, b, out=a)                   # copied at all
                np.left_shift(b.view(np.uint8), 5, out=o)    # BY_MTIME
                np.bitwise_or(o, a.view(np.uint8), out=o)    # COPY
            else:
                np.copyto(o, a.view(np.uint8))
            np.bitwise_and(m, snap_bit, out=u32)
            np.not_equal(u32, 0, out=b)
            np.logical_and(a, b, out=b)
            np.left_shift(b.view(np.uint8), 1, out=u8)
            np.bitwise_or(o, u8, out=o)                      # SNAPSHOT
            np.right_shift(m, 12, out=u32)
            np.bitwise_and(u32, 0x10, out=u32)
            np.copyto(u8, u32, casting="unsafe")
            np.bitwise_or(o, u8, out=o)                      # CREATED_DURING_BACKUP
        return out


def make_numba_classifier():
    """The same rule as a numba prange kernel, or None when numba is not installed."""
    try:
        import numba
    except ImportError:
        return None

    @numba.njit(parallel=True, nogil=True, cache=False, fastmath=True)
    def kernel(masks, mtimes, since, copy_bit, snap_bit, by_time, out):
        bad = 0
        for i in numba.prange(masks.shape[0]):
            m = masks[i]
            t = mtimes[i]
            bad += ((m & ~np.uint32(VALID)) != 0) | (t < 0)
            copy = (m & copy_bit) != 0
            changed = by_time and (not copy) and t >= since
            c = copy or changed
            snap = c and (m & snap_bit) != 0
            out[i] = np.uint8(c) | (np.uint8(snap) << 1) | np.uint8((m >> 12) & 0x10) | (
                np.uint8(changed) << 5)
        return bad

    def classify(masks, btype, mtimes, since, out):
        copy_bit, snap_bit = BITS[btype]
        if kernel(masks, mtimes, since, np.uint32(copy_bit), np.uint32(snap_bit),
                  btype in (2, 3), out):
            raise ValueError("invalid mask or negative mtime")
        return out

    return classify
