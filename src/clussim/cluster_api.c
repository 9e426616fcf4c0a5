/*
 * cluster_api.c - the ClusAPI.dll calls of include/csvbackup/clusapi.h (handles, enumeration,
 * resource state, online/offline) on a simulated cluster's state file (state.c), for
 * non-Windows builds; their control codes are in controls.c.
 *
 * Each function keeps the documented contract of the real one: return values, Win32 codes,
 * buffer sizes in WCHARs and ERROR_MORE_DATA with the required size. Where no public source
 * fixes a behaviour, the comment says which choice was made. Sources:
 * docs/reference/cluster-formats.md (sections 2-7) and the MSDOC pages named there.
 */
#include <stdlib.h>
#include <string.h>

#include <csvbackup/csv_backup.h>

#include "api.h"

#define MAGIC_ENUM 0x454E554Du /* "ENUM" */
#define MAX_ENUM   (CLUSSIM_MAX_NODES + 2u * CLUSSIM_MAX_RESOURCES)

struct _HCLUSENUM {
    uint32_t magic;
    uint32_t count;
    DWORD types[MAX_ENUM];
    WCHAR names[MAX_ENUM][CLUSSIM_NAME_CHARS];
};

clussim_image *clussim_load_resource(HRESOURCE h, clussim_resource **r, DWORD *rc)
{
    clussim_image *img;
    if (!h || h->magic != MAGIC_RESOURCE) {
        *rc = CSVB_ERROR_INVALID_HANDLE;
        return NULL;
    }
    if (!(img = load(h->path, rc)))
        return NULL;
    if (h->index >= img->header.resource_count
        || memcmp(img->resources[h->index].id, h->id, 16) != 0) {
        free(img);
        *rc = CSVB_ERROR_RESOURCE_NOT_FOUND;
        return NULL;
    }
    *r = &img->resources[h->index];
    return img;
}

/* ---- ClusAPI: handles and enumeration --------------------------------------------------- */

HCLUSTER WINAPI OpenCluster(LPCWSTR name)
{
    char path[PATH_CAP];
    uint32_t node, k;
    clussim_image *img;
    HCLUSTER h;
    DWORD rc;
    clussim_clear_detail();
    /* no cluster here: what a client gets from a machine that is not a cluster node (the code
     * is not documented; RPC_S_SERVER_UNAVAILABLE is what clusapi reports when it cannot
     * reach a cluster service) */
    if ((rc = clussim_local(path, sizeof path, &node)) != CSVB_ERROR_SUCCESS)
        return fail(rc), (HCLUSTER)NULL;
    if (!(img = load(path, &rc)))
        return fail(rc), (HCLUSTER)NULL;
    if (name && name[0]) {
        size_t n = wlen(name, CLUSSIM_MAX_LONG_PATH);
        int ok = clussim_wcs_ieq(name, n, img->cluster.name, wlen(img->cluster.name, 64));
        for (k = 0; !ok && k < img->header.node_count; ++k)
            ok = clussim_wcs_ieq(name, n, img->cluster.nodes[k], wlen(img->cluster.nodes[k], 64));
        if (!ok) {
            free(img);
            return fail(CSVB_RPC_S_SERVER_UNAVAILABLE), (HCLUSTER)NULL;
        }
    }
    free(img);
    if (!(h = (HCLUSTER)calloc(1, sizeof *h)))
        return fail(CSVB_ERROR_NOT_ENOUGH_MEMORY), (HCLUSTER)NULL;
    h->magic = MAGIC_CLUSTER;
    strcpy(h->path, path);
    return h;
}

/* Invalidate and free a handle (its first field is its magic): 0 if it is not one. */
static int release(void *h, uint32_t magic)
{
    if (!h || *(uint32_t *)h != magic)
        return 0;
    *(uint32_t *)h = 0;
    free(h);
    return 1;
}

BOOL WINAPI CloseCluster(HCLUSTER h)
{
    return release(h, MAGIC_CLUSTER) ? 1 : fail(CSVB_ERROR_INVALID_HANDLE);
}

HRESOURCE WINAPI OpenClusterResource(HCLUSTER hc, LPCWSTR name)
{
    clussim_image *img;
    HRESOURCE h;
    uint32_t k;
    size_t n;
    DWORD rc;
    clussim_clear_detail();
    if (!hc || hc->magic != MAGIC_CLUSTER)
        return fail(CSVB_ERROR_INVALID_HANDLE), (HRESOURCE)NULL;
    if (!name)
        return fail(CSVB_ERROR_INVALID_PARAMETER), (HRESOURCE)NULL;
    if (!(img = load(hc->path, &rc)))
        return fail(rc), (HRESOURCE)NULL;
    n = wlen(name, CLUSSIM_MAX_LONG_PATH);
    for (k = 0; k < img->header.resource_count; ++k)
        if (clussim_wcs_ieq(name, n, img->resources[k].name,
                            wlen(img->resources[k].name, CLUSSIM_NAME_CHARS)))
            break;
    if (k == img->header.resource_count) { /* Samba's torture test: "" and unknown -> 5007 */
        free(img);
        return fail(CSVB_ERROR_RESOURCE_NOT_FOUND), (HRESOURCE)NULL;
    }
    if (!(h = (HRESOURCE)calloc(1, sizeof *h))) {
        free(img);
        return fail(CSVB_ERROR_NOT_ENOUGH_MEMORY), (HRESOURCE)NULL;
    }
    h->magic = MAGIC_RESOURCE;
    h->index = k;
    memcpy(h->id, img->resources[k].id, 16);
    strcpy(h->path, hc->path);
    free(img);
    return h;
}

BOOL WINAPI CloseClusterResource(HRESOURCE h)
{
    return release(h, MAGIC_RESOURCE) ? 1 : fail(CSVB_ERROR_INVALID_HANDLE);
}

/* Copy a name out the ClusterEnum / GetClusterResourceState way: *cch is the buffer size in
 * WCHARs (NUL included) on input and the name's length without the NUL on output; too small
 * -> ERROR_MORE_DATA with that length (MSDOC ClusterEnum: "not including the terminating
 * null character"). */
static DWORD give_name(const WCHAR *s, size_t cap, LPWSTR out, LPDWORD cch)
{
    size_t n = wlen(s, cap);
    DWORD room;
    if (!cch)
        return out ? CSVB_ERROR_INVALID_PARAMETER : CSVB_ERROR_SUCCESS;
    room = *cch;
    *cch = (DWORD)n;
    if (!out || room < n + 1)
        return CSVB_ERROR_MORE_DATA;
    memcpy(out, s, (n + 1) * sizeof(WCHAR));
    return CSVB_ERROR_SUCCESS;
}

CLUSTER_RESOURCE_STATE WINAPI GetClusterResourceState(HRESOURCE h, LPWSTR node, LPDWORD cch_node,
                                                      LPWSTR group, LPDWORD cch_group)
{
    /* The simulator has no groups: every resource reports the core "Cluster Group". */
    static const WCHAR cluster_group[] = {'C', 'l', 'u', 's', 't', 'e', 'r',
                                          ' ', 'G', 'r', 'o', 'u', 'p', 0};
    clussim_resource *r;
    clussim_image *img;
    CLUSTER_RESOURCE_STATE state;
    DWORD rc, rc2;
    clussim_clear_detail();
    if (!(img = clussim_load_resource(h, &r, &rc)))
        return fail(rc), ClusterResourceStateUnknown;
    rc = give_name(img->cluster.nodes[r->owner_node], CLUSSIM_SHORT_CHARS, node, cch_node);
    rc2 = give_name(cluster_group, 14, group, cch_group);
    state = r->online ? ClusterResourceOnline : ClusterResourceOffline;
    free(img);
    if (rc || rc2)
        return fail(rc ? rc : rc2), ClusterResourceStateUnknown;
    return state;
}

typedef struct set_online_arg {
    uint32_t index;
    uint32_t online;
} set_online_arg;

static DWORD set_online(clussim_image *img, void *varg, int *changed)
{
    set_online_arg *a = (set_online_arg *)varg;
    img->resources[a->index].online = a->online;
    *changed = 1;
    return CSVB_ERROR_SUCCESS;
}

/* The simulator brings resources online and offline at once: ERROR_SUCCESS, never
 * ERROR_IO_PENDING. */
static DWORD online_offline(HRESOURCE h, uint32_t online)
{
    set_online_arg a;
    clussim_resource *r;
    clussim_image *img;
    DWORD rc;
    clussim_clear_detail();
    if (!(img = clussim_load_resource(h, &r, &rc)))
        return rc;
    free(img);
    a.index = h->index;
    a.online = online;
    return clussim_update(h->path, set_online, &a);
}

DWORD WINAPI OnlineClusterResource(HRESOURCE h)
{
    return online_offline(h, 1);
}
DWORD WINAPI OfflineClusterResource(HRESOURCE h)
{
    return online_offline(h, 0);
}

HCLUSENUM WINAPI ClusterOpenEnum(HCLUSTER hc, DWORD type)
{
    const DWORD known = CSVB_CLUSTER_ENUM_NODE | CSVB_CLUSTER_ENUM_RESOURCE
                        | CSVB_CLUSTER_ENUM_SHARED_VOLUME_RESOURCE;
    clussim_image *img;
    HCLUSENUM e;
    uint32_t k;
    DWORD rc;
    clussim_clear_detail();
    if (!hc || hc->magic != MAGIC_CLUSTER)
        return fail(CSVB_ERROR_INVALID_HANDLE), (HCLUSENUM)NULL;
    if (type & ~known) /* groups, networks, resource types: not simulated */
        return fail(CSVB_ERROR_NOT_SUPPORTED), (HCLUSENUM)NULL;
    if (!(img = load(hc->path, &rc)))
        return fail(rc), (HCLUSENUM)NULL;
    if (!(e = (HCLUSENUM)calloc(1, sizeof *e))) {
        free(img);
        return fail(CSVB_ERROR_NOT_ENOUGH_MEMORY), (HCLUSENUM)NULL;
    }
    e->magic = MAGIC_ENUM;
#define ADD(t, s, cap)                                                           \
    do {                                                                         \
        e->types[e->count] = (t);                                                \
        memcpy(e->names[e->count], (s), (wlen((s), (cap)) + 1) * sizeof(WCHAR)); \
        ++e->count;                                                              \
    } while (0)
    if (type & CSVB_CLUSTER_ENUM_NODE)
        for (k = 0; k < img->header.node_count; ++k)
            ADD(CSVB_CLUSTER_ENUM_NODE, img->cluster.nodes[k], CLUSSIM_SHORT_CHARS);
    if (type & CSVB_CLUSTER_ENUM_RESOURCE)
        for (k = 0; k < img->header.resource_count; ++k)
            ADD(CSVB_CLUSTER_ENUM_RESOURCE, img->resources[k].name, CLUSSIM_NAME_CHARS);
    if (type & CSVB_CLUSTER_ENUM_SHARED_VOLUME_RESOURCE)
        for (k = 0; k < img->header.resource_count; ++k)
            if (img->resources[k].is_csv)
                ADD(CSVB_CLUSTER_ENUM_SHARED_VOLUME_RESOURCE, img->resources[k].name,
                    CLUSSIM_NAME_CHARS);
#undef ADD
    free(img);
    return e;
}

DWORD WINAPI ClusterEnum(HCLUSENUM e, DWORD index, LPDWORD type, LPWSTR name, LPDWORD cch)
{
    if (!e || e->magic != MAGIC_ENUM)
        return CSVB_ERROR_INVALID_HANDLE;
    if (!type || !cch)
        return CSVB_ERROR_INVALID_PARAMETER;
    if (index >= e->count)
        return CSVB_ERROR_NO_MORE_ITEMS;
    *type = e->types[index];
    return give_name(e->names[index], CLUSSIM_NAME_CHARS, name, cch);
}

DWORD WINAPI ClusterCloseEnum(HCLUSENUM e)
{
    return release(e, MAGIC_ENUM) ? CSVB_ERROR_SUCCESS : CSVB_ERROR_INVALID_HANDLE;
}
