/* Fuzz the simulated cluster's C entry points (src/clussim/) under AddressSanitizer and
 * UndefinedBehaviorSanitizer: random paths (pieces of real forms, random units, lone
 * surrogates, up to past 32,767 units) into every path function with exactly-sized heap
 * output buffers of random sizes; random bytes into the control codes that take input; and
 * mutated state files into clussim_read; and mutated state files resealed with a good CRC
 * (a CRC proves nothing about who wrote the file) attached and called through. Every return
 * code must be one the functions document. Usage: clussim_fuzz STATE_DIR ITERATIONS SEED */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csvbackup/csv_backup.h>

#include "clussim/clussim.h"

static uint64_t rng;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static void put_ascii(WCHAR *dst, const char *s)
{
    while ((*dst++ = (WCHAR)(unsigned char)*s++))
        ;
}

static const char *pieces[] = {
    "C:",
    "c:",
    "D:",
    "\\\\?\\C:",
    "//?/c:",
    "\\\\.\\C:",
    "\\\\?\\UNC\\s\\h",
    "\\\\srv\\sh",
    "\\\\?\\Volume{de8b99bb-895e-4a1d-9d64-9b82fa068d76}",
    "\\\\?\\Volume{deadbeef-895e-4a1d-9d64-9b82fa068d76}",
    "\\\\?\\Volume{DEADBEEF-895E-4A1D-9D64-9B82FA068D76}",
    "\\\\?\\Volume{dead",
    "\\\\?\\GLOBALROOT",
    "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1",
    "\\Device\\Harddisk0\\Partition1",
    "\\",
    "/",
    "ClusterStorage",
    "Volume31",
    "VOLUME1",
    ".",
    "..",
    "a",
    "*",
    ":",
    "\\\\",
    "?",
    "Volume{",
};

/* A random NUL-terminated path of at most cap - 1 units into p; returns its length. */
static size_t random_path(WCHAR *p, size_t cap)
{
    size_t n = 0, parts = next() % 12, k;
    if (next() % 50 == 0) /* around the 32,767 limit */
        parts = 0, n = 32760 + next() % 12;
    for (k = 0; k < n && k < cap - 1; ++k)
        p[k] = (WCHAR)('a' + k % 7);
    for (k = 0; k < parts; ++k) {
        if (next() % 4 == 0) { /* a random unit, surrogates and controls included */
            WCHAR u = (WCHAR)(next() % 3 == 0 ? 0xD800 + next() % 0x800 : 1 + next() % 0xFFFE);
            if (n + 1 < cap)
                p[n++] = u;
        } else {
            const char *s = pieces[next() % (sizeof pieces / sizeof pieces[0])];
            while (*s && n + 1 < cap)
                p[n++] = (WCHAR)(unsigned char)*s++;
        }
    }
    p[n] = 0;
    return n;
}

static int allowed(DWORD rc, const DWORD *ok, size_t n, int line)
{
    size_t k;
    for (k = 0; k < n; ++k)
        if (rc == ok[k])
            return 1;
    fprintf(stderr, "line %d: unexpected code %u\n", line, rc);
    return 0;
}

#define CHECK(rc, ...)                                                 \
    do {                                                               \
        static const DWORD ok_[] = {__VA_ARGS__};                      \
        if (!allowed((rc), ok_, sizeof ok_ / sizeof ok_[0], __LINE__)) \
            return 1;                                                  \
    } while (0)

static void *exact(size_t n)
{
    return malloc(n ? n : 1);
}

/* CRC-32 (IEEE, reflected, as zlib's crc32) of p[0, n): the state file's seal. */
static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    size_t k;
    int b;
    for (k = 0; k < n; ++k)
        for (c ^= p[k], b = 0; b < 8; ++b)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    return ~c;
}

/* The fixed-size strings of a state file: where each starts in the image and its bytes. */
typedef struct {
    size_t at, bytes;
} field;

static field string_field(size_t resources)
{
    size_t r = offsetof(clussim_image, resources)
               + (resources ? next() % resources : 0) * sizeof(clussim_resource);
    const size_t c = offsetof(clussim_image, cluster);
    const field fields[] = {
        {c + offsetof(clussim_cluster, name), sizeof(((clussim_cluster *)0)->name)},
        {c + offsetof(clussim_cluster, description), sizeof(((clussim_cluster *)0)->description)},
        {c + offsetof(clussim_cluster, shared_volumes_root),
         sizeof(((clussim_cluster *)0)->shared_volumes_root)},
        {r + offsetof(clussim_resource, name), sizeof(((clussim_resource *)0)->name)},
        {r + offsetof(clussim_resource, friendly_name),
         sizeof(((clussim_resource *)0)->friendly_name)},
        {r + offsetof(clussim_resource, volume_guid_path),
         sizeof(((clussim_resource *)0)->volume_guid_path)},
        {r + offsetof(clussim_resource, local_dir), sizeof(((clussim_resource *)0)->local_dir)},
    };
    return fields[next() % (sizeof fields / sizeof fields[0])];
}

/* Mutate good[0, size) (bit flips, a run of one non-zero byte, or the terminator of one string
 * field erased to the field's end), then reseal it: the CRC a writer would set. 1 when a
 * string was left without its terminator: a reader must refuse that file. */
static int mutate_and_reseal(uint8_t *good, size_t size, size_t resources)
{
    int unterminated = 0;
    size_t k, at, run;
    uint32_t crc;
    field f;
    switch (next() % 3) {
    case 0:
        f = string_field(resources);
        for (k = f.at; k < f.at + f.bytes && good[k]; ++k)
            ;
        memset(good + k, 'A', f.at + f.bytes - k);
        unterminated = 1;
        break;
    case 1:
        at = sizeof(clussim_header) + next() % (size - sizeof(clussim_header));
        run = 1 + next() % 1100;
        memset(good + at, 'A' + (int)(next() % 26), at + run > size ? size - at : run);
        break;
    default:
        for (k = 0; k < 1 + next() % 4; ++k)
            good[sizeof(clussim_header) + next() % (size - sizeof(clussim_header))] ^=
                (uint8_t)(1u << (next() % 8));
    }
    memset(good + offsetof(clussim_header, crc32), 0, 4);
    crc = crc32_ieee(good, size);
    memcpy(good + offsetof(clussim_header, crc32), &crc, 4);
    return unterminated;
}

/* Every path function on paths under the first CSV and the cluster's common properties: what a
 * resealed state file is called through. */
static int call_through(void)
{
    static const char *paths[] = {
        "C:\\ClusterStorage\\Volume31\\sub\\",
        "C:\\ClusterStorage\\Volume31\\",
        "\\\\?\\Volume{deadbeef-895e-4a1d-9d64-9b82fa068d76}\\sub\\",
    };
    WCHAR path[128], out[300], out2[64];
    uint8_t props[2048];
    DWORD c1, c2, ret = 0, rc;
    size_t k;
    HCLUSTER hc = OpenCluster(NULL);
    if (!hc)
        return 0;
    for (k = 0; k < sizeof paths / sizeof paths[0]; ++k) {
        put_ascii(path, paths[k]);
        (void)ClusterIsPathOnSharedVolume(path);
        if (!ClusterGetVolumePathName(path, out, 300))
            CHECK(GetLastError(), 0, 2, 50, 87, 123, 206);
        if (!ClusterGetVolumeNameForVolumeMountPoint(path, out, 300))
            CHECK(GetLastError(), 2, 50, 87, 123, 206, 4390, 5951);
        c1 = 300, c2 = 64;
        CHECK(ClusterPrepareSharedVolumeForBackup(path, out, &c1, out2, &c2), 0, 87, 123, 206, 234,
              5951);
    }
    rc = ClusterControl(hc, NULL, CSVB_CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES, NULL, 0, props,
                        sizeof props, &ret);
    CHECK(rc, 0, 234);
    CloseCluster(hc);
    return 0;
}

int main(int argc, char **argv)
{
    static clussim_image img;
    char state[4096], bad[4096];
    WCHAR node[8], *path = (WCHAR *)malloc(40000 * sizeof(WCHAR));
    HCLUSTER hc;
    HRESOURCE hr[3];
    long iterations;
    long it;
    FILE *f;
    size_t size;
    uint8_t *good;
    if (argc != 4)
        return 2;
    snprintf(state, sizeof state, "%s/fuzz.state", argv[1]);
    snprintf(bad, sizeof bad, "%s/bad.state", argv[1]);
    iterations = atol(argv[2]);
    rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)atol(argv[3]);

    img.header.node_count = 2;
    img.header.resource_count = 3;
    img.header.flags = CLUSSIM_FLAG_NO_FSYNC;
    put_ascii(img.cluster.name, "FUZZ");
    put_ascii(img.cluster.nodes[0], "NODE1");
    put_ascii(img.cluster.nodes[1], "NODE2");
    put_ascii(img.cluster.system_drive, "C:");
    put_ascii(img.cluster.system_volume, "\\\\?\\Volume{de8b99bb-895e-4a1d-9d64-9b82fa068d76}\\");
    put_ascii(img.cluster.system_devices[0], "\\Device\\HarddiskVolume1");
    put_ascii(img.cluster.system_devices[1], "\\Device\\Harddisk0\\Partition1");
    put_ascii(img.cluster.shared_volumes_root, "C:\\ClusterStorage");
    put_ascii(img.resources[0].name, "Disk31");
    put_ascii(img.resources[0].friendly_name, "Volume31");
    put_ascii(img.resources[0].volume_guid_path,
              "\\\\?\\Volume{deadbeef-895e-4a1d-9d64-9b82fa068d76}\\");
    put_ascii(img.resources[1].name, "Disk1");
    put_ascii(img.resources[1].friendly_name, "Volume1");
    put_ascii(img.resources[1].volume_guid_path,
              "\\\\?\\Volume{11111111-2222-4333-8444-555555555555}\\");
    put_ascii(img.resources[2].name, "IP");
    img.resources[0].is_csv = img.resources[1].is_csv = 1;
    img.resources[0].online = img.resources[1].online = img.resources[2].online = 1;
    img.resources[1].owner_node = 1;
    img.resources[0].id[0] = 1;
    img.resources[1].id[0] = 2;
    img.resources[2].id[0] = 3;
    snprintf(img.resources[0].local_dir, sizeof img.resources[0].local_dir, "%s", argv[1]);
    if (clussim_create(state, &img, 1)
        || clussim_attach(state, (put_ascii(node, "node1"), node), NULL))
        return fprintf(stderr, "setup: %s\n", clussim_detail()), 1;
    hc = OpenCluster(NULL);
    put_ascii(node, "Disk31");
    hr[0] = OpenClusterResource(hc, node);
    put_ascii(node, "DISK1");
    hr[1] = OpenClusterResource(hc, node);
    put_ascii(node, "ip");
    hr[2] = OpenClusterResource(hc, node);
    if (!hc || !hr[0] || !hr[1] || !hr[2])
        return fprintf(stderr, "open failed\n"), 1;

    for (it = 0; it < iterations; ++it) {
        size_t n = random_path(path, 40000), cch = next() % (n + 8), k;
        WCHAR *out = (WCHAR *)exact(cch * sizeof(WCHAR));
        WCHAR *out2 = (WCHAR *)exact((cch % 60) * sizeof(WCHAR));
        DWORD c1 = (DWORD)cch, c2 = (DWORD)(cch % 60), ret = 0, rc, sz;
        BOOL b;
        uint8_t *in, *o;
        (void)ClusterIsPathOnSharedVolume(path);
        b = ClusterGetVolumePathName(path, cch ? out : NULL, (DWORD)cch);
        if (!b)
            CHECK(GetLastError(), 0, 2, 50, 87, 123, 206);
        b = ClusterGetVolumeNameForVolumeMountPoint(path, cch ? out : NULL, (DWORD)cch);
        if (!b)
            CHECK(GetLastError(), 2, 50, 87, 123, 206, 4390, 5951);
        rc =
            ClusterPrepareSharedVolumeForBackup(path, cch ? out : NULL, &c1, c2 ? out2 : NULL, &c2);
        CHECK(rc, 0, 87, 123, 206, 234, 5951);
        if (next() % 8 == 0)
            CHECK(ClusterClearBackupStateForSharedVolume(path), 0, 87, 123, 206);
        /* control codes with exactly-sized random input and output */
        sz = next() % 700;
        in = (uint8_t *)exact(sz);
        for (k = 0; k < sz; ++k)
            in[k] = (uint8_t)next();
        if (sz >= 8 && next() % 2) { /* often a plausible backup-mode header */
            in[0] = (uint8_t)(next() % 3), in[1] = in[2] = in[3] = 0;
            memcpy(in + 8, "V\0o\0l\0u\0m\0e\0\x33\0\x31\0\0\0", sz >= 26 ? 18 : sz - 8);
        }
        o = (uint8_t *)exact(cch);
        rc = ClusterResourceControl(hr[next() % 3], NULL,
                                    CSVB_CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE,
                                    next() % 16 ? in : NULL, sz, NULL, 0, &ret);
        CHECK(rc, 0, 1, 87, 1783);
        rc = ClusterResourceControl(hr[next() % 3], NULL,
                                    CSVB_CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO, NULL, 0,
                                    cch ? o : NULL, (DWORD)cch, &ret);
        CHECK(rc, 0, 1, 234);
        rc = ClusterControl(hc, NULL, CSVB_CLUSCTL_CLUSTER_SET_COMMON_PROPERTIES, in, sz, NULL, 0,
                            &ret);
        CHECK(rc, 0, 13, 87, 5089, 5895);
        k = next() % 2; /* random bytes, or the path with its NUL */
        rc = ClusterControl(hc, NULL, CSVB_CLUSCTL_CLUSTER_GET_SHARED_VOLUME_ID,
                            k ? (void *)in : (void *)path, k ? sz : (DWORD)(2 * n + 2),
                            cch ? o : NULL, (DWORD)cch, &ret);
        CHECK(rc, 0, 2, 50, 87, 123, 206, 234, 5945);
        rc = ClusterControl(hc, NULL, CSVB_CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES, NULL, 0,
                            cch ? o : NULL, (DWORD)cch, &ret);
        CHECK(rc, 0, 234);
        free(in);
        free(o);
        free(out);
        free(out2);
        if (it % 64 == 0 && clussim_create(state, &img, 1)) /* undo what the SETs changed */
            return 1;
    }

    /* mutated state files: clussim_read answers 0 or ERROR_FILE_CORRUPT, nothing else */
    f = fopen(state, "rb");
    good = (uint8_t *)malloc(sizeof(clussim_image) + 64);
    size = fread(good, 1, sizeof(clussim_image) + 64, f);
    fclose(f);
    for (it = 0; it < iterations / 16 + 1; ++it) {
        static clussim_image back;
        size_t n = next() % 4 == 0 ? next() % (size + 64) : size, k;
        for (k = 0; k < 1 + next() % 4; ++k)
            good[next() % size] ^= (uint8_t)(1u << (next() % 8));
        f = fopen(bad, "wb");
        fwrite(good, 1, n, f);
        fclose(f);
        CHECK(clussim_read(bad, &back), 0, 1392);
        f = fopen(state, "rb"); /* fresh copy for the next mutant */
        size = fread(good, 1, sizeof(clussim_image) + 64, f);
        fclose(f);
    }

    /* resealed mutants: read, and when they read as valid, attached and called through */
    for (it = 0; it < iterations / 16 + 1; ++it) {
        static clussim_image back;
        DWORD rc;
        int unterminated = mutate_and_reseal(good, size, img.header.resource_count);
        f = fopen(bad, "wb");
        fwrite(good, 1, size, f);
        fclose(f);
        rc = clussim_read(bad, &back);
        if (unterminated)
            CHECK(rc, 1392);
        else
            CHECK(rc, 0, 1392);
        if (rc == 0 && clussim_attach(bad, (put_ascii(node, "node1"), node), NULL) == 0
            && call_through())
            return 1;
        f = fopen(state, "rb");
        size = fread(good, 1, sizeof(clussim_image) + 64, f);
        fclose(f);
    }
    if (clussim_attach(state, (put_ascii(node, "node1"), node), NULL))
        return fprintf(stderr, "re-attach: %s\n", clussim_detail()), 1;
    CloseClusterResource(hr[0]);
    CloseClusterResource(hr[1]);
    CloseClusterResource(hr[2]);
    CloseCluster(hc);
    free(good);
    free(path);
    printf("ok %ld\n", iterations);
    return 0;
}
