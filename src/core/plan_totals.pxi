# The plan's totals: one pass over a planned batch adding up, per group (a volume, a writer
# component), the counts of csvbackup.plan_summary.Totals, in exact int64.

#: The columns of plan_totals' rows, in order.
PLAN_TOTALS_FIELDS = ("files", "bytes", "copy_files", "copy_bytes", "snapshot_bytes",
                      "excluded", "partial")


@cython.boundscheck(False)
@cython.wraparound(False)
def plan_totals(const int32_t[::1] codes, const int64_t[::1] size, const uint8_t[::1] decision,
                Py_ssize_t k):
    """int64[k, 7] totals (PLAN_TOTALS_FIELDS) per group code in [0, k); rows whose code is
    outside are not counted. A copied row has COPY or PARTIAL; its bytes come from the
    snapshot when it also has SNAPSHOT. Sizes must not be negative (the caller checks)."""
    cdef Py_ssize_t n = codes.shape[0], i
    cdef int32_t c
    cdef uint8_t d
    cdef int64_t s, copy, snap
    cdef int64_t[:, ::1] o
    if size.shape[0] != n or decision.shape[0] != n:
        raise ValueError(f"codes, size and decision differ in length ({n}, {size.shape[0]}, "
                         f"{decision.shape[0]})")
    if k < 0:
        raise ValueError(f"k = {k}: must be >= 0")
    out = _np.zeros((k, 7), dtype=_np.int64)
    o = out
    with nogil:
        for i in range(n):
            c = codes[i]
            if c < 0 or c >= k:
                continue
            d = decision[i]
            s = size[i]
            copy = (d & (CSVB_DECISION_COPY | CSVB_DECISION_PARTIAL)) != 0
            snap = copy & ((d & CSVB_DECISION_SNAPSHOT) != 0)
            o[c, 0] += 1
            o[c, 1] += s
            o[c, 2] += copy
            o[c, 3] += s * copy
            o[c, 4] += s * snap
            o[c, 5] += (d & CSVB_DECISION_EXCLUDED) != 0
            o[c, 6] += (d & CSVB_DECISION_PARTIAL) != 0
    return out
