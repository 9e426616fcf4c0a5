/*
 * api.c - the ClusAPI / ResUtils subset of include/csvbackup/clusapi.h, implemented on a
 * simulated cluster's state file (state.c) for non-Windows builds.
 *
 * Each function keeps the documented contract of the real one: return values, Win32 codes,
 * buffer sizes in WCHARs (in bytes for control codes) and ERROR_MORE_DATA with the required
 * size. Where no public source fixes a behaviour, the comment says which choice was made.
 * Sources: shared/reference/cluster-formats.md (sections 2-7), MSDOC pages named there, and
 * Wine's tests of the volume functions (kernel32/tests/volume.c, which pass on Windows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csvbackup/csv_backup.h>

#include "clussim.h"

#define PATH_CAP 4096
#define MAGIC_CLUSTER 0x434C5553u  /* "CLUS" */
#define MAGIC_RESOURCE 0x52455343u /* "RESC" */
#define MAGIC_ENUM 0x454E554Du     /* "ENUM" */
#define MAX_ENUM (CLUSSIM_MAX_NODES + 2u * CLUSSIM_MAX_RESOURCES)

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

struct _HCLUSENUM {
    uint32_t magic;
    uint32_t count;
    DWORD types[MAX_ENUM];
    WCHAR names[MAX_ENUM][CLUSSIM_NAME_CHARS];
};

/* ---- helpers ---------------------------------------------------------------------------- */

static size_t wlen(const WCHAR *s, size_t cap) { return clussim_wcslen(s, cap); }

static int fail(DWORD code)
{
    SetLastError(code);
    return 0;
}

static clussim_image *load(const char *path, DWORD *rc) { return clussim_load(path, rc); }

/* The local cluster's image (the ResUtils calls have no handle). */
static clussim_image *load_local(DWORD *rc, uint32_t *node, char *path)
{
    uint32_t n = 0;
    if ((*rc = clussim_local(path, PATH_CAP, &n)) != CSVB_ERROR_SUCCESS)
        return NULL;
    if (node)
        *node = n;
    return load(path, rc);
}

/* The resource a handle names, in a freshly read image (the id guards against a state file
 * replaced by a different cluster since the handle was opened). */
static clussim_image *load_resource(HRESOURCE h, clussim_resource **r, DWORD *rc)
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

/* Copy `size` bytes of output the control-code way: *ret = size; too small -> 234. */
static DWORD give(const void *data, DWORD size, LPVOID out, DWORD cb_out, LPDWORD ret)
{
    if (ret)
        *ret = size;
    if (size == 0)
        return CSVB_ERROR_SUCCESS;
    if (!out || cb_out < size)
        return CSVB_ERROR_MORE_DATA;
    memcpy(out, data, size);
    return CSVB_ERROR_SUCCESS;
}

/* UTF-16LE bytes of an ASCII name, NUL included; returns the byte count. */
static uint32_t ascii_units(const char *s, WCHAR *out)
{
    uint32_t k;
    for (k = 0; s[k]; ++k)
        out[k] = (WCHAR)(unsigned char)s[k];
    out[k] = 0;
    return k;
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
    static const WCHAR cluster_group[] = {'C', 'l', 'u', 's', 't', 'e', 'r', ' ',
                                          'G', 'r', 'o', 'u', 'p', 0};
    clussim_resource *r;
    clussim_image *img;
    CLUSTER_RESOURCE_STATE state;
    DWORD rc, rc2;
    clussim_clear_detail();
    if (!(img = load_resource(h, &r, &rc)))
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
    if (!(img = load_resource(h, &r, &rc)))
        return rc;
    free(img);
    a.index = h->index;
    a.online = online;
    return clussim_update(h->path, set_online, &a);
}

DWORD WINAPI OnlineClusterResource(HRESOURCE h) { return online_offline(h, 1); }
DWORD WINAPI OfflineClusterResource(HRESOURCE h) { return online_offline(h, 0); }

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
#define ADD(t, s, cap)                                                         \
    do {                                                                       \
        e->types[e->count] = (t);                                              \
        memcpy(e->names[e->count], (s), (wlen((s), (cap)) + 1) * sizeof(WCHAR)); \
        ++e->count;                                                            \
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

/* ---- resource control codes ------------------------------------------------------------- */

typedef struct backup_mode_arg {
    uint32_t index, state, delay, prepared;
    int64_t now;
} backup_mode_arg;

static DWORD set_backup_mode(clussim_image *img, void *varg, int *changed)
{
    backup_mode_arg *a = (backup_mode_arg *)varg;
    clussim_resource *r = &img->resources[a->index];
    r->backup_state = a->state;
    r->delay_timer_secs = a->delay;
    r->deadline = a->state == CSVB_VOLUME_BACKUP_IN_PROGRESS ? a->now + (int64_t)a->delay * 10000000 : 0;
    /* 2008 R2's Prepare disables direct I/O (reference 4.3); Clear and NONE undo it */
    if (a->prepared)
        r->fault_state |= CSVB_VOLUME_STATE_NO_DIRECT_IO;
    else if (a->state == CSVB_VOLUME_BACKUP_NONE)
        r->fault_state &= ~CSVB_VOLUME_STATE_NO_DIRECT_IO;
    *changed = 1;
    return CSVB_ERROR_SUCCESS;
}

static DWORD control_backup_mode(HRESOURCE h, clussim_resource *r, const uint8_t *in, DWORD cb_in)
{
    backup_mode_arg a;
    size_t n, where, fn = wlen(r->friendly_name, CLUSSIM_NAME_CHARS);
    const WCHAR *name;
    WCHAR units[CSVB_MAX_PATH];
    size_t k;
    if (!in) /* reference 5.2: lpInBuffer NULL on a SET */
        return CSVB_RPC_X_BAD_STUB_DATA;
    if (csvb_backup_mode_check(in, cb_in, &n, &where) != CSVB_BACKUP_MODE_OK)
        return CSVB_ERROR_INVALID_PARAMETER;
    for (k = 0; k < n; ++k)
        units[k] = csvb_load_u16(in + CSVB_BACKUP_MODE_NAME_OFFSET + 2 * k);
    name = units;
    /* CMRP 3.1.4.3.1.54: the server accepts the friendly name or the volume GUID path of
     * this CSV; a name of another volume is not this resource's: invalid parameter */
    if (!clussim_wcs_ieq(name, n, r->friendly_name, fn)
        && !clussim_wcs_ieq(name, n, r->volume_guid_path, CSVB_VOLUME_GUID_PATH_CHARS))
        return CSVB_ERROR_INVALID_PARAMETER;
    a.index = h->index;
    a.state = csvb_load_u32(in + CSVB_BACKUP_MODE_STATE_OFFSET);
    a.delay = csvb_load_u32(in + CSVB_BACKUP_MODE_DELAY_OFFSET);
    a.prepared = 0;
    a.now = clussim_now();
    return clussim_update(h->path, set_backup_mode, &a);
}

/* CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO: a value list of one
 * CLUSPROP_SYNTAX_LIST_VALUE_BINARY holding a CLUS_CSV_VOLUME_INFO (CMRP 3.1.4.3.1.48). */
static DWORD control_volume_info(const clussim_resource *r, LPVOID out, DWORD cb_out, LPDWORD ret)
{
    uint8_t list[CSVB_CLUSPROP_HEADER_SIZE + CSVB_CSV_VOLUME_INFO_SIZE + 4];
    uint8_t info[CSVB_CSV_VOLUME_INFO_SIZE];
    size_t k, off;
    memset(info, 0, sizeof info);
    csvb_store_u64(info + CSVB_CSV_VOLUME_INFO_OFFSET_OFFSET, r->volume_offset);
    csvb_store_u32(info + CSVB_CSV_VOLUME_INFO_PARTITION_OFFSET, r->partition_number);
    csvb_store_u32(info + CSVB_CSV_VOLUME_INFO_FAULT_OFFSET, r->fault_state);
    csvb_store_u32(info + CSVB_CSV_VOLUME_INFO_BACKUP_OFFSET,
                   clussim_backup_state(r, clussim_now()));
    for (k = 0; k < wlen(r->friendly_name, CLUSSIM_NAME_CHARS); ++k)
        csvb_store_u16(info + CSVB_CSV_VOLUME_INFO_FRIENDLY_OFFSET + 2 * k, r->friendly_name[k]);
    for (k = 0; k < wlen(r->volume_guid_path, CLUSSIM_GUID_PATH_CHARS); ++k)
        csvb_store_u16(info + CSVB_CSV_VOLUME_INFO_NAME_OFFSET + 2 * k, r->volume_guid_path[k]);
    off = csvb_clusprop_put_bytes(list, 0, CSVB_CLUSPROP_SYNTAX_LIST_VALUE_BINARY, info,
                                  CSVB_CSV_VOLUME_INFO_SIZE);
    off = csvb_clusprop_put_endmark(list, off);
    return give(list, (DWORD)off, out, cb_out, ret);
}

DWORD WINAPI ClusterResourceControl(HRESOURCE h, HNODE node, DWORD code, LPVOID in, DWORD cb_in,
                                    LPVOID out, DWORD cb_out, LPDWORD ret)
{
    clussim_resource *r;
    clussim_image *img;
    DWORD rc;
    (void)node; /* every simulated node answers the same */
    clussim_clear_detail();
    if (ret)
        *ret = 0;
    if (!(img = load_resource(h, &r, &rc)))
        return rc;
    switch (code) {
    case CSVB_CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE:
    case CSVB_CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO:
        /* CMRP 3.1.4.3.1.54 / .48: not a CSV -> 1, not online -> 5004 */
        if (!r->is_csv)
            rc = CSVB_ERROR_INVALID_FUNCTION;
        else if (!r->online)
            rc = CSVB_ERROR_RESOURCE_NOT_ONLINE;
        else if (code == CSVB_CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE)
            rc = control_backup_mode(h, r, (const uint8_t *)in, cb_in);
        else
            rc = control_volume_info(r, out, cb_out, ret);
        break;
    default: /* what a resource DLL answers for a code it does not handle (reference 5.2) */
        rc = CSVB_ERROR_INVALID_FUNCTION;
    }
    free(img);
    return rc;
}

/* ---- cluster control codes: common properties and GET_SHARED_VOLUME_ID ------------------ */

/* The cluster common properties the simulator keeps (reference 5.3; MSDOC "Cluster Common
 * Properties"; read-write as in csvbackup.proptable.CLUSTER_COMMON_PROPERTIES). Setting
 * SharedVolumesRoot moves every CSV's mount point, as paths are resolved against it. */
enum prop_id { PROP_DESCRIPTION, PROP_BACKUP_IN_PROGRESS, PROP_SHARED_VOLUMES_ROOT, PROP_COUNT };
static const struct {
    const char *name;
    uint32_t format, syntax, read_only, maximum;
} props[PROP_COUNT] = {
    {"Description", CSVB_CLUSPROP_FORMAT_SZ, CSVB_CLUSPROP_SYNTAX_LIST_VALUE_SZ, 0,
     CLUSSIM_NAME_CHARS - 1},
    {"BackupInProgress", CSVB_CLUSPROP_FORMAT_DWORD, CSVB_CLUSPROP_SYNTAX_LIST_VALUE_DWORD, 0, 1},
    {"SharedVolumesRoot", CSVB_CLUSPROP_FORMAT_SZ, CSVB_CLUSPROP_SYNTAX_LIST_VALUE_SZ, 0,
     CLUSSIM_NAME_CHARS - 1},
};

/* The property list of the read-write (read_only = 0) or read-only (1) common properties,
 * with the trailing list-level ENDMARK servers send (reference 1.3). */
static size_t common_properties(const clussim_image *img, uint32_t read_only, uint8_t *buf)
{
    WCHAR name[64];
    size_t off = 4;
    uint32_t k, count = 0;
    for (k = 0; k < PROP_COUNT; ++k) {
        const WCHAR *s = k == PROP_DESCRIPTION ? img->cluster.description
                                               : img->cluster.shared_volumes_root;
        if (props[k].read_only != read_only)
            continue;
        ++count;
        off = csvb_clusprop_put_utf16(buf, off, CSVB_CLUSPROP_SYNTAX_NAME, name,
                                      ascii_units(props[k].name, name));
        if (props[k].format == CSVB_CLUSPROP_FORMAT_DWORD)
            off = csvb_clusprop_put_u32(buf, off, props[k].syntax, img->cluster.backup_in_progress);
        else
            off = csvb_clusprop_put_utf16(buf, off, props[k].syntax, s, wlen(s, CLUSSIM_NAME_CHARS));
        off = csvb_clusprop_put_endmark(buf, off);
    }
    csvb_store_u32(buf, count);
    return csvb_clusprop_put_endmark(buf, off);
}

typedef struct common_set {
    int have[PROP_COUNT];
    uint32_t dword[PROP_COUNT];
    size_t len[PROP_COUNT];
    WCHAR sz[PROP_COUNT][CLUSSIM_NAME_CHARS];
} common_set;

/* Check a SET/VALIDATE_COMMON_PROPERTIES list into *set. Codes: the CLUSCTL_CLUSTER_SET_
 * COMMON_PROPERTIES page (87 malformed, 13 out of range, 1783 no buffer) and reference 5.2
 * (87 unknown property, 5895 wrong format; 5089 for a read-only one, as proptable.py). */
/* A SharedVolumesRoot the simulator can mount under: "<system drive>:\<folder>[\...]"
 * without a final backslash or an empty, "." or ".." component. */
static int valid_root(const WCHAR *drive, const WCHAR *s, size_t n)
{
    size_t k, start;
    if (n < 4 || (s[0] | 32) != (drive[0] | 32) || s[1] != ':' || s[2] != '\\')
        return 0;
    for (k = start = 3; k <= n; ++k) {
        if (k < n && s[k] != '\\') {
            if (s[k] < 0x20 || s[k] == '/' || s[k] == ':' || s[k] == '*' || s[k] == '?'
                || s[k] == '"' || s[k] == '<' || s[k] == '>' || s[k] == '|')
                return 0;
            continue;
        }
        if (k == start || (k - start == 1 && s[start] == '.')
            || (k - start == 2 && s[start] == '.' && s[start + 1] == '.'))
            return 0;
        start = k + 1;
    }
    return 1;
}

static DWORD parse_common(const uint8_t *in, DWORD cb_in, const WCHAR *system_drive,
                          common_set *set)
{
    csvb_clusprop_reader rd;
    csvb_clusprop_property p;
    csvb_clusprop_entry v;
    WCHAR name[64];
    uint32_t k, j;
    int rc;
    memset(set, 0, sizeof *set);
    if (!in)
        return CSVB_RPC_X_BAD_STUB_DATA;
    rc = csvb_clusprop_begin_list(&rd, in, cb_in, 0);
    while (rc == CSVB_CLUSPROP_OK && (rc = csvb_clusprop_next_property(&rd, &p)) == CSVB_CLUSPROP_OK) {
        uint32_t units = p.name.length / 2 - 1;
        for (k = 0; k < PROP_COUNT; ++k) {
            uint32_t n = ascii_units(props[k].name, name);
            if (n != units)
                continue;
            for (j = 0; j < n; ++j) {
                WCHAR a = csvb_load_u16(in + p.name.data + 2 * j), b = name[j];
                if ((a >= 'a' && a <= 'z' ? a - 32 : a) != (b >= 'a' && b <= 'z' ? b - 32 : b))
                    break;
            }
            if (j == n)
                break;
        }
        if (k == PROP_COUNT)
            return CSVB_ERROR_INVALID_PARAMETER;
        if (props[k].read_only)
            return CSVB_ERROR_RESOURCE_PROPERTY_UNCHANGEABLE;
        if (csvb_clusprop_read_entry(in, cb_in, p.first_value, &v) != CSVB_CLUSPROP_OK)
            return CSVB_ERROR_INVALID_PARAMETER;
        if (CSVB_CLUSPROP_FORMAT_OF(v.syntax) != props[k].format)
            return CSVB_ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH;
        set->have[k] = 1;
        if (props[k].format == CSVB_CLUSPROP_FORMAT_DWORD) {
            set->dword[k] = csvb_load_u32(in + v.data);
            if (set->dword[k] > props[k].maximum)
                return CSVB_ERROR_INVALID_DATA;
        } else {
            set->len[k] = v.length / 2 - 1;
            if (set->len[k] > props[k].maximum)
                return CSVB_ERROR_INVALID_DATA;
            for (j = 0; j <= set->len[k]; ++j)
                set->sz[k][j] = csvb_load_u16(in + v.data + 2 * j);
            if (k == PROP_SHARED_VOLUMES_ROOT && !valid_root(system_drive, set->sz[k], set->len[k]))
                return CSVB_ERROR_INVALID_DATA;
        }
    }
    return rc == CSVB_CLUSPROP_END ? CSVB_ERROR_SUCCESS : CSVB_ERROR_INVALID_PARAMETER;
}

static DWORD apply_common(clussim_image *img, void *varg, int *changed)
{
    common_set *set = (common_set *)varg;
    if (set->have[PROP_DESCRIPTION])
        memcpy(img->cluster.description, set->sz[PROP_DESCRIPTION],
               (set->len[PROP_DESCRIPTION] + 1) * sizeof(WCHAR));
    if (set->have[PROP_SHARED_VOLUMES_ROOT])
        memcpy(img->cluster.shared_volumes_root, set->sz[PROP_SHARED_VOLUMES_ROOT],
               (set->len[PROP_SHARED_VOLUMES_ROOT] + 1) * sizeof(WCHAR));
    if (set->have[PROP_BACKUP_IN_PROGRESS])
        img->cluster.backup_in_progress = set->dword[PROP_BACKUP_IN_PROGRESS];
    *changed = 1;
    return CSVB_ERROR_SUCCESS;
}

/* CLUSCTL_CLUSTER_GET_SHARED_VOLUME_ID: a NUL-terminated path in, "<resource id>:<partition
 * offset in decimal>" out; not on a CSV -> 5945 (CMRP 3.1.4.3.7.17). */
static DWORD control_volume_id(const clussim_image *img, const uint8_t *in, DWORD cb_in,
                               LPVOID out, DWORD cb_out, LPDWORD ret)
{
    WCHAR *path, text[64];
    char ascii[64];
    clussim_path *where;
    const clussim_resource *r;
    DWORD rc, k, n = cb_in / 2;
    if (!in || cb_in % 2)
        return CSVB_ERROR_INVALID_PARAMETER;
    for (k = 0; k < n && csvb_load_u16(in + 2 * k); ++k)
        ;
    if (k == n) /* no NUL inside the buffer */
        return CSVB_ERROR_INVALID_PARAMETER;
    path = (WCHAR *)malloc((k + 1) * sizeof(WCHAR));
    where = (clussim_path *)malloc(sizeof *where);
    if (!path || !where) {
        free(path);
        free(where);
        return CSVB_ERROR_NOT_ENOUGH_MEMORY;
    }
    for (n = 0; n <= k; ++n)
        path[n] = csvb_load_u16(in + 2 * n);
    rc = clussim_resolve(img, path, where);
    if (rc == CSVB_ERROR_SUCCESS && where->csv < 0)
        rc = CSVB_ERROR_CLUSTER_NOT_SHARED_VOLUME;
    if (rc == CSVB_ERROR_SUCCESS) {
        r = &img->resources[where->csv];
        n = (DWORD)snprintf(ascii, sizeof ascii,
                            "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x:%llu",
                            r->id[0], r->id[1], r->id[2], r->id[3], r->id[4], r->id[5], r->id[6],
                            r->id[7], r->id[8], r->id[9], r->id[10], r->id[11], r->id[12],
                            r->id[13], r->id[14], r->id[15], (unsigned long long)r->volume_offset);
        ascii_units(ascii, text);
        rc = give(text, (n + 1) * (DWORD)sizeof(WCHAR), out, cb_out, ret);
    }
    free(path);
    free(where);
    return rc;
}

DWORD WINAPI ClusterControl(HCLUSTER hc, HNODE node, DWORD code, LPVOID in, DWORD cb_in,
                            LPVOID out, DWORD cb_out, LPDWORD ret)
{
    uint8_t list[4096];
    common_set *set;
    clussim_image *img;
    DWORD rc;
    (void)node;
    clussim_clear_detail();
    if (ret)
        *ret = 0;
    if (!hc || hc->magic != MAGIC_CLUSTER)
        return CSVB_ERROR_INVALID_HANDLE;
    if (!(img = load(hc->path, &rc)))
        return rc;
    switch (code) {
    case CSVB_CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES:
    case CSVB_CLUSCTL_CLUSTER_GET_RO_COMMON_PROPERTIES:
        rc = give(list, (DWORD)common_properties(img, code == CSVB_CLUSCTL_CLUSTER_GET_RO_COMMON_PROPERTIES, list),
                  out, cb_out, ret);
        break;
    case CSVB_CLUSCTL_CLUSTER_SET_COMMON_PROPERTIES:
    case CSVB_CLUSCTL_CLUSTER_VALIDATE_COMMON_PROPERTIES:
        if (!(set = (common_set *)malloc(sizeof *set))) {
            rc = CSVB_ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        rc = parse_common((const uint8_t *)in, cb_in, img->cluster.system_drive, set);
        if (rc == CSVB_ERROR_SUCCESS && code == CSVB_CLUSCTL_CLUSTER_SET_COMMON_PROPERTIES)
            rc = clussim_update(hc->path, apply_common, set);
        free(set);
        break;
    case CSVB_CLUSCTL_CLUSTER_GET_SHARED_VOLUME_ID:
        rc = control_volume_id(img, (const uint8_t *)in, cb_in, out, cb_out, ret);
        break;
    default:
        rc = CSVB_ERROR_INVALID_FUNCTION;
    }
    free(img);
    return rc;
}

/* ---- ResUtils: the CSV path functions --------------------------------------------------- */

/* Resolve `path` on the local cluster; *img must be freed by the caller when returned. */
static DWORD resolve_local(LPCWSTR path, clussim_image **img, clussim_path **where,
                           uint32_t *node, char *state_path)
{
    char scratch[PATH_CAP];
    DWORD rc;
    *where = NULL;
    if (!(*img = load_local(&rc, node, state_path ? state_path : scratch)))
        return rc;
    if (!(*where = (clussim_path *)malloc(sizeof **where)))
        return CSVB_ERROR_NOT_ENOUGH_MEMORY;
    return clussim_resolve(*img, path, *where);
}

static void done(clussim_image *img, clussim_path *where)
{
    free(img);
    free(where);
}

BOOL WINAPI ClusterIsPathOnSharedVolume(LPCWSTR path)
{
    clussim_image *img;
    clussim_path *where;
    uint32_t node = 0;
    BOOL yes;
    clussim_clear_detail();
    if (!path || !path[0])
        return 0;
    yes = resolve_local(path, &img, &where, &node, NULL) == CSVB_ERROR_SUCCESS && where->csv >= 0
       /* MSDOC-A: TRUE from a domain account, or when the local node owns the CSV */
       && (img->header.domain_account || img->resources[where->csv].owner_node == node);
    done(img, where);
    return yes;
}

BOOL WINAPI ClusterGetVolumePathName(LPCWSTR path, LPWSTR out, DWORD cch)
{
    clussim_image *img;
    clussim_path *where;
    size_t n;
    DWORD rc;
    clussim_clear_detail();
    if (path && !path[0]) /* MSDOC-A: "" fails with the last error ERROR_SUCCESS */
        return fail(CSVB_ERROR_SUCCESS);
    if (!path || !out || cch == 0) /* Wine's tests: 0 or NULL -> 87 on Vista and later */
        return fail(CSVB_ERROR_INVALID_PARAMETER);
    if ((rc = resolve_local(path, &img, &where, NULL, NULL)) != CSVB_ERROR_SUCCESS) {
        done(img, where);
        return fail(rc);
    }
    n = where->volume_path_len;
    /* GetVolumePathNameW: one character short drops the final backslash; shorter fails with
     * ERROR_FILENAME_EXCED_RANGE (MSDOC-A GetVolumePathNameW; Wine's tests) */
    if (cch < n) {
        done(img, where);
        return fail(CSVB_ERROR_FILENAME_EXCED_RANGE);
    }
    if (cch == n)
        --n;
    memcpy(out, where->volume_path, n * sizeof(WCHAR));
    out[n] = 0;
    done(img, where);
    return 1;
}

static DWORD volume_name(LPCWSTR mount_point, LPWSTR out, DWORD cch)
{
    clussim_image *img;
    clussim_path *where;
    const WCHAR *guid = NULL;
    DWORD rc;
    if (!mount_point)
        return CSVB_ERROR_INVALID_PARAMETER;
    if (!mount_point[0])
        return CSVB_ERROR_INVALID_NAME;
    rc = resolve_local(mount_point, &img, &where, NULL, NULL);
    if (rc == CSVB_ERROR_SUCCESS && !where->trailing_sep)
        /* the input must end with "\": reference 7's table gives 87 for \\?\C:\...\File.Ext
         * and 123 for C:\...\File\that\does\not\exist (Wine: 123 without the backslash) */
        rc = where->extended ? CSVB_ERROR_INVALID_PARAMETER : CSVB_ERROR_INVALID_NAME;
    if (rc == CSVB_ERROR_SUCCESS && !out)
        rc = CSVB_ERROR_INVALID_PARAMETER;
    else if (rc == CSVB_ERROR_SUCCESS && cch < CSVB_VOLUME_GUID_PATH_CHARS + 1)
        rc = CSVB_ERROR_FILENAME_EXCED_RANGE; /* Wine: size < 50 -> 206 */
    if (rc == CSVB_ERROR_SUCCESS && where->after > 0) {
        /* a directory below a volume: an existing one is no mount point (4390, as
         * GetVolumeNameForVolumeMountPointW on NTFS in Wine's tests), a missing one is 123 */
        struct stat st;
        char full[PATH_CAP + 4096 + 2];
        const clussim_resource *r = where->csv >= 0 ? &img->resources[where->csv] : NULL;
        rc = CSVB_ERROR_INVALID_NAME;
        if (r && r->local_dir[0] && where->rest[0]
            && (size_t)snprintf(full, sizeof full, "%s/%s", r->local_dir, where->rest) < sizeof full
            && stat(full, &st) == 0 && S_ISDIR(st.st_mode))
            rc = CSVB_ERROR_NOT_A_REPARSE_POINT;
    } else if (rc == CSVB_ERROR_SUCCESS && where->csv >= 0) {
        if (!img->resources[where->csv].online) /* MSDOC-A: not mounted locally -> 5951 */
            rc = CSVB_ERROR_CSV_VOLUME_NOT_LOCAL;
        else
            guid = img->resources[where->csv].volume_guid_path;
    } else if (rc == CSVB_ERROR_SUCCESS)
        guid = img->cluster.system_volume;
    if (guid)
        memcpy(out, guid, (CSVB_VOLUME_GUID_PATH_CHARS + 1) * sizeof(WCHAR));
    done(img, where);
    return rc;
}

BOOL WINAPI ClusterGetVolumeNameForVolumeMountPoint(LPCWSTR mount_point, LPWSTR out, DWORD cch)
{
    DWORD rc;
    clussim_clear_detail();
    rc = volume_name(mount_point, out, cch);
    return rc == CSVB_ERROR_SUCCESS ? 1 : fail(rc);
}

DWORD WINAPI ClusterPrepareSharedVolumeForBackup(LPCWSTR path, LPWSTR volume_path,
                                                 LPDWORD cch_volume_path, LPWSTR volume_name_out,
                                                 LPDWORD cch_volume_name)
{
    clussim_image *img;
    clussim_path *where;
    DWORD rc, need1, need2 = CSVB_VOLUME_GUID_PATH_CHARS + 1;
    clussim_resource *r;
    char state[PATH_CAP];
    clussim_clear_detail();
    if (!path || !path[0] || !cch_volume_path || !cch_volume_name)
        return CSVB_ERROR_INVALID_PARAMETER;
    if ((rc = resolve_local(path, &img, &where, NULL, state)) != CSVB_ERROR_SUCCESS) {
        done(img, where);
        /* an unknown drive or volume, or a UNC path, is just not on a CSV: 87, as for any
         * other path off the CSVs (the simulator's reading of MSDOC-A's Prepare page) */
        return rc == CSVB_ERROR_FILE_NOT_FOUND || rc == CSVB_ERROR_NOT_SUPPORTED
                   ? CSVB_ERROR_INVALID_PARAMETER
                   : rc;
    }
    if (where->csv < 0) { /* not on a CSV */
        done(img, where);
        return CSVB_ERROR_INVALID_PARAMETER;
    }
    r = &img->resources[where->csv];
    if (!r->online) {
        done(img, where);
        return CSVB_ERROR_CSV_VOLUME_NOT_LOCAL;
    }
    /* The sizes count the NUL, on ERROR_MORE_DATA and on success alike, and both are set
     * when either buffer is short, so one retry with the returned sizes succeeds. Whether
     * Windows counts the NUL is UNVERIFIED (reference 4.2, 11): this is the simulator's
     * documented choice. */
    need1 = (DWORD)where->volume_path_len + 1;
    if (!volume_path || *cch_volume_path < need1 || !volume_name_out || *cch_volume_name < need2) {
        *cch_volume_path = need1;
        *cch_volume_name = need2;
        done(img, where);
        return CSVB_ERROR_MORE_DATA;
    }
    if (img->header.behaviour == CLUSSIM_BEHAVIOUR_2008R2) {
        /* reference 4.3: 2008 R2 sets "Backup in Progress" (cleared after 30 minutes if the
         * backup dies) and disables direct I/O */
        backup_mode_arg a;
        a.index = (uint32_t)where->csv;
        a.state = CSVB_VOLUME_BACKUP_IN_PROGRESS;
        a.delay = CLUSSIM_STALE_SECS;
        a.prepared = 1;
        a.now = clussim_now();
        if ((rc = clussim_update(state, set_backup_mode, &a)) != 0) {
            done(img, where);
            return rc;
        }
    }
    memcpy(volume_path, where->volume_path, need1 * sizeof(WCHAR));
    memcpy(volume_name_out, r->volume_guid_path, need2 * sizeof(WCHAR));
    *cch_volume_path = need1;
    *cch_volume_name = need2;
    done(img, where);
    return CSVB_ERROR_SUCCESS;
}

DWORD WINAPI ClusterClearBackupStateForSharedVolume(LPCWSTR volume_path)
{
    clussim_image *img;
    clussim_path *where;
    backup_mode_arg a;
    char state[PATH_CAP];
    DWORD rc;
    clussim_clear_detail();
    if (!volume_path || !volume_path[0])
        return CSVB_ERROR_INVALID_PARAMETER;
    rc = resolve_local(volume_path, &img, &where, NULL, state);
    /* MSDOC-A: not a CSV path -> 87 (an unknown drive or volume, or UNC, included). It takes
     * the volume path (as Prepare returned it, with or without the final backslash), not a
     * file below it. */
    if (rc == CSVB_ERROR_FILE_NOT_FOUND || rc == CSVB_ERROR_NOT_SUPPORTED)
        rc = CSVB_ERROR_INVALID_PARAMETER;
    if (rc == CSVB_ERROR_SUCCESS && (where->csv < 0 || where->after > 0))
        rc = CSVB_ERROR_INVALID_PARAMETER;
    if (rc == CSVB_ERROR_SUCCESS) {
        a.index = (uint32_t)where->csv;
        a.state = CSVB_VOLUME_BACKUP_NONE;
        a.delay = 0;
        a.prepared = 0;
        a.now = clussim_now();
        rc = clussim_update(state, set_backup_mode, &a);
    }
    done(img, where);
    return rc;
}
