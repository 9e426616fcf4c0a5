/*
 * controls.c - ClusterResourceControl and ClusterControl on a simulated cluster: the control
 * codes a CSV resource and the cluster answer (backup mode, volume info, common properties,
 * the shared volume id), as the real resource DLL and cluster service do.
 *
 * Each code keeps its documented contract: Win32 codes, buffer sizes in bytes and
 * ERROR_MORE_DATA with the required size. Sources: docs/reference/cluster-formats.md
 * (sections 1-6), [MS-CMRP] and the MSDOC pages named there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csvbackup/csv_backup.h>

#include "api.h"

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

/* The ASCII name s as UTF-16 units in out, NUL-terminated; returns the units before the NUL. */
static uint32_t ascii_units(const char *s, WCHAR *out)
{
    uint32_t k;
    for (k = 0; s[k]; ++k)
        out[k] = (WCHAR)(unsigned char)s[k];
    out[k] = 0;
    return k;
}

/* ---- resource control codes ------------------------------------------------------------- */

DWORD clussim_set_backup_mode(clussim_image *img, void *varg, int *changed)
{
    clussim_backup_mode_arg *a = (clussim_backup_mode_arg *)varg;
    clussim_resource *r = &img->resources[a->index];
    r->backup_state = a->state;
    r->delay_timer_secs = a->delay;
    r->deadline =
        a->state == CSVB_VOLUME_BACKUP_IN_PROGRESS ? a->now + (int64_t)a->delay * 10000000 : 0;
    /* 2008 R2's Prepare disables direct I/O (docs/reference/cluster-formats.md section 4.3); Clear
     * and NONE undo it */
    if (a->prepared)
        r->fault_state |= CSVB_VOLUME_STATE_NO_DIRECT_IO;
    else if (a->state == CSVB_VOLUME_BACKUP_NONE)
        r->fault_state &= ~CSVB_VOLUME_STATE_NO_DIRECT_IO;
    *changed = 1;
    return CSVB_ERROR_SUCCESS;
}

static DWORD control_backup_mode(HRESOURCE h, clussim_resource *r, const uint8_t *in, DWORD cb_in)
{
    clussim_backup_mode_arg a;
    size_t n, where, fn = wlen(r->friendly_name, CLUSSIM_NAME_CHARS);
    const WCHAR *name;
    WCHAR units[CSVB_MAX_PATH];
    size_t k;
    if (!in) /* docs/reference/cluster-formats.md section 5.2: lpInBuffer NULL on a SET */
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
    return clussim_update(h->path, clussim_set_backup_mode, &a);
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
    if (!(img = clussim_load_resource(h, &r, &rc)))
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
    default:
        /* what a resource DLL answers for a code it does not handle
         * (docs/reference/cluster-formats.md section 5.2) */
        rc = CSVB_ERROR_INVALID_FUNCTION;
    }
    free(img);
    return rc;
}

/* ---- cluster control codes: common properties and GET_SHARED_VOLUME_ID ------------------ */

/* The cluster common properties the simulator keeps (docs/reference/cluster-formats.md
 * section 5.3; MSDOC "Cluster Common Properties"; read-write as in
 * csvbackup.clusprop.table.CLUSTER_COMMON_PROPERTIES). Setting SharedVolumesRoot moves every
 * CSV's mount point, as paths are resolved against it. */
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
 * with the trailing list-level ENDMARK servers send (docs/reference/cluster-formats.md section
 * 1.3). */
static size_t common_properties(const clussim_image *img, uint32_t read_only, uint8_t *buf)
{
    WCHAR name[64];
    size_t off = 4;
    uint32_t k, count = 0;
    for (k = 0; k < PROP_COUNT; ++k) {
        const WCHAR *s =
            k == PROP_DESCRIPTION ? img->cluster.description : img->cluster.shared_volumes_root;
        if (props[k].read_only != read_only)
            continue;
        ++count;
        off = csvb_clusprop_put_utf16(buf, off, CSVB_CLUSPROP_SYNTAX_NAME, name,
                                      ascii_units(props[k].name, name));
        if (props[k].format == CSVB_CLUSPROP_FORMAT_DWORD)
            off = csvb_clusprop_put_u32(buf, off, props[k].syntax, img->cluster.backup_in_progress);
        else
            off =
                csvb_clusprop_put_utf16(buf, off, props[k].syntax, s, wlen(s, CLUSSIM_NAME_CHARS));
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

/* Check a SET/VALIDATE_COMMON_PROPERTIES list into *set. Codes: the CLUSCTL_CLUSTER_SET_
 * COMMON_PROPERTIES page (87 malformed, 13 out of range, 1783 no buffer) and
 * docs/reference/cluster-formats.md section 5.2 (87 unknown property, 5895 wrong format; 5089 for a
 * read-only one, as csvbackup/clusprop/table.py). */
static DWORD parse_common(const uint8_t *in, DWORD cb_in, const WCHAR *system_drive,
                          common_set *set)
{
    csvb_clusprop_reader rd;
    csvb_clusprop_property p;
    csvb_clusprop_entry v;
    WCHAR name[64], given[64];
    uint32_t k, j;
    int rc;
    memset(set, 0, sizeof *set);
    if (!in)
        return CSVB_RPC_X_BAD_STUB_DATA;
    rc = csvb_clusprop_begin_list(&rd, in, cb_in, 0);
    while (rc == CSVB_CLUSPROP_OK
           && (rc = csvb_clusprop_next_property(&rd, &p)) == CSVB_CLUSPROP_OK) {
        uint32_t units = p.name.length / 2 - 1;
        /* "A property name is a case-insensitive, non-null Unicode string" ([MS-CMRP],
         * Object Properties, https://msdn.microsoft.com/en-us/library/cc225035.aspx): names
         * compare as every name in csvbackup does, csvbackup/clusprop/table.py included */
        for (j = 0; j < units && j < 64; ++j)
            given[j] = csvb_load_u16(in + p.name.data + 2 * j);
        /* a longer name is unequal to every one in props by its length alone */
        for (k = 0; k < PROP_COUNT; ++k)
            if (clussim_wcs_ieq(given, units, name, ascii_units(props[k].name, name)))
                break;
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
static DWORD control_volume_id(const clussim_image *img, const uint8_t *in, DWORD cb_in, LPVOID out,
                               DWORD cb_out, LPDWORD ret)
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
        n = (DWORD)snprintf(
            ascii, sizeof ascii,
            "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x:%llu", r->id[0],
            r->id[1], r->id[2], r->id[3], r->id[4], r->id[5], r->id[6], r->id[7], r->id[8],
            r->id[9], r->id[10], r->id[11], r->id[12], r->id[13], r->id[14], r->id[15],
            (unsigned long long)r->volume_offset);
        ascii_units(ascii, text);
        rc = give(text, (n + 1) * (DWORD)sizeof(WCHAR), out, cb_out, ret);
    }
    free(path);
    free(where);
    return rc;
}

DWORD WINAPI ClusterControl(HCLUSTER hc, HNODE node, DWORD code, LPVOID in, DWORD cb_in, LPVOID out,
                            DWORD cb_out, LPDWORD ret)
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
        rc = give(list,
                  (DWORD)common_properties(
                      img, code == CSVB_CLUSCTL_CLUSTER_GET_RO_COMMON_PROPERTIES, list),
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
    default: rc = CSVB_ERROR_INVALID_FUNCTION;
    }
    free(img);
    return rc;
}
