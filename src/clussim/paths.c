/*
 * paths.c - which volume, and which CSV, a Windows path names in a simulated cluster.
 *
 * Forms (docs/reference/cluster-formats.md section 7; DESIGN: "\" and "/" are both separators,
 * names compare case-insensitively):
 *   C:\ClusterStorage\Volume1\dir\file           Win32: "." and ".." resolved, "\\" collapsed
 *   \\?\C:\ClusterStorage\Volume1\...            extended: taken literally
 *   \\?\Volume{GUID}\...                         the system volume's GUID, or a CSV's own
 *   \\?\GLOBALROOT\Device\HarddiskVolume1\...    a device name of the system volume
 * The volume path keeps the caller's prefix ("c:", "\\?\C:", "\\?\Volume{...}") and the
 * cluster's spelling of the mount point, as ClusterGetVolumePathName's examples show.
 * Names compare as everywhere in csvbackup: csvb_fold_unit (include/csvbackup/filespec.h), the
 * simple uppercase of each UTF-16 unit, over the table the extension gives clussim_set_upcase.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <csvbackup/csv_backup.h>
#include <csvbackup/filespec.h>

#include "clussim.h"

#define IS_SEP(u) ((u) == '\\' || (u) == '/')

static _Atomic(const uint16_t *) upcase_table;

void clussim_set_upcase(const uint16_t *upcase)
{
    atomic_store_explicit(&upcase_table, upcase, memory_order_release);
}

static const uint16_t *upcase(void)
{
    return atomic_load_explicit(&upcase_table, memory_order_acquire);
}

/* Drive letters and the \\?\ prefixes are syntax, ASCII on Windows too. */
static WCHAR fold_ascii(WCHAR u)
{
    return csvb_fold_unit(u, NULL);
}

size_t clussim_wcslen(LPCWSTR s, size_t cap)
{
    size_t n;
    for (n = 0; n <= cap; ++n)
        if (!s[n])
            return n;
    return cap + 1;
}

int clussim_wcs_ieq(LPCWSTR a, size_t na, LPCWSTR b, size_t nb)
{
    const uint16_t *up = upcase();
    size_t k;
    if (na != nb)
        return 0;
    for (k = 0; k < na; ++k)
        if (csvb_fold_unit(a[k], up) != csvb_fold_unit(b[k], up))
            return 0;
    return 1;
}

/* Does s[0, n) start with the ASCII `lit` (case-insensitive; '\' also matches '/')? */
static int starts(LPCWSTR s, size_t n, const char *lit)
{
    size_t k, m = strlen(lit);
    if (n < m)
        return 0;
    for (k = 0; k < m; ++k) {
        WCHAR u = s[k];
        if (lit[k] == '\\' ? !IS_SEP(u) : fold_ascii(u) != fold_ascii((WCHAR)(unsigned char)lit[k]))
            return 0;
    }
    return 1;
}

typedef struct comp {
    size_t at, len;
} comp;


/* A Win32 name may not hold these (Naming Files, Paths, and Namespaces). */
static int bad_unit(WCHAR u)
{
    return u < 0x20 || u == '<' || u == '>' || u == ':' || u == '"' || u == '|' || u == '?'
           || u == '*';
}

/* The components of s[from, n); Win32 rules (skip empty and ".", pop on "..") unless
 * `literal`. Returns the count, or (size_t)-1 for a name with a forbidden character. */
static size_t split(LPCWSTR s, size_t from, size_t n, int literal, comp *out)
{
    size_t count = 0, k = from;
    while (k < n) {
        size_t start = k;
        while (k < n && !IS_SEP(s[k]))
            ++k;
        if (k > start) {
            size_t j, len = k - start;
            for (j = start; j < k; ++j)
                if (bad_unit(s[j]))
                    return (size_t)-1;
            if (!literal && len == 1 && s[start] == '.')
                ;
            else if (!literal && len == 2 && s[start] == '.' && s[start + 1] == '.') {
                if (count)
                    --count;
            } else {
                out[count].at = start;
                out[count].len = len;
                ++count;
            }
        }
        ++k; /* the separator */
    }
    return count;
}

/* The components of a NUL-terminated string (the cluster's root). */
static size_t split_z(LPCWSTR s, size_t from, comp *out)
{
    return split(s, from, clussim_wcslen(s, CLUSSIM_NAME_CHARS), 1, out);
}

static int comp_ieq(LPCWSTR a, comp ca, LPCWSTR b, comp cb)
{
    return clussim_wcs_ieq(a + ca.at, ca.len, b + cb.at, cb.len);
}

static void put(clussim_path *out, LPCWSTR s, size_t n, int as_path)
{
    size_t k;
    for (k = 0; k < n && out->volume_path_len + 1 < sizeof out->volume_path / sizeof(WCHAR); ++k)
        out->volume_path[out->volume_path_len++] = as_path && s[k] == '/' ? '\\' : s[k];
    out->volume_path[out->volume_path_len] = 0;
}

/* UTF-8 of comps[first, count) joined by '/', into out->rest ("" when it does not fit or a
 * component is not valid UTF-16). */
static void rest_utf8(clussim_path *out, LPCWSTR s, const comp *comps, size_t first, size_t count)
{
    size_t o = 0, c, k, cap = sizeof out->rest;
    out->rest[0] = '\0';
    for (c = first; c < count; ++c) {
        if (c > first) {
            if (o + 1 >= cap)
                return (void)(out->rest[0] = '\0');
            out->rest[o++] = '/';
        }
        for (k = comps[c].at; k < comps[c].at + comps[c].len; ++k) {
            uint32_t cp = s[k];
            if (cp >= 0xD800 && cp <= 0xDBFF && k + 1 < comps[c].at + comps[c].len
                && s[k + 1] >= 0xDC00 && s[k + 1] <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (s[k + 1] - 0xDC00u);
                ++k;
            } else if (cp >= 0xD800 && cp <= 0xDFFF)
                return (void)(out->rest[0] = '\0');
            if (o + 5 >= cap)
                return (void)(out->rest[0] = '\0');
            if (cp < 0x80)
                out->rest[o++] = (char)cp;
            else if (cp < 0x800) {
                out->rest[o++] = (char)(0xC0 | (cp >> 6));
                out->rest[o++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out->rest[o++] = (char)(0xE0 | (cp >> 12));
                out->rest[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out->rest[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out->rest[o++] = (char)(0xF0 | (cp >> 18));
                out->rest[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                out->rest[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out->rest[o++] = (char)(0x80 | (cp & 0x3F));
            }
        }
    }
    out->rest[o] = '\0';
}

enum { ON_SYSTEM, ON_CSV };

static const WCHAR L_SEP_[1] = {'\\'};

static DWORD resolve(const clussim_image *img, LPCWSTR path, clussim_path *out, comp *comps);

DWORD clussim_resolve(const clussim_image *img, LPCWSTR path, clussim_path *out)
{
    /* a component takes a unit and a separator: at most n / 2 + 1 of them */
    size_t n = path ? clussim_wcslen(path, CLUSSIM_MAX_LONG_PATH) : 0;
    comp *comps = (comp *)malloc((n / 2 + 2) * sizeof(comp));
    DWORD rc;
    if (!comps)
        return CSVB_ERROR_NOT_ENOUGH_MEMORY;
    rc = resolve(img, path, out, comps);
    free(comps);
    return rc;
}

static DWORD resolve(const clussim_image *img, LPCWSTR path, clussim_path *out, comp *comps)
{
    comp root[CLUSSIM_NAME_CHARS / 2 + 1];
    const clussim_cluster *c = &img->cluster;
    size_t n, prefix, count, nroot, k;
    int volume = ON_SYSTEM, csv = -1;
    memset(out, 0, offsetof(clussim_path, volume_path));
    out->csv = -1;
    out->volume_path[0] = 0;
    out->rest[0] = '\0';
    if (!path)
        return CSVB_ERROR_INVALID_PARAMETER;
    n = clussim_wcslen(path, CLUSSIM_MAX_LONG_PATH);
    if (n > CLUSSIM_MAX_LONG_PATH)
        return CSVB_ERROR_FILENAME_EXCED_RANGE;
    if (n == 0)
        return CSVB_ERROR_INVALID_PARAMETER;
    if (starts(path, n, "\\\\?\\") || starts(path, n, "\\\\.\\")) {
        LPCWSTR s = path + 4;
        size_t m = n - 4;
        out->extended = 1;
        if (m >= 2 && fold_ascii(s[0]) >= 'A' && fold_ascii(s[0]) <= 'Z' && s[1] == ':'
            && (m == 2 || IS_SEP(s[2]))) {
            if (fold_ascii(s[0]) != fold_ascii(c->system_drive[0]))
                return CSVB_ERROR_FILE_NOT_FOUND;
            prefix = 6;
        } else if (starts(s, m, "volume{")) {
            /* \\?\Volume{GUID}\ is 49 units: the GUID path without its final backslash is 48 */
            {
                WCHAR probe[CSVB_VOLUME_GUID_PATH_CHARS];
                if (n < 48 || (n > 48 && !IS_SEP(path[48])))
                    return CSVB_ERROR_INVALID_NAME;
                for (k = 0; k < 48; ++k)
                    probe[k] = path[k] == '/' ? '\\' : path[k];
                probe[48] = '\\';
                {
                    uint8_t bytes[2 * CSVB_VOLUME_GUID_PATH_CHARS];
                    for (k = 0; k < CSVB_VOLUME_GUID_PATH_CHARS; ++k)
                        csvb_store_u16(bytes + 2 * k, probe[k]);
                    if (!csvb_is_volume_guid_path(bytes, CSVB_VOLUME_GUID_PATH_CHARS))
                        return CSVB_ERROR_INVALID_NAME;
                }
                if (clussim_wcs_ieq(probe, 49, c->system_volume, 49))
                    volume = ON_SYSTEM;
                else {
                    for (k = 0; k < img->header.resource_count; ++k) {
                        const clussim_resource *r = &img->resources[k];
                        if (r->is_csv && clussim_wcs_ieq(probe, 49, r->volume_guid_path, 49))
                            break;
                    }
                    if (k == img->header.resource_count)
                        return CSVB_ERROR_FILE_NOT_FOUND;
                    volume = ON_CSV;
                    csv = (int)k;
                    out->by_guid = 1;
                }
            }
            prefix = 48;
        } else if (starts(s, m, "globalroot\\")) {
            for (k = 0; k < CLUSSIM_DEVICES; ++k) {
                const WCHAR *d = c->system_devices[k];
                size_t dn = clussim_wcslen(d, CLUSSIM_DEVICE_CHARS);
                /* the device name starts with its own backslash: \\?\GLOBALROOT\Device\... */
                if (dn && m >= 10 + dn) {
                    size_t j;
                    for (j = 0; j < dn; ++j)
                        if (IS_SEP(d[j]) ? !IS_SEP(s[10 + j])
                                         : !clussim_wcs_ieq(d + j, 1, s + 10 + j, 1))
                            break;
                    if (j == dn && (m == 10 + dn || IS_SEP(s[10 + dn])))
                        break;
                }
            }
            if (k == CLUSSIM_DEVICES)
                return CSVB_ERROR_FILE_NOT_FOUND;
            prefix = 4 + 10 + clussim_wcslen(c->system_devices[k], CLUSSIM_DEVICE_CHARS);
        } else if (starts(s, m, "unc\\"))
            return CSVB_ERROR_NOT_SUPPORTED;
        else
            return CSVB_ERROR_INVALID_NAME;
    } else if (n >= 2 && IS_SEP(path[0]) && IS_SEP(path[1]))
        return CSVB_ERROR_NOT_SUPPORTED; /* \\server\share: no network in the simulator */
    else if (n >= 3 && fold_ascii(path[0]) >= 'A' && fold_ascii(path[0]) <= 'Z' && path[1] == ':'
             && IS_SEP(path[2])) {
        if (fold_ascii(path[0]) != fold_ascii(c->system_drive[0]))
            return CSVB_ERROR_FILE_NOT_FOUND;
        prefix = 2;
    } else
        return CSVB_ERROR_INVALID_PARAMETER; /* relative: the simulator has no current directory */

    count = split(path, prefix, n, out->extended, comps);
    if (count == (size_t)-1)
        return CSVB_ERROR_INVALID_NAME;
    out->trailing_sep = IS_SEP(path[n - 1]);
    put(out, path, prefix, 1);
    if (volume == ON_CSV) {
        out->csv = csv;
        out->after = count;
        put(out, L_SEP_, 1, 0);
        rest_utf8(out, path, comps, 0, count);
        return CSVB_ERROR_SUCCESS;
    }
    /* on the system volume: below SharedVolumesRoot\<friendly name>? */
    nroot = split_z(c->shared_volumes_root, 2, root); /* after "C:" */
    if (count > nroot) {
        for (k = 0; k < nroot && comp_ieq(path, comps[k], c->shared_volumes_root, root[k]); ++k)
            ;
        if (k == nroot) {
            for (k = 0; k < img->header.resource_count; ++k) {
                const clussim_resource *r = &img->resources[k];
                if (r->is_csv
                    && clussim_wcs_ieq(path + comps[nroot].at, comps[nroot].len, r->friendly_name,
                                       clussim_wcslen(r->friendly_name, CLUSSIM_NAME_CHARS))) {
                    csv = (int)k;
                    break;
                }
            }
        }
    }
    if (csv < 0) {
        out->after = count;
        put(out, L_SEP_, 1, 0);
        return CSVB_ERROR_SUCCESS;
    }
    out->csv = csv;
    out->after = count - nroot - 1;
    for (k = 0; k < nroot; ++k) {
        put(out, L_SEP_, 1, 0);
        put(out, c->shared_volumes_root + root[k].at, root[k].len, 0);
    }
    put(out, L_SEP_, 1, 0);
    put(out, img->resources[csv].friendly_name,
        clussim_wcslen(img->resources[csv].friendly_name, CLUSSIM_NAME_CHARS), 0);
    put(out, L_SEP_, 1, 0);
    rest_utf8(out, path, comps, nroot + 1, count);
    return CSVB_ERROR_SUCCESS;
}
