/*
 * kernels.h - the extension's drivers around the csvbackup/vss.h kernels: one clone per x86-64
 * level (the one dispatch.h selected runs) and OpenMP row splitting.
 * Internal to csvbackup._csvcore; native engines use the headers in include/csvbackup directly.
 */
#ifndef CSVBACKUP_SRC_KERNELS_H
#define CSVBACKUP_SRC_KERNELS_H

#include "csvbackup/vss.h"

/* Decide rows [0, n) of `a` on up to `nthreads` threads, no thread getting fewer than `grain`
 * rows. Returns the OR of the rows' CSVB_STATUS_* bits. Runs without the GIL. */
uint32_t csvb_classify_parallel(const csvb_classify_args *a, size_t n, int nthreads, size_t grain);

/* Same traffic as the classify kernel with trivial work: reads a uint32 and an int64 and
 * writes one byte per row. Its rate is the memory-bandwidth ceiling of classify. */
void csvb_traffic_probe(const uint32_t *masks, const int64_t *mtimes, uint8_t *out, size_t n,
                        int nthreads, size_t grain);

/* csvb_clusprop_fill_template (csvbackup/clusprop.h) over `nthreads` threads. */
void csvb_fill_templates_parallel(uint8_t *out, const uint8_t *tmpl, size_t tsize, size_t value_at,
                                  const void *values, size_t vsize, size_t n, int nthreads,
                                  size_t grain);

/* 1 when the extension was built with OpenMP. */
int csvb_openmp_enabled(void);

#endif
