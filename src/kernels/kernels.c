/*
 * kernels.c - per-level clones and OpenMP row splitting for the vss.h kernels.
 *
 * A plain x86-64 (SSE2) build cannot vectorise the decision loop: SSE2 has no 64-bit compare,
 * so the mtime tests stay scalar and the kernel runs about 4x slower. Instead of building for a
 * newer level (which would not load on older CPUs) each kernel is compiled once per x86-64
 * micro-architecture level with __attribute__((target)), and the clones of the level
 * dispatch.c selected run.
 */
#include "kernels.h"
#include "dispatch.h"

#include <csvbackup/clusprop.h>

#include <string.h>
#ifdef _OPENMP
#  include <omp.h>
#endif

#ifdef CSVB_MULTIVERSION
#  include "classify_avx512.h"
#endif

typedef uint32_t (*classify_fn)(const csvb_classify_args *, size_t, size_t, int);
typedef uint32_t (*traffic_fn)(const csvb_classify_args *, size_t, size_t, int);

/* Software prefetch. Past the caches the kernel is limited by how many cache misses one core
 * keeps in flight, and its loop has about 3x the instructions of a plain copy, so the
 * hardware prefetchers alone leave it ~15% short of the bandwidth a copy reaches. Prefetching
 * every input stream PREFETCH_ROWS ahead, one STRIP at a time, closes most of that gap
 * (measured: bench/report.py). Batches that fit in the last-level cache skip it: there it
 * only costs (about 20% at 10 M rows on a 260 MiB L3). */
#define STRIP         128
#define PREFETCH_ROWS 1024

#if defined(__GNUC__) || defined(__clang__)
CSVB_INLINE void prefetch_bytes(const void *p, size_t bytes)
{
    size_t k;
    for (k = 0; k < bytes; k += 64)
        __builtin_prefetch((const char *)p + k, 0, 3);
}
#  define CSVB_PREFETCH 1
#endif

CSVB_INLINE size_t row_bytes(const csvb_classify_args *a)
{
    return 4u + 1u + (a->types ? 1u : 0u) + (a->entries ? 1u : 0u) + (a->mtimes ? 8u : 0u)
           + (a->differenced_since ? 8u : 0u);
}

/* Prefetch the input rows [i, i + STRIP) of every stream the batch has. */
CSVB_INLINE void prefetch_strip(const csvb_classify_args *a, size_t i)
{
#ifdef CSVB_PREFETCH
    prefetch_bytes(a->masks + i, STRIP * 4);
    if (a->mtimes)
        prefetch_bytes(a->mtimes + i, STRIP * 8);
    if (a->differenced_since)
        prefetch_bytes(a->differenced_since + i, STRIP * 8);
    if (a->types)
        prefetch_bytes(a->types + i, STRIP);
    if (a->entries)
        prefetch_bytes(a->entries + i, STRIP);
#else
    (void)a;
    (void)i;
#endif
}

/* The traffic probe's "kernel": classify's bytes, trivial work (masks and mtimes only). */
CSVB_INLINE uint32_t traffic_span(const csvb_classify_args *a, size_t b, size_t e)
{
    const uint32_t *CSVB_RESTRICT m = a->masks;
    const int64_t *CSVB_RESTRICT t = a->mtimes;
    uint8_t *CSVB_RESTRICT out = a->out;
    size_t i;
    for (i = b; i < e; ++i)
        out[i] = (uint8_t)(m[i] ^ (uint32_t)t[i]);
    return 0;
}

/* SPAN(a, b, e) over [b, e), strip by strip with prefetching when `prefetch`; one macro so
 * that classify and its traffic probe run the same driver. */
#define CSVB_STRIPS(SPAN, a, b, e, prefetch)                 \
    do {                                                     \
        size_t i_ = (b);                                     \
        if (prefetch) {                                      \
            for (; i_ + STRIP <= (e); i_ += STRIP) {         \
                if (i_ + PREFETCH_ROWS + STRIP <= (e))       \
                    prefetch_strip((a), i_ + PREFETCH_ROWS); \
                status |= SPAN((a), i_, i_ + STRIP);         \
            }                                                \
        }                                                    \
        status |= SPAN((a), i_, (e));                        \
    } while (0)

/* A driver function NAME running SPAN through CSVB_STRIPS, compiled with ATTR. */
#define CSVB_DRIVER(NAME, ATTR, SPAN)                                                        \
    ATTR static uint32_t NAME(const csvb_classify_args *a, size_t b, size_t e, int prefetch) \
    {                                                                                        \
        uint32_t status = 0;                                                                 \
        CSVB_STRIPS(SPAN, a, b, e, prefetch);                                                \
        return status;                                                                       \
    }

/* One clone of each kernel per level: the always_inline bodies are compiled for that level.
 * SPAN is the portable csvb_classify_span, or the AVX-512 one for x86-64-v4. */
#define CSVB_CLONES(SUFFIX, ATTR, SPAN)        \
    CSVB_DRIVER(classify_##SUFFIX, ATTR, SPAN) \
    CSVB_DRIVER(traffic_##SUFFIX, ATTR, traffic_span)

CSVB_CLONES(baseline, , csvb_classify_span)
#ifdef CSVB_MULTIVERSION
CSVB_CLONES(v2, __attribute__((target("arch=x86-64-v2"))), csvb_classify_span)
CSVB_CLONES(v3, __attribute__((target("arch=x86-64-v3"))), csvb_classify_span)
CSVB_CLONES(v4, __attribute__((target("arch=x86-64-v4"))), csvb_avx512_span)
#endif

typedef struct isa_entry {
    classify_fn classify;
    traffic_fn traffic;
} isa_entry;

/* The clones of the level csvb_select_isa (dispatch.c) selected. */
static const isa_entry *active(void)
{
    static const isa_entry baseline = {classify_baseline, traffic_baseline};
#ifdef CSVB_MULTIVERSION
    static const isa_entry v2 = {classify_v2, traffic_v2}, v3 = {classify_v3, traffic_v3},
                           v4 = {classify_v4, traffic_v4};
    switch (csvb_isa_level()) {
    case CSVB_ISA_V4: return &v4;
    case CSVB_ISA_V3: return &v3;
    case CSVB_ISA_V2: return &v2;
    default: break;
    }
#endif
    return &baseline;
}

int csvb_openmp_enabled(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

#ifdef _OPENMP
/* Start of thread k's rows out of T: an even split, rounded down to 64 rows so that no two
 * threads write the same cache line of `out` (for a 64-byte aligned out). */
static size_t split_point(size_t n, int T, int k)
{
    size_t q = n / (size_t)T, r = n % (size_t)T, p;
    if (k >= T)
        return n;
    p = q * (size_t)k + (r * (size_t)k) / (size_t)T;
    return p & ~(size_t)63;
}
#endif

/* A batch larger than the last-level cache streams from memory, and is prefetched. */
static int streams_from_memory(const csvb_classify_args *a, size_t n)
{
    return n > csvb_last_level_cache() / row_bytes(a);
}

uint32_t csvb_classify_parallel(const csvb_classify_args *a, size_t n, int nthreads, size_t grain)
{
    const classify_fn fn = active()->classify;
    const int prefetch = streams_from_memory(a, n);
    nthreads = csvb_threads_for(n, nthreads, grain);
#ifdef _OPENMP
    if (nthreads > 1) {
        uint32_t status = 0;
#  pragma omp parallel num_threads(nthreads) reduction(| : status)
        {
            int T = omp_get_num_threads(), k = omp_get_thread_num();
            status |= fn(a, split_point(n, T, k), split_point(n, T, k + 1), prefetch);
        }
        return status;
    }
#endif
    (void)nthreads;
    return fn(a, 0, n, prefetch);
}

void csvb_traffic_probe(const uint32_t *masks, const int64_t *mtimes, uint8_t *out, size_t n,
                        int nthreads, size_t grain)
{
    const traffic_fn fn = active()->traffic;
    csvb_classify_args a;
    int prefetch;
    memset(&a, 0, sizeof a);
    a.masks = masks;
    a.mtimes = mtimes;
    a.out = out;
    prefetch = streams_from_memory(&a, n);
    nthreads = csvb_threads_for(n, nthreads, grain);
#ifdef _OPENMP
    if (nthreads > 1) {
#  pragma omp parallel num_threads(nthreads)
        {
            int T = omp_get_num_threads(), k = omp_get_thread_num();
            (void)fn(&a, split_point(n, T, k), split_point(n, T, k + 1), prefetch);
        }
        return;
    }
#endif
    (void)nthreads;
    (void)fn(&a, 0, n, prefetch);
}

void csvb_fill_templates_parallel(uint8_t *out, const uint8_t *tmpl, size_t tsize, size_t value_at,
                                  const void *values, size_t vsize, size_t n, int nthreads,
                                  size_t grain)
{
    nthreads = csvb_threads_for(n, nthreads, grain);
#ifdef _OPENMP
    if (nthreads > 1) {
#  pragma omp parallel num_threads(nthreads)
        {
            int T = omp_get_num_threads(), k = omp_get_thread_num();
            size_t lo = split_point(n, T, k), hi = split_point(n, T, k + 1);
            /* each thread fills its own range from the template (values indexed from lo) */
            csvb_clusprop_fill_template(out + lo * tsize, tmpl, tsize, value_at,
                                        (const uint8_t *)values + lo * vsize, vsize, hi - lo);
        }
        return;
    }
#endif
    (void)nthreads;
    csvb_clusprop_fill_template(out, tmpl, tsize, value_at, values, vsize, n);
}
