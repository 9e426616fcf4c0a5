# Declarations of include/csvbackup/filespec.h (the public C99 header: case folding, canonical
# paths, the FindFirstFile wildcard rewrite and matcher). Declarations only.
from libc.stdint cimport uint8_t, uint16_t, uint32_t

cdef extern from "csvbackup/filespec.h" nogil:
    const uint32_t CSVB_PATH_MAX_UNITS
    const uint32_t CSVB_FILESPEC_MAX_UNITS
    const uint32_t CSVB_PATH_NULL
    const uint32_t CSVB_PATH_HAS_NUL
    const uint32_t CSVB_PATH_TOO_LONG
    const uint32_t CSVB_PATH_BAD_ENCODING
    const uint32_t CSVB_PATH_BAD_SHORT_NAME
    uint16_t csvb_fold_unit(uint16_t u, const uint16_t *upcase)
    size_t csvb_canonicalize(uint16_t *p, size_t n)
    size_t csvb_translate_filespec(const uint16_t *f, size_t n, uint16_t *out)
    int csvb_dos_match(const uint16_t *e, size_t m, const uint16_t *s, size_t k, uint8_t *states)
