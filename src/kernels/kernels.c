/*
 * kernels.c - instruction-set dispatch and OpenMP row splitting for the vss.h kernels.
 *
 * A plain x86-64 (SSE2) build cannot vectorise the decision loop: SSE2 has no 64-bit compare,
 * so the mtime tests stay scalar and the kernel runs about 4x slower. Instead of building for a
 * newer level (which would not load on older CPUs) each kernel is compiled once per x86-64
 * micro-architecture level with __attribute__((target)) and the best one the CPU supports is
 * picked at import. Define CSVB_NO_MULTIVERSION (setup.py: CSVBACKUP_MULTIVERSION=0) to build
 * the baseline only.
 */
#include "kernels.h"

#include <string.h>
#ifdef _OPENMP
#  include <omp.h>
#endif

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && defined(__x86_64__) \
    && !defined(CSVB_NO_MULTIVERSION)
#  define CSVB_MULTIVERSION 1
#endif

typedef uint32_t (*classify_fn)(const csvb_classify_args *, size_t, size_t);
typedef void (*traffic_fn)(const uint32_t *, const int64_t *, uint8_t *, size_t, size_t);

/* One clone of each kernel per level: the always_inline bodies are compiled for that level. */
#define CSVB_CLONES(SUFFIX, ATTR)                                                             \
    ATTR static uint32_t classify_##SUFFIX(const csvb_classify_args *a, size_t b, size_t e)  \
    {                                                                                         \
        return csvb_classify_span(a, b, e);                                                   \
    }                                                                                         \
    ATTR static void traffic_##SUFFIX(const uint32_t *CSVB_RESTRICT m,                        \
                                      const int64_t *CSVB_RESTRICT t,                         \
                                      uint8_t *CSVB_RESTRICT out, size_t b, size_t e)         \
    {                                                                                         \
        size_t i;                                                                             \
        for (i = b; i < e; ++i)                                                               \
            out[i] = (uint8_t)(m[i] ^ (uint32_t)t[i]);                                        \
    }

CSVB_CLONES(baseline, )
#ifdef CSVB_MULTIVERSION
CSVB_CLONES(v2, __attribute__((target("arch=x86-64-v2"))))
CSVB_CLONES(v3, __attribute__((target("arch=x86-64-v3"))))
CSVB_CLONES(v4, __attribute__((target("arch=x86-64-v4"))))
#endif

typedef struct isa_entry {
    const char *name;
    classify_fn classify;
    traffic_fn traffic;
} isa_entry;

/* Best level first. */
static const isa_entry isa_table[] = {
#ifdef CSVB_MULTIVERSION
    {"x86-64-v4", classify_v4, traffic_v4},
    {"x86-64-v3", classify_v3, traffic_v3},
    {"x86-64-v2", classify_v2, traffic_v2},
#endif
    {"baseline", classify_baseline, traffic_baseline},
};
#define ISA_COUNT (sizeof(isa_table) / sizeof(isa_table[0]))

static const isa_entry *active = &isa_table[ISA_COUNT - 1];

static int cpu_has(const char *name)
{
#ifdef CSVB_MULTIVERSION
    __builtin_cpu_init();
    if (strcmp(name, "x86-64-v4") == 0) return __builtin_cpu_supports("x86-64-v4") != 0;
    if (strcmp(name, "x86-64-v3") == 0) return __builtin_cpu_supports("x86-64-v3") != 0;
    if (strcmp(name, "x86-64-v2") == 0) return __builtin_cpu_supports("x86-64-v2") != 0;
#endif
    return strcmp(name, "baseline") == 0;
}

int csvb_select_isa(const char *name)
{
    size_t k;
    for (k = 0; k < ISA_COUNT; ++k) {
        if (!cpu_has(isa_table[k].name))
            continue;
        if (strcmp(name, "auto") == 0 || strcmp(name, isa_table[k].name) == 0) {
            active = &isa_table[k];
            return 0;
        }
    }
    return -1;
}

const char *csvb_kernel_isa(void) { return active->name; }

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

static int threads_for(size_t n, int nthreads, size_t grain)
{
    size_t most;
    if (grain == 0)
        grain = 1;
    most = n / grain;
    if (nthreads < 1)
        nthreads = 1;
    if ((size_t)nthreads > most)
        nthreads = most > 0 ? (int)most : 1;
    return nthreads;
}

uint32_t csvb_classify_parallel(const csvb_classify_args *a, size_t n, int nthreads, size_t grain)
{
    const classify_fn fn = active->classify;
    nthreads = threads_for(n, nthreads, grain);
#ifdef _OPENMP
    if (nthreads > 1) {
        uint32_t status = 0;
#pragma omp parallel num_threads(nthreads) reduction(| : status)
        {
            int T = omp_get_num_threads(), k = omp_get_thread_num();
            status |= fn(a, split_point(n, T, k), split_point(n, T, k + 1));
        }
        return status;
    }
#endif
    (void)nthreads;
    return fn(a, 0, n);
}

void csvb_traffic_probe(const uint32_t *masks, const int64_t *mtimes, uint8_t *out, size_t n,
                        int nthreads, size_t grain)
{
    const traffic_fn fn = active->traffic;
    nthreads = threads_for(n, nthreads, grain);
#ifdef _OPENMP
    if (nthreads > 1) {
#pragma omp parallel num_threads(nthreads)
        {
            int T = omp_get_num_threads(), k = omp_get_thread_num();
            fn(masks, mtimes, out, split_point(n, T, k), split_point(n, T, k + 1));
        }
        return;
    }
#endif
    (void)nthreads;
    fn(masks, mtimes, out, 0, n);
}
