/*
 * resutils.c - the ResUtils.dll calls of include/csvbackup/clusapi.h (the CSV path functions)
 * on a simulated cluster's state file, for non-Windows builds.
 *
 * Each function keeps the documented contract of the real one: return values, Win32 codes,
 * buffer sizes in WCHARs and ERROR_MORE_DATA with the required size. Where no public source
 * fixes a behaviour, the comment says which choice was made. Sources:
 * docs/reference/cluster-formats.md (sections 4 and 7), the MSDOC pages named there, and
 * Wine's tests of the volume functions (kernel32/tests/volume.c, which pass on Windows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csvbackup/csv_backup.h>

#include "api.h"

/* ---- ResUtils: the CSV path functions --------------------------------------------------- */

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

/* Resolve `path` on the local cluster; *img must be freed by the caller when returned. */
static DWORD resolve_local(LPCWSTR path, clussim_image **img, clussim_path **where, uint32_t *node,
                           char *state_path)
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
    yes = resolve_local(path, &img, &where, &node, NULL) == CSVB_ERROR_SUCCESS
          && where->csv >= 0
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
        /* the input must end with "\": docs/reference/cluster-formats.md section 7's table gives 87
         * for \\?\C:\...\File.Ext and 123 for C:\...\File\that\does\not\exist (Wine: 123 without
         * the backslash) */
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
     * Windows counts the NUL is UNVERIFIED (docs/reference/cluster-formats.md section 4.2, 11):
     * this is the simulator's documented choice. */
    need1 = (DWORD)where->volume_path_len + 1;
    if (!volume_path || *cch_volume_path < need1 || !volume_name_out || *cch_volume_name < need2) {
        *cch_volume_path = need1;
        *cch_volume_name = need2;
        done(img, where);
        return CSVB_ERROR_MORE_DATA;
    }
    if (img->header.behaviour == CLUSSIM_BEHAVIOUR_2008R2) {
        /* docs/reference/cluster-formats.md section 4.3: 2008 R2 sets "Backup in Progress" (cleared
         * after 30 minutes if the backup dies) and disables direct I/O */
        clussim_backup_mode_arg a;
        a.index = (uint32_t)where->csv;
        a.state = CSVB_VOLUME_BACKUP_IN_PROGRESS;
        a.delay = CLUSSIM_STALE_SECS;
        a.prepared = 1;
        a.now = clussim_now();
        if ((rc = clussim_update(state, clussim_set_backup_mode, &a)) != CSVB_ERROR_SUCCESS) {
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
    clussim_backup_mode_arg a;
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
        rc = clussim_update(state, clussim_set_backup_mode, &a);
    }
    done(img, where);
    return rc;
}
