# Declarations of src/kernels/specset.h (compiled spec sets, mount maps, the row matcher).
# Declarations only.
from libc.stdint cimport uint8_t, uint16_t, uint32_t, int32_t, int64_t

cdef extern from "kernels/specset.h" nogil:
    const int CSVB_ROLE_INCLUDE
    const int CSVB_ROLE_EXCLUDE
    const int CSVB_ROLE_SNAPSHOT_EXCLUDE
    const int CSVB_STR_UTF8_I32
    const int CSVB_STR_UTF8_I64
    const int CSVB_STR_UCS4
    const int CSVB_STR_PYSTR
    const int CSVB_SPEC_OK
    const int CSVB_SPEC_NOMEM
    const int CSVB_SPEC_EMPTY_DIR
    const int CSVB_SPEC_LONG_FILESPEC
    const int CSVB_SPEC_DUPLICATE_MOUNT
    const unsigned CSVB_LOAD_UNITS

    ctypedef struct csvb_spec_in:
        const uint16_t *dir
        size_t dir_len
        const uint16_t *filespec
        size_t filespec_len
        const uint16_t *default_dir
        size_t default_dir_len
        uint32_t index
        uint32_t mask
        uint8_t role
        uint8_t recursive

    ctypedef struct csvb_strings:
        int kind
        const uint8_t *validity
        int64_t offset
        const void *offsets
        const uint8_t *data
        size_t data_len
        size_t itemsize
        const void *const *ptrs
        const int64_t *lens
        const uint8_t *kinds

    ctypedef struct csvb_match_out:
        uint32_t *mask
        int32_t *spec
        uint8_t *excluded
        uint8_t *not_in_snapshot
        uint8_t *status

    ctypedef struct csvb_specset:
        pass

    csvb_specset *csvb_specset_build(const csvb_spec_in *specs, size_t n, const uint16_t *upcase,
                                     size_t *bad, int *why)
    void csvb_specset_free(csvb_specset *s)
    int csvb_specset_match(const csvb_specset *s, const csvb_strings *src,
                           const csvb_strings *shorts, size_t n, const csvb_match_out *out,
                           int nthreads)
    size_t csvb_specset_dirs(const csvb_specset *s)
    size_t csvb_specset_exact_names(const csvb_specset *s)

    ctypedef struct csvb_mountmap:
        pass

    csvb_mountmap *csvb_mountmap_build(const uint16_t *const *dirs, const size_t *lens,
                                       const int32_t *index, size_t n, const uint16_t *upcase,
                                       size_t *bad, int *why)
    void csvb_mountmap_free(csvb_mountmap *m)
    int csvb_mountmap_lookup(const csvb_mountmap *m, const csvb_strings *src, size_t n,
                             int32_t *out, uint8_t *status, int nthreads)
    size_t csvb_mountmap_dirs(const csvb_mountmap *m)
    unsigned csvb_load_path(const csvb_strings *src, size_t i, const uint16_t *upcase,
                            uint16_t *out, size_t *len)
