/*
 * state.c - the simulated cluster's state file: checked reads, locked atomic updates, the
 * local-cluster attachment, the clock and the per-thread last error. See clussim.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csvbackup/csv_backup.h>

#include "clussim.h"

CSVB_STATIC_ASSERT(sizeof(clussim_header) == 64, "state-file header is 64 bytes");
CSVB_STATIC_ASSERT(sizeof(clussim_resource) % 8 == 0, "resource records stay 8-aligned");

static _Thread_local DWORD last_error;
static _Thread_local char detail[768];

DWORD WINAPI GetLastError(void)
{
    return last_error;
}
void WINAPI SetLastError(DWORD code)
{
    last_error = code;
}

const char *clussim_detail(void)
{
    return detail;
}
void clussim_clear_detail(void)
{
    detail[0] = '\0';
}

void clussim_set_detail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
}

/* ---- clock ------------------------------------------------------------------------------ */

/* 100-ns ticks between 1601-01-01 and 1970-01-01 */
#define UNIX_EPOCH_AS_FILETIME 116444736000000000LL

static volatile int64_t fixed_time;

void clussim_set_time(int64_t filetime)
{
    fixed_time = filetime;
}

int64_t clussim_now(void)
{
    struct timespec ts;
    int64_t t = fixed_time;
    if (t)
        return t;
    clock_gettime(CLOCK_REALTIME, &ts);
    return UNIX_EPOCH_AS_FILETIME + (int64_t)ts.tv_sec * 10000000LL + ts.tv_nsec / 100;
}

uint32_t clussim_backup_state(const clussim_resource *r, int64_t now)
{
    return r->backup_state == CSVB_VOLUME_BACKUP_IN_PROGRESS && now < r->deadline
               ? CSVB_VOLUME_BACKUP_IN_PROGRESS
               : CSVB_VOLUME_BACKUP_NONE;
}

/* ---- CRC-32 (IEEE 802.3, reflected, as zlib's crc32) ------------------------------------ */

/* Slicing-by-8: every call reads the whole state file and checks it, so this runs on
 * every simulated call (a byte-at-a-time CRC made the CRC most of a call's cost). */
static uint32_t crc_table[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    uint32_t k, c, b, t;
    for (k = 0; k < 256; ++k) {
        for (c = k, b = 0; b < 8; ++b)
            c = c & 1u ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[0][k] = c;
    }
    for (k = 0; k < 256; ++k)
        for (c = crc_table[0][k], t = 1; t < 8; ++t)
            crc_table[t][k] = c = crc_table[0][c & 0xFFu] ^ (c >> 8);
}

uint32_t clussim_crc32(const uint8_t *p, size_t n, uint32_t crc)
{
    pthread_once(&crc_once, crc_init);
    crc = ~crc;
    for (; n >= 8; n -= 8, p += 8) {
        uint32_t lo =
            crc
            ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        uint32_t hi =
            (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
        crc = crc_table[7][lo & 0xFFu] ^ crc_table[6][(lo >> 8) & 0xFFu]
              ^ crc_table[5][(lo >> 16) & 0xFFu] ^ crc_table[4][lo >> 24] ^ crc_table[3][hi & 0xFFu]
              ^ crc_table[2][(hi >> 8) & 0xFFu] ^ crc_table[1][(hi >> 16) & 0xFFu]
              ^ crc_table[0][hi >> 24];
    }
    while (n--)
        crc = crc_table[0][(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

static uint32_t image_crc(const clussim_image *img, size_t size)
{
    const uint8_t *p = (const uint8_t *)img;
    static const uint8_t zero[4] = {0, 0, 0, 0};
    size_t at = offsetof(clussim_header, crc32);
    uint32_t crc = clussim_crc32(p, at, 0);
    crc = clussim_crc32(zero, 4, crc);
    return clussim_crc32(p + at + 4, size - at - 4, crc);
}

/* ---- checks ----------------------------------------------------------------------------- */

static int terminated(const WCHAR *s, size_t cap)
{
    size_t k;
    for (k = 0; k < cap; ++k)
        if (!s[k])
            return 1;
    return 0;
}

/* Whether the image's contents are consistent (the header was checked already). */
static int check_contents(const clussim_image *img, const char *path)
{
    const clussim_cluster *c = &img->cluster;
    uint32_t k, d;
#define BAD(...) return clussim_set_detail(__VA_ARGS__), 0
    if (!terminated(c->name, CLUSSIM_SHORT_CHARS) || !c->name[0])
        BAD("state file %s: the cluster name is empty or unterminated", path);
    for (k = 0; k < img->header.node_count; ++k)
        if (!terminated(c->nodes[k], CLUSSIM_SHORT_CHARS) || !c->nodes[k][0])
            BAD("state file %s: node %u's name is empty or unterminated", path, k);
    if (!terminated(c->system_drive, 4) || !terminated(c->system_volume, CLUSSIM_GUID_PATH_CHARS)
        || !terminated(c->shared_volumes_root, CLUSSIM_NAME_CHARS)
        || !terminated(c->description, CLUSSIM_NAME_CHARS))
        BAD("state file %s: a cluster string is unterminated", path);
    for (d = 0; d < CLUSSIM_DEVICES; ++d)
        if (!terminated(c->system_devices[d], CLUSSIM_DEVICE_CHARS))
            BAD("state file %s: system device %u is unterminated", path, d);
    if (c->backup_in_progress > 1)
        BAD("state file %s: BackupInProgress is %u (0 or 1)", path, c->backup_in_progress);
    for (k = 0; k < img->header.resource_count; ++k) {
        const clussim_resource *r = &img->resources[k];
        if (!terminated(r->name, CLUSSIM_NAME_CHARS) || !r->name[0]
            || !terminated(r->type, CLUSSIM_SHORT_CHARS)
            || !terminated(r->friendly_name, CLUSSIM_NAME_CHARS)
            || !terminated(r->volume_guid_path, CLUSSIM_GUID_PATH_CHARS)
            || !memchr(r->local_dir, 0, sizeof r->local_dir))
            BAD("state file %s: resource %u has an empty or unterminated string", path, k);
        if (r->owner_node >= img->header.node_count || r->online > 1 || r->is_csv > 1
            || r->backup_state > CSVB_VOLUME_BACKUP_IN_PROGRESS)
            BAD("state file %s: resource %u has an out-of-range field", path, k);
    }
#undef BAD
    return 1;
}

static DWORD check_image(const clussim_image *img, size_t got, const char *path)
{
    const clussim_header *h = &img->header;
    if (got < sizeof(clussim_header)) {
        clussim_set_detail("state file %s is truncated: %zu bytes, a header alone is %zu", path,
                           got, sizeof(clussim_header));
        return CSVB_ERROR_FILE_CORRUPT;
    }
    if (memcmp(h->magic, CLUSSIM_MAGIC, 8) != 0) {
        clussim_set_detail("%s is not a csvbackup simulator state file (bad magic)", path);
        return CSVB_ERROR_FILE_CORRUPT;
    }
    if (h->version != CLUSSIM_VERSION) {
        clussim_set_detail("state file %s has version %u; this build reads version %u", path,
                           h->version, CLUSSIM_VERSION);
        return CSVB_ERROR_FILE_CORRUPT;
    }
    if (h->node_count == 0 || h->node_count > CLUSSIM_MAX_NODES
        || h->resource_count > CLUSSIM_MAX_RESOURCES
        || h->size != CLUSSIM_IMAGE_SIZE(h->resource_count) || h->size != got) {
        clussim_set_detail("state file %s is truncated or damaged: %zu bytes, header says %u "
                           "bytes for %u nodes and %u resources",
                           path, got, h->size, h->node_count, h->resource_count);
        return CSVB_ERROR_FILE_CORRUPT;
    }
    if (image_crc(img, got) != h->crc32) {
        clussim_set_detail("state file %s is damaged: its CRC-32 does not match", path);
        return CSVB_ERROR_FILE_CORRUPT;
    }
    if (h->behaviour > CLUSSIM_BEHAVIOUR_2008R2 || h->domain_account > 1
        || !check_contents(img, path))
        return CSVB_ERROR_FILE_CORRUPT;
    return CSVB_ERROR_SUCCESS;
}

/* ---- reading and writing ---------------------------------------------------------------- */

/* Read at most `cap` bytes of fd into img; one byte more means no valid state file. */
static DWORD read_fd(int fd, clussim_image *img, size_t cap, const char *path)
{
    size_t got = 0;
    for (;;) {
        ssize_t n = read(fd, (char *)img + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            clussim_set_detail("cannot read state file %s: %s", path, strerror(errno));
            return CSVB_ERROR_FILE_CORRUPT;
        }
        if (n == 0)
            break;
        got += (size_t)n;
        if (got == cap) {
            char extra;
            if (read(fd, &extra, 1) == 1) {
                clussim_set_detail("state file %s is larger than any valid state file (or "
                                   "grew while read)",
                                   path);
                return CSVB_ERROR_FILE_CORRUPT;
            }
            break;
        }
    }
    return check_image(img, got, path);
}

/* The Win32 code for a failed open/create: a permission problem is ERROR_ACCESS_DENIED, as
 * Windows reports it; anything else leaves the state unusable. */
static DWORD open_error(int err)
{
    return err == EACCES || err == EPERM ? CSVB_ERROR_ACCESS_DENIED : CSVB_ERROR_FILE_CORRUPT;
}

static int open_state(const char *path, DWORD *rc)
{
    struct stat st;
    /* O_NONBLOCK: a FIFO put in the state file's place must not block the open */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        /* a missing file is a lost state, not an empty cluster: never recreated here */
        *rc = open_error(errno);
        clussim_set_detail("cannot open state file %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        clussim_set_detail("state file %s is not a regular file", path);
        *rc = CSVB_ERROR_FILE_CORRUPT;
        close(fd);
        return -1;
    }
    return fd;
}

DWORD clussim_read(const char *path, clussim_image *img)
{
    DWORD rc = CSVB_ERROR_SUCCESS;
    int fd = open_state(path, &rc);
    if (fd < 0)
        return rc;
    rc = read_fd(fd, img, sizeof *img, path);
    close(fd);
    return rc;
}

clussim_image *clussim_load(const char *path, DWORD *rc)
{
    /* Sized to the file (a few KB), not to the largest image (~150 KB): every call reads
     * the state, and a large malloc is an mmap/munmap with page faults each time. */
    struct stat st;
    clussim_image *img = NULL;
    size_t cap;
    int fd = open_state(path, rc);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0) {
        clussim_set_detail("cannot stat state file %s: %s", path, strerror(errno));
        *rc = CSVB_ERROR_FILE_CORRUPT;
    } else {
        cap = st.st_size < 0 ? 0 : (size_t)st.st_size;
        if (cap > sizeof(clussim_image))
            cap = sizeof(clussim_image);
        if (cap < CLUSSIM_IMAGE_SIZE(0))
            cap = CLUSSIM_IMAGE_SIZE(0);
        if (!(img = (clussim_image *)malloc(cap)))
            *rc = CSVB_ERROR_NOT_ENOUGH_MEMORY;
        else if ((*rc = read_fd(fd, img, cap, path)) != CSVB_ERROR_SUCCESS) {
            free(img);
            img = NULL;
        }
    }
    close(fd);
    return img;
}

static DWORD write_all(int fd, const void *p, size_t n, const char *path)
{
    const char *c = (const char *)p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            clussim_set_detail("cannot write %s: %s", path, strerror(errno));
            return CSVB_ERROR_FILE_CORRUPT;
        }
        c += w;
        n -= (size_t)w;
    }
    return CSVB_ERROR_SUCCESS;
}

/* Seal `img` (size, generation, CRC) and replace the file at `path` with it atomically. */
static DWORD replace_file(const char *path, clussim_image *img)
{
    char tmp[4096 + 8];
    size_t size = CLUSSIM_IMAGE_SIZE(img->header.resource_count);
    DWORD rc;
    int fd;
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        clussim_set_detail("state file path too long: %s", path);
        return CSVB_ERROR_FILENAME_EXCED_RANGE;
    }
    img->header.size = (uint32_t)size;
    img->header.generation += 1;
    img->header.crc32 = image_crc(img, size);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        rc = open_error(errno);
        clussim_set_detail("cannot create %s: %s", tmp, strerror(errno));
        return rc;
    }
    rc = write_all(fd, img, size, tmp);
    if (rc == CSVB_ERROR_SUCCESS && !(img->header.flags & CLUSSIM_FLAG_NO_FSYNC)
        && fsync(fd) != 0) {
        clussim_set_detail("cannot fsync %s: %s", tmp, strerror(errno));
        rc = CSVB_ERROR_FILE_CORRUPT;
    }
    if (close(fd) != 0 && rc == CSVB_ERROR_SUCCESS) {
        clussim_set_detail("cannot close %s: %s", tmp, strerror(errno));
        rc = CSVB_ERROR_FILE_CORRUPT;
    }
    if (rc == CSVB_ERROR_SUCCESS && rename(tmp, path) != 0) {
        clussim_set_detail("cannot rename %s over %s: %s", tmp, path, strerror(errno));
        rc = CSVB_ERROR_FILE_CORRUPT;
    }
    if (rc != CSVB_ERROR_SUCCESS)
        unlink(tmp);
    return rc;
}

/* Hold the exclusive lock of `path` (on "<path>.lock", which is never replaced); -1 and
 * *rc set when it cannot be had. */
static int lock_state(const char *path, DWORD *rc)
{
    char lock[4096 + 8];
    int fd;
    if ((size_t)snprintf(lock, sizeof lock, "%s.lock", path) >= sizeof lock) {
        clussim_set_detail("state file path too long: %s", path);
        *rc = CSVB_ERROR_FILENAME_EXCED_RANGE;
        return -1;
    }
    fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        *rc = open_error(errno);
        clussim_set_detail("cannot open lock file %s: %s", lock, strerror(errno));
        return -1;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            clussim_set_detail("cannot lock %s: %s", lock, strerror(errno));
            close(fd);
            *rc = CSVB_ERROR_FILE_CORRUPT;
            return -1;
        }
    }
    return fd;
}

static void unlock_state(int fd)
{
    flock(fd, LOCK_UN);
    close(fd);
}

DWORD clussim_update(const char *path, clussim_mutator fn, void *arg)
{
    clussim_image *img;
    int lock, changed = 0;
    DWORD rc;
    if ((lock = lock_state(path, &rc)) < 0)
        return rc;
    img = clussim_load(path, &rc);
    if (img)
        rc = fn(img, arg, &changed);
    if (rc == CSVB_ERROR_SUCCESS && changed)
        rc = replace_file(path, img);
    unlock_state(lock);
    free(img);
    return rc;
}

DWORD clussim_create(const char *path, clussim_image *img, int replace)
{
    size_t size;
    int lock;
    DWORD rc;
    clussim_clear_detail();
    memset(img->header.magic, 0, sizeof img->header.magic);
    memcpy(img->header.magic, CLUSSIM_MAGIC, sizeof CLUSSIM_MAGIC);
    img->header.version = CLUSSIM_VERSION;
    img->header.generation = 0;
    if (img->header.node_count == 0 || img->header.node_count > CLUSSIM_MAX_NODES
        || img->header.resource_count > CLUSSIM_MAX_RESOURCES) {
        clussim_set_detail("a simulated cluster has 1-%u nodes and at most %u resources",
                           CLUSSIM_MAX_NODES, CLUSSIM_MAX_RESOURCES);
        return CSVB_ERROR_INVALID_DATA;
    }
    size = CLUSSIM_IMAGE_SIZE(img->header.resource_count);
    img->header.size = (uint32_t)size;
    img->header.crc32 = image_crc(img, size);
    if (check_image(img, size, path) != CSVB_ERROR_SUCCESS)
        return CSVB_ERROR_INVALID_DATA;
    if ((lock = lock_state(path, &rc)) < 0)
        return rc;
    if (!replace && access(path, F_OK) == 0) {
        clussim_set_detail("state file %s exists already", path);
        rc = CSVB_ERROR_ALREADY_EXISTS;
    } else {
        img->header.generation = (uint64_t)-1; /* replace_file adds one: the first is 0 */
        rc = replace_file(path, img);
    }
    unlock_state(lock);
    return rc;
}

/* ---- the local cluster ------------------------------------------------------------------ */

static pthread_mutex_t local_lock = PTHREAD_MUTEX_INITIALIZER;
static char local_path[4096];
static uint32_t local_node_index;

DWORD clussim_attach(const char *path, LPCWSTR local_node, const uint8_t *fingerprint)
{
    clussim_image *img;
    uint32_t k;
    DWORD rc;
    clussim_clear_detail();
    if (!path || !local_node || strlen(path) >= sizeof local_path)
        return CSVB_ERROR_INVALID_PARAMETER;
    if (!(img = clussim_load(path, &rc)))
        return rc;
    if (fingerprint && memcmp(fingerprint, img->header.fingerprint, 16) != 0) {
        clussim_set_detail("state file %s was made from a different configuration (delete it "
                           "to start the simulated cluster afresh)",
                           path);
        rc = CSVB_ERROR_INVALID_DATA;
    }
    if (rc == CSVB_ERROR_SUCCESS) {
        for (k = 0;
             k < img->header.node_count
             && !clussim_wcs_ieq(img->cluster.nodes[k],
                                 clussim_wcslen(img->cluster.nodes[k], CLUSSIM_SHORT_CHARS),
                                 local_node, clussim_wcslen(local_node, CLUSSIM_SHORT_CHARS));
             ++k)
            ;
        if (k == img->header.node_count) {
            clussim_set_detail("the local node is not a node of the cluster in %s", path);
            rc = CSVB_ERROR_INVALID_PARAMETER;
        } else {
            pthread_mutex_lock(&local_lock);
            strcpy(local_path, path);
            local_node_index = k;
            pthread_mutex_unlock(&local_lock);
        }
    }
    free(img);
    return rc;
}

void clussim_detach(void)
{
    pthread_mutex_lock(&local_lock);
    local_path[0] = '\0';
    pthread_mutex_unlock(&local_lock);
}

DWORD clussim_local(char *path, size_t cap, uint32_t *local_node)
{
    DWORD rc = CSVB_ERROR_SUCCESS;
    pthread_mutex_lock(&local_lock);
    if (!local_path[0] || strlen(local_path) >= cap)
        rc = CSVB_RPC_S_SERVER_UNAVAILABLE;
    else {
        strcpy(path, local_path);
        *local_node = local_node_index;
    }
    pthread_mutex_unlock(&local_lock);
    return rc;
}
