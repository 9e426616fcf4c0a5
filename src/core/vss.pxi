# VSS file-spec decisions over catalog columns (include/csvbackup/vss.h, src/kernels/kernels.c):
# effective backup types, the per-row decision, batch classification and mask validation.

NO_TIME = CSVB_NO_TIME

# Status bits of csvbackup/vss.h (CSVB_STATUS_*); STATUS_BITS is the order errors are reported.
STATUS_BAD_MASK = CSVB_STATUS_BAD_MASK
STATUS_BAD_TYPE = CSVB_STATUS_BAD_TYPE
STATUS_BAD_ENTRY = CSVB_STATUS_BAD_ENTRY
STATUS_NEGATIVE_MTIME = CSVB_STATUS_NEGATIVE_MTIME
STATUS_NEGATIVE_DIFF_SINCE = CSVB_STATUS_NEGATIVE_DIFF_SINCE
STATUS_NEEDS_SINCE = CSVB_STATUS_NEEDS_SINCE
STATUS_NEEDS_MTIME = CSVB_STATUS_NEEDS_MTIME
STATUS_BITS = (STATUS_BAD_MASK, STATUS_BAD_TYPE, STATUS_BAD_ENTRY, STATUS_NEGATIVE_MTIME,
               STATUS_NEGATIVE_DIFF_SINCE, STATUS_NEEDS_SINCE, STATUS_NEEDS_MTIME)


# === Effective backup type ===

def effective_backup_type(uint32_t requested, uint32_t schema):
    """csvb_effective_backup_type: 0 when `requested` is not FULL..OTHER."""
    return csvb_effective_backup_type(requested, schema)


def effective_types_into(const uint32_t[::1] requested, const uint32_t[::1] schema,
                         uint8_t[::1] out):
    """out[i] = effective type of requested[i] for schema[i]; returns the first index whose
    requested type is invalid, or -1."""
    cdef Py_ssize_t i, n = out.shape[0], bad = -1
    cdef uint32_t t
    if requested.shape[0] != n or schema.shape[0] != n:
        raise ValueError("effective_types_into: arrays of different lengths")
    with nogil:
        for i in range(n):
            t = csvb_effective_backup_type(requested[i], schema[i])
            out[i] = <uint8_t>t
            if t == 0 and bad < 0:
                bad = i
    return bad


# === Decisions ===

def decide_row(uint32_t mask, uint32_t btype, uint32_t entry, int64_t mtime, bint have_mtime,
               int64_t differenced_since, int64_t since):
    """One row: returns (decision, status)."""
    cdef uint32_t status = 0
    cdef uint32_t d = csvb_decide_row(mask, btype, entry, mtime, differenced_since, since,
                                      have_mtime, &status)
    return d, status


def classify_into(const uint32_t[::1] masks, const uint8_t[::1] types, uint32_t type0,
                  const uint8_t[::1] entries, const int64_t[::1] mtimes,
                  const int64_t[::1] differenced_since, int64_t differenced_since0,
                  int64_t since, uint8_t[::1] out, int threads, Py_ssize_t grain):
    """Decide every row into `out`. Per-row arrays are None or as long as `masks`.

    Returns (status, firsts): the OR of the rows' status bits, and a dict mapping each set
    bit to the first row index that has it (empty when status is 0).
    """
    cdef csvb_classify_args a
    cdef size_t n = <size_t>masks.shape[0]
    cdef uint32_t status = 0
    for name, arr in (("types", types), ("entries", entries), ("mtimes", mtimes),
                      ("differenced_since", differenced_since), ("out", out)):
        if arr is not None and <size_t>arr.shape[0] != n:
            raise ValueError(f"classify_into: {name} has {arr.shape[0]} rows, masks {n}")
    if out is None:
        raise ValueError("classify_into: out is required")
    if n == 0:
        return 0, {}
    a.masks = &masks[0]
    a.types = &types[0] if types is not None else NULL
    a.entries = &entries[0] if entries is not None else NULL
    a.mtimes = &mtimes[0] if mtimes is not None else NULL
    a.differenced_since = &differenced_since[0] if differenced_since is not None else NULL
    a.out = &out[0]
    a.type = type0
    a.differenced_since0 = differenced_since0
    a.since = since
    with nogil:
        status = csvb_classify_parallel(&a, n, threads, <size_t>grain)
    firsts = {}
    if status:
        for bit in STATUS_BITS:
            if status & bit:
                firsts[bit] = <Py_ssize_t>csvb_find_status(&a, 0, n, bit)
    return status, firsts


# === Mask validation ===

def count_invalid_masks(const uint32_t[::1] masks, bint express):
    """How many masks are invalid."""
    cdef size_t k = 0
    if masks.shape[0] == 0:
        return 0
    with nogil:
        k = csvb_count_invalid_masks(&masks[0], <size_t>masks.shape[0], express)
    return k


def find_invalid_masks(const uint32_t[::1] masks, bint express, Py_ssize_t[::1] out):
    """Write the indices of the invalid masks to `out` (as many as fit); returns the count."""
    cdef size_t k = 0
    if masks.shape[0] == 0:
        return 0
    with nogil:
        k = csvb_find_invalid_masks(&masks[0], <size_t>masks.shape[0], express,
                                    <size_t *>&out[0] if out.shape[0] else NULL,
                                    <size_t>out.shape[0])
    return k


# === Benchmark support ===

def traffic_probe(const uint32_t[::1] masks, const int64_t[::1] mtimes, uint8_t[::1] out,
                  int threads, Py_ssize_t grain):
    """Move classify's bytes (4 + 8 in, 1 out per row) with trivial work: the bandwidth
    ceiling that bench/ compares classify against."""
    cdef size_t n = <size_t>masks.shape[0]
    if n == 0:
        return
    if mtimes.shape[0] != masks.shape[0] or out.shape[0] != masks.shape[0]:
        raise ValueError("traffic_probe: arrays of different lengths")
    with nogil:
        csvb_traffic_probe(&masks[0], &mtimes[0], &out[0], n, threads, <size_t>grain)
