# Declarations of src/kernels/kernels.h (per-level clones and threading). Declarations only.
from libc.stdint cimport uint8_t, uint32_t, int64_t
from vss cimport csvb_classify_args

cdef extern from "kernels/kernels.h" nogil:
    uint32_t csvb_classify_parallel(const csvb_classify_args *a, size_t n, int nthreads,
                                    size_t grain)
    void csvb_traffic_probe(const uint32_t *masks, const int64_t *mtimes, uint8_t *out,
                            size_t n, int nthreads, size_t grain)
    int csvb_openmp_enabled()
    void csvb_fill_templates_parallel(uint8_t *out, const uint8_t *tmpl, size_t tsize,
                                      size_t value_at, const void *values, size_t vsize,
                                      size_t n, int nthreads, size_t grain)
