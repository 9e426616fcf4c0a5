/*
 * clussim.h - the simulated cluster behind include/csvbackup/clusapi.h on non-Windows builds.
 *
 * src/clussim/ implements the ClusAPI / ResUtils subset csvbackup calls (cluster_api.c,
 * controls.c, resutils.c), so the Cython core's call sites are the same as on Windows. A
 * simulated cluster is a *state file*: one fixed-layout binary image (this header) holding
 * the topology (cluster name, nodes, resources, CSVs) and the mutable state (each CSV's backup
 * mode and delay-timer deadline, the cluster common properties). Every process that attaches
 * the same file sees the same cluster:
 *
 *   - readers open the file, read it whole and check its CRC-32: a file is only ever replaced
 *     by rename(2), so a reader sees one complete version, old or new, never a torn one;
 *   - writers take an exclusive flock(2) on "<state>.lock", re-read the current version,
 *     change it, write "<state>.tmp", fsync it (unless the image says not to) and rename it
 *     over the state file. A writer killed at any point leaves the previous version intact
 *     (and at worst a stale .tmp, which the next writer truncates).
 *
 * A state file that is missing or fails any check (size, magic, version, counts, CRC) is
 * never reset: every call fails with ERROR_FILE_CORRUPT and clussim_detail() names the file
 * and the reason.
 *
 * Times are FILETIME ticks (100 ns since 1601-01-01 UTC) from the wall clock, which every
 * process shares; clussim_set_time() fixes the clock of this process (tests).
 */
#ifndef CSVBACKUP_CLUSSIM_H
#define CSVBACKUP_CLUSSIM_H

#include <stddef.h>
#include <stdint.h>

#include <csvbackup/clusapi.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CLUSSIM_MAGIC           "CSVBSIM" /* 7 characters + NUL: a state file's first 8 bytes */
#define CLUSSIM_VERSION         1u
#define CLUSSIM_MAX_NODES       16u
#define CLUSSIM_MAX_RESOURCES   64u
#define CLUSSIM_NAME_CHARS      260u /* resource and friendly names, paths: MAX_PATH with NUL */
#define CLUSSIM_SHORT_CHARS     64u  /* cluster, node and resource-type names, with NUL */
#define CLUSSIM_GUID_PATH_CHARS 50u  /* \\?\Volume{GUID}\ + NUL */
#define CLUSSIM_DEVICE_CHARS    128u
#define CLUSSIM_DEVICES         2u

#define CLUSSIM_BEHAVIOUR_MODERN 0u /* Prepare only resolves names (Windows Server 2012+) */
#define CLUSSIM_BEHAVIOUR_2008R2 1u /* Prepare sets backup-in-progress, 30-minute stale timeout */
/* "CSV clears Backup in Progress after 30 minutes"
 * (docs/reference/cluster-formats.md section 4.3) */
#define CLUSSIM_STALE_SECS 1800u

#define CLUSSIM_FLAG_NO_FSYNC 1u /* header.flags: skip fsync (throwaway clusters, tests) */

/* The longest path the Win32 wide-character functions take (MAX_PATH's \\?\ limit). */
#define CLUSSIM_MAX_LONG_PATH 32767u

/* State-file header: 64 bytes. */
typedef struct clussim_header {
    char magic[8];           /* CLUSSIM_MAGIC */
    uint32_t version;        /* CLUSSIM_VERSION */
    uint32_t size;           /* bytes in the file, this header included */
    uint32_t crc32;          /* CRC-32 (IEEE) of the file with this field zeroed */
    uint32_t flags;          /* CLUSSIM_FLAG_* */
    uint32_t node_count;     /* 1..CLUSSIM_MAX_NODES */
    uint32_t resource_count; /* 0..CLUSSIM_MAX_RESOURCES */
    uint32_t behaviour;      /* CLUSSIM_BEHAVIOUR_* */
    uint32_t domain_account; /* ClusterIsPathOnSharedVolume: the caller uses a domain account */
    uint64_t generation;     /* +1 on every write */
    uint8_t fingerprint[16]; /* of the configuration the file was made from */
} clussim_header;

/* The cluster: names, nodes and the cluster common properties. */
typedef struct clussim_cluster {
    WCHAR name[CLUSSIM_SHORT_CHARS];
    WCHAR nodes[CLUSSIM_MAX_NODES][CLUSSIM_SHORT_CHARS];
    WCHAR system_drive[4];                        /* "C:" */
    WCHAR system_volume[CLUSSIM_GUID_PATH_CHARS]; /* the system volume's \\?\Volume{GUID}\ */
    WCHAR system_devices[CLUSSIM_DEVICES][CLUSSIM_DEVICE_CHARS]; /* \Device\HarddiskVolume1, ... */
    WCHAR shared_volumes_root[CLUSSIM_NAME_CHARS]; /* SharedVolumesRoot, "C:\ClusterStorage" */
    WCHAR description[CLUSSIM_NAME_CHARS];         /* common property Description */
    uint32_t backup_in_progress;                   /* common property BackupInProgress (0 or 1) */
    uint32_t reserved;
} clussim_cluster;

/* One resource; the CSV part is meaningful when is_csv is 1. */
typedef struct clussim_resource {
    int64_t deadline;       /* FILETIME at which IN_PROGRESS lapses to NONE */
    uint64_t volume_offset; /* CLUS_CSV_VOLUME_INFO.VolumeOffset */
    uint32_t owner_node;    /* index into clussim_cluster.nodes */
    uint32_t online;        /* 1: ClusterResourceOnline, 0: ClusterResourceOffline */
    uint32_t is_csv;
    uint32_t partition_number;
    uint32_t backup_state;     /* CSVB_VOLUME_BACKUP_* as last set (see clussim_backup_state) */
    uint32_t delay_timer_secs; /* as last set */
    uint32_t fault_state;      /* CSVB_VOLUME_STATE_* bits */
    uint32_t reserved;
    uint8_t id[16]; /* the resource's GUID, as GetClusterResourceKey would show it */
    WCHAR name[CLUSSIM_NAME_CHARS];
    WCHAR type[CLUSSIM_SHORT_CHARS];
    WCHAR friendly_name[CLUSSIM_NAME_CHARS];         /* "Volume1" */
    WCHAR volume_guid_path[CLUSSIM_GUID_PATH_CHARS]; /* \\?\Volume{GUID}\ */
    WCHAR reserved2[2];
    char local_dir[1024]; /* UTF-8: the directory holding the CSV's files ("" if none) */
} clussim_resource;

/* The whole image; a file holds the header, the cluster and resource_count resources. */
typedef struct clussim_image {
    clussim_header header;
    clussim_cluster cluster;
    clussim_resource resources[CLUSSIM_MAX_RESOURCES];
} clussim_image;

#define CLUSSIM_IMAGE_SIZE(count) \
    (offsetof(clussim_image, resources) + (size_t)(count) * sizeof(clussim_resource))

/* ---- what the extension calls to set the simulator up ---------------------------------- */
/* (On Windows the real cluster answers and src/clussim/shim.h stubs these out.) */
#ifndef _WIN32

/* Write `img` (header.node_count/resource_count/... filled by the caller; magic, version,
 * size, generation and crc32 are set here) as a new state file at `path`. With replace == 0
 * an existing file is left alone and ERROR_ALREADY_EXISTS returned. Validates the image the
 * way a reader would (names terminated, counts in range, owners valid): ERROR_INVALID_DATA. */
DWORD clussim_create(const char *path, clussim_image *img, int replace);

/* Make `path` this process's local cluster (the one OpenCluster(NULL) and the ResUtils calls
 * use) with `local_node` as the node this process runs on; the file must be valid and, when
 * `fingerprint` is not NULL, made from that configuration (else ERROR_INVALID_DATA). */
DWORD clussim_attach(const char *path, LPCWSTR local_node, const uint8_t *fingerprint);

/* Forget the local cluster: OpenCluster(NULL) and the ResUtils calls then fail with
 * RPC_S_SERVER_UNAVAILABLE, as on a machine that is not a cluster node. */
void clussim_detach(void);

/* Read the current image of `path` (checked). */
DWORD clussim_read(const char *path, clussim_image *img);

/* Fix this process's clock at `filetime` (0: the wall clock again). */
void clussim_set_time(int64_t filetime);
int64_t clussim_now(void);

/* The calling thread's explanation of the last state-file failure ("" if none). */
const char *clussim_detail(void);

/* The backup state a reader sees: IN_PROGRESS only until its deadline (lazily evaluated). */
uint32_t clussim_backup_state(const clussim_resource *r, int64_t now);

/* The 65,536-entry simple-uppercase table of csvb_fold_unit (include/csvbackup/filespec.h)
 * every name and path comparison of the simulator folds with; it must outlive its use. The
 * extension gives the one it matches file specs and mount points with; without one (NULL, the
 * start) the simulator folds ASCII only. */
void clussim_set_upcase(const uint16_t *upcase);

/* ---- shared by the simulator's own files -------------------------------------------------- */

/* A path resolved against a cluster image (paths.c). */
typedef struct clussim_path {
    int csv;                 /* index of the CSV resource holding the path; -1: not on a CSV */
    int extended;            /* the path has the \\?\ prefix */
    int by_guid;             /* ...and names the CSV by its volume GUID path */
    int trailing_sep;        /* the path ends with \ or / */
    size_t after;            /* components below the volume path */
    size_t volume_path_len;  /* units of volume_path, without the NUL */
    WCHAR volume_path[1024]; /* what ClusterGetVolumePathName returns, NUL-terminated */
    char rest[4096];         /* UTF-8, '/'-separated components below a CSV's mount point
                                 ("" when none, or when they do not fit / are not UTF-16) */
} clussim_path;

/* Resolve `path` (NUL-terminated) against `img`: ERROR_SUCCESS, or 87 (NULL, relative or
 * drive-relative), 123 (malformed), 206 (longer than 32,767), 2 (an unknown drive, volume or
 * device), 50 (UNC). An empty path resolves to ERROR_INVALID_PARAMETER too: callers that
 * treat it differently check first. */
DWORD clussim_resolve(const clussim_image *img, LPCWSTR path, clussim_path *out);
size_t clussim_wcslen(LPCWSTR s, size_t cap); /* cap + 1 if no NUL within cap units */
/* Whether two names are equal as Windows compares names: unit by unit, through filespec.h's
 * csvb_fold_unit over the clussim_set_upcase table. */
int clussim_wcs_ieq(LPCWSTR a, size_t na, LPCWSTR b, size_t nb);
#endif /* _WIN32 */

/* Run `fn` on the current image under the exclusive lock; when it returns ERROR_SUCCESS and
 * sets *changed, the new image replaces the file atomically. */
typedef DWORD (*clussim_mutator)(clussim_image *img, void *arg, int *changed);
/* The current image of `path`, checked, in a malloc'd block sized to the file (only
 * header.resource_count resources are there); NULL with *rc set on failure. */
clussim_image *clussim_load(const char *path, DWORD *rc);
DWORD clussim_update(const char *path, clussim_mutator fn, void *arg);
void clussim_set_detail(const char *fmt, ...);
void clussim_clear_detail(void);
/* The local cluster: copies its path (and the local node index) under the process lock. */
DWORD clussim_local(char *path, size_t cap, uint32_t *local_node);
uint32_t clussim_crc32(const uint8_t *p, size_t n, uint32_t crc);

#ifdef __cplusplus
}
#endif

#endif /* CSVBACKUP_CLUSSIM_H */
