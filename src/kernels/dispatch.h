/*
 * dispatch.h - instruction-set dispatch and thread counts, shared by the vss.h kernels
 * (kernels.c) and the file-spec row loops (specset_match.c): which x86-64 levels are built,
 * which ones the CPU runs, the level selected, and how many threads a batch gets.
 * Internal to csvbackup._csvcore.
 */
#ifndef CSVBACKUP_SRC_DISPATCH_H
#define CSVBACKUP_SRC_DISPATCH_H

#include <stddef.h>

/* Code is built once per x86-64 micro-architecture level with __attribute__((target)) or
 * #pragma GCC target and picked at run time. GCC 12 is the first to accept the level names in
 * both target("arch=x86-64-vN") and __builtin_cpu_supports("x86-64-vN"). Define
 * CSVB_NO_MULTIVERSION (setup.py: CSVBACKUP_MULTIVERSION=0) to build the baseline only. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && defined(__x86_64__) \
    && !defined(CSVB_NO_MULTIVERSION)
#  define CSVB_MULTIVERSION 1
#endif

/* The row loops of the file-spec matcher have an x86-64-v3 build too, unless CSVB_NO_SSE2
 * asks for the portable loops only (the C fuzzer builds both). */
#if defined(CSVB_MULTIVERSION) && !defined(CSVB_NO_SSE2)
#  define CSVB_SPECSET_V3 1
#endif

/* Levels: the x86-64 psABI micro-architecture levels; baseline is x86-64 with SSE2. */
enum { CSVB_ISA_BASELINE = 0, CSVB_ISA_V2 = 2, CSVB_ISA_V3 = 3, CSVB_ISA_V4 = 4 };

/* Select the level the kernels run: "auto" (the best this CPU has) or a level name
 * ("baseline", "x86-64-v2", "x86-64-v3", "x86-64-v4"). A level the CPU lacks, or that was not
 * built, is refused. The file-spec row loops follow: their x86-64-v3 build at kernel levels v3
 * and v4, else the baseline. Returns 0 on success, -1 if refused. Not thread-safe: call before
 * any kernel runs (the extension calls it once at import). */
int csvb_select_isa(const char *name);

/* The selected level (CSVB_ISA_*), and its name. */
int csvb_isa_level(void);
const char *csvb_kernel_isa(void);

/* The level the file-spec row loops run at: 3 (x86-64-v3: AVX2, BMI2) when built for it and
 * the CPU has it, else 0; csvb_select_isa sets it as described there. lvl < 0 restores the
 * best; 0 forces the baseline loops (tests compare both). Returns the level now in use. Not
 * thread-safe: call it between matches. */
int csvb_specset_set_level(int lvl);
int csvb_specset_level(void);

/* Bytes of the last-level cache (glibc reports it; elsewhere 32 MiB). Read once by
 * csvb_select_isa, so that kernel threads only read it. */
size_t csvb_last_level_cache(void);

/* Threads for n rows: nthreads (at least 1), but no thread gets fewer than `grain` rows. */
int csvb_threads_for(size_t n, int nthreads, size_t grain);

#endif
