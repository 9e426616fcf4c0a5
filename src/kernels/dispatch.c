/*
 * dispatch.c - the state behind dispatch.h: the level selected at import, the level of the
 * file-spec row loops, and what the machine has (x86-64 level, last-level cache).
 */
#include "dispatch.h"

#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#  include <unistd.h>
#endif

/* Best level first. */
static const struct {
    int level;
    const char *name;
} levels[] = {
    {CSVB_ISA_V4, "x86-64-v4"},
    {CSVB_ISA_V3, "x86-64-v3"},
    {CSVB_ISA_V2, "x86-64-v2"},
    {CSVB_ISA_BASELINE, "baseline"},
};
#define LEVEL_COUNT (sizeof(levels) / sizeof(levels[0]))

static int selected = CSVB_ISA_BASELINE;
static int rows_override = -1;

/* 1 when this build has code for `level` and the CPU runs it. */
static int runs(int level)
{
#ifdef CSVB_MULTIVERSION
    __builtin_cpu_init();
    switch (level) {
    case CSVB_ISA_V4: return __builtin_cpu_supports("x86-64-v4") != 0;
    case CSVB_ISA_V3: return __builtin_cpu_supports("x86-64-v3") != 0;
    case CSVB_ISA_V2: return __builtin_cpu_supports("x86-64-v2") != 0;
    default: break;
    }
#endif
    return level == CSVB_ISA_BASELINE;
}

int csvb_select_isa(const char *name)
{
    size_t k;
    int best = strcmp(name, "auto") == 0;
    (void)csvb_last_level_cache(); /* read once here, at import, before any kernel thread runs */
    for (k = 0; k < LEVEL_COUNT; ++k) {
        if (!runs(levels[k].level))
            continue;
        if (best || strcmp(name, levels[k].name) == 0) {
            selected = levels[k].level;
            rows_override = selected >= CSVB_ISA_V3 ? -1 : 0;
            return 0;
        }
    }
    return -1;
}

int csvb_isa_level(void)
{
    return selected;
}

const char *csvb_kernel_isa(void)
{
    size_t k;
    for (k = 0; k < LEVEL_COUNT && levels[k].level != selected; ++k)
        ;
    return levels[k < LEVEL_COUNT ? k : LEVEL_COUNT - 1].name;
}

static int rows_best(void)
{
#ifdef CSVB_SPECSET_V3
    return runs(CSVB_ISA_V3) ? 3 : 0;
#else
    return 0;
#endif
}

int csvb_specset_level(void)
{
    int best = rows_best();
    return rows_override >= 0 && rows_override < best ? rows_override : best;
}

int csvb_specset_set_level(int lvl)
{
    rows_override = lvl;
    return csvb_specset_level();
}

size_t csvb_last_level_cache(void)
{
    static size_t bytes = 0;
    if (bytes == 0) {
        long l3 = -1;
#if defined(_SC_LEVEL3_CACHE_SIZE)
        l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
#endif
        bytes = l3 > 0 ? (size_t)l3 : ((size_t)32 << 20);
    }
    return bytes;
}

int csvb_threads_for(size_t n, int nthreads, size_t grain)
{
    size_t most = n / (grain ? grain : 1);
    if (nthreads < 1)
        nthreads = 1;
    if ((size_t)nthreads > most)
        nthreads = most > 0 ? (int)most : 1;
    return nthreads;
}
