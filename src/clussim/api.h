/*
 * api.h - what the simulator's ClusAPI calls (cluster_api.c), control codes (controls.c) and
 * ResUtils calls (resutils.c) share: the handles behind clusapi.h's opaque types and a few
 * helpers. Private to src/clussim/.
 */
#ifndef CSVBACKUP_CLUSSIM_API_H
#define CSVBACKUP_CLUSSIM_API_H

#include "clussim.h"

#define PATH_CAP       4096
#define MAGIC_CLUSTER  0x434C5553u /* "CLUS" */
#define MAGIC_RESOURCE 0x52455343u /* "RESC" */

struct _HCLUSTER {
    uint32_t magic;
    char path[PATH_CAP];
};

struct _HRESOURCE {
    uint32_t magic;
    uint32_t index;
    uint8_t id[16];
    char path[PATH_CAP];
};

static inline size_t wlen(const WCHAR *s, size_t cap)
{
    return clussim_wcslen(s, cap);
}

static inline int fail(DWORD code)
{
    SetLastError(code);
    return 0;
}

static inline clussim_image *load(const char *path, DWORD *rc)
{
    return clussim_load(path, rc);
}

/* The resource a handle names, in a freshly read image (the id guards against a state file
 * replaced by a different cluster since the handle was opened). */
clussim_image *clussim_load_resource(HRESOURCE h, clussim_resource **r, DWORD *rc);

/* A CSV's backup mode, as the SET_SHARED_VOLUME_BACKUP_MODE control and the ResUtils calls
 * change it (controls.c): the clussim_update mutator and its argument. */
typedef struct clussim_backup_mode_arg {
    uint32_t index, state, delay, prepared;
    int64_t now;
} clussim_backup_mode_arg;
DWORD clussim_set_backup_mode(clussim_image *img, void *varg, int *changed);

#endif /* CSVBACKUP_CLUSSIM_API_H */
