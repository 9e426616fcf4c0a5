/* The simulator's set-up calls for the Cython core: src/clussim/ off Windows; on Windows the
 * real cluster answers, the simulator is not built, and these report ERROR_NOT_SUPPORTED. */
#ifndef CSVBACKUP_CLUSSIM_SHIM_H
#define CSVBACKUP_CLUSSIM_SHIM_H

#include "clussim/clussim.h"

#ifdef _WIN32
#  define CSVB_HAVE_SIMULATOR 0
static inline DWORD clussim_create(const char *p, clussim_image *i, int r)
{
    (void)p;
    (void)i;
    (void)r;
    return CSVB_ERROR_NOT_SUPPORTED;
}
static inline DWORD clussim_attach(const char *p, LPCWSTR n, const uint8_t *f)
{
    (void)p;
    (void)n;
    (void)f;
    return CSVB_ERROR_NOT_SUPPORTED;
}
static inline void clussim_detach(void) {}
static inline DWORD clussim_read(const char *p, clussim_image *i)
{
    (void)p;
    (void)i;
    return CSVB_ERROR_NOT_SUPPORTED;
}
static inline void clussim_set_time(int64_t t)
{
    (void)t;
}
static inline int64_t clussim_now(void)
{
    return 0;
}
static inline const char *clussim_detail(void)
{
    return "";
}
static inline uint32_t clussim_backup_state(const clussim_resource *r, int64_t now)
{
    (void)now;
    return r->backup_state;
}
static inline void clussim_set_upcase(const uint16_t *upcase)
{
    (void)upcase;
}
#else
#  define CSVB_HAVE_SIMULATOR 1
#endif

#endif
