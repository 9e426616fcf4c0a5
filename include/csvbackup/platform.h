/*
 * csvbackup/platform.h - compiler portability for the csvbackup C99 headers.
 *
 * Plain C99, no Python. Included by every other csvbackup header.
 */
#ifndef CSVBACKUP_PLATFORM_H
#define CSVBACKUP_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Force inlining of the small kernels so that callers which pass constant flags get
 * one specialised, vectorisable loop per combination (a plain `inline` is only a hint). */
#if defined(__GNUC__) || defined(__clang__)
#  define CSVB_INLINE static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#  define CSVB_INLINE static __forceinline
#else
#  define CSVB_INLINE static inline
#endif

/* Larger or recursive helpers: inline as the compiler sees fit. */
#define CSVB_FUNC static inline

#if defined(__cplusplus) || (defined(_MSC_VER) && !defined(__clang__))
#  define CSVB_RESTRICT __restrict /* C++ has no `restrict`; GCC, Clang and MSVC take this */
#else
#  define CSVB_RESTRICT restrict
#endif

/* C11/C++11 static assertion when available, a negative-array trick in plain C99. */
#if defined(__cplusplus) && __cplusplus >= 201103L
#  define CSVB_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#  define CSVB_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#else
/* a compatible redeclaration may repeat (unlike a typedef); a false cond makes size -1 */
#  define CSVB_STATIC_ASSERT(cond, msg) extern char csvb_static_assert_[(cond) ? 1 : -1]
#endif

#endif /* CSVBACKUP_PLATFORM_H */
