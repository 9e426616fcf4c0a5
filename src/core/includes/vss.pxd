# Declarations of include/csvbackup/vss.h (the public C99 header). Declarations only.
from libc.stdint cimport uint8_t, uint32_t, int64_t

cdef extern from "csvbackup/vss.h" nogil:
    const uint32_t CSVB_VALID_MASK_BITS
    const uint32_t CSVB_DEFAULT_FILESPEC_MASK
    const uint32_t CSVB_EXPRESS_FORBIDDEN_BITS
    const int64_t CSVB_NO_TIME
    const uint32_t CSVB_STATUS_BAD_MASK
    const uint32_t CSVB_STATUS_BAD_TYPE
    const uint32_t CSVB_STATUS_BAD_ENTRY
    const uint32_t CSVB_STATUS_NEGATIVE_MTIME
    const uint32_t CSVB_STATUS_NEGATIVE_DIFF_SINCE
    const uint32_t CSVB_STATUS_NEEDS_SINCE
    const uint32_t CSVB_STATUS_NEEDS_MTIME
    const uint32_t CSVB_DECISION_COPY
    const uint32_t CSVB_DECISION_SNAPSHOT
    const uint32_t CSVB_DECISION_PARTIAL
    const uint32_t CSVB_DECISION_EXCLUDED

    ctypedef struct csvb_classify_args:
        const uint32_t *masks
        const uint8_t *types
        const uint8_t *entries
        const int64_t *mtimes
        const int64_t *differenced_since
        uint8_t *out
        uint32_t type
        int64_t differenced_since0
        int64_t since

    uint32_t csvb_effective_backup_type(uint32_t requested, uint32_t schema)
    uint32_t csvb_decide_row(uint32_t mask, uint32_t type, uint32_t entry, int64_t mtime,
                             int64_t differenced_since, int64_t since, uint32_t have_mtime,
                             uint32_t *status)
    size_t csvb_find_status(const csvb_classify_args *a, size_t begin, size_t end,
                            uint32_t bits)
    size_t csvb_count_invalid_masks(const uint32_t *masks, size_t n, int express)
    size_t csvb_find_invalid_masks(const uint32_t *masks, size_t n, int express, size_t *idx,
                                   size_t cap)
