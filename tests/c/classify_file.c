/* A native engine's use of <csvbackup/vss.h>, with no Python: reads a catalog from a binary
 * file, decides every row with csvb_classify_span, writes the decisions and the status word.
 *
 * usage: classify_file IN OUT
 * IN:  u64 n, i64 since, u32 type, u32 flags (1 types, 2 entries, 4 mtimes, 8 diff-since
 *      arrays present), i64 differenced_since0, then u32 masks[n], u8 types[n], u8 entries[n],
 *      i64 mtimes[n], i64 differenced_since[n] (each only when present), little-endian.
 * OUT: u32 status, u8 decisions[n].
 */
#include <csvbackup/vss.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_VALUE(name, value) CSVB_STATIC_ASSERT((name) == (value), #name);
CSVB_VSS_FILE_SPEC_BACKUP_TYPE_LIST(CHECK_VALUE)
CSVB_VSS_BACKUP_TYPE_LIST(CHECK_VALUE)
CSVB_VSS_BACKUP_SCHEMA_LIST(CHECK_VALUE)
CSVB_STATIC_ASSERT(CSVB_DEFAULT_FILESPEC_MASK
                       == (VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED),
                   "default mask");

static void *read_array(FILE *f, size_t n, size_t size)
{
    void *p = malloc(n * size + 1);
    if (!p || fread(p, size, n, f) != n) {
        fprintf(stderr, "short read\n");
        exit(2);
    }
    return p;
}

int main(int argc, char **argv)
{
    FILE *in, *out;
    uint64_t n;
    uint32_t flags, status;
    csvb_classify_args a;
    if (argc != 3 || !(in = fopen(argv[1], "rb")) || !(out = fopen(argv[2], "wb")))
        return 2;
    memset(&a, 0, sizeof a);
    if (fread(&n, 8, 1, in) != 1 || fread(&a.since, 8, 1, in) != 1 || fread(&a.type, 4, 1, in) != 1
        || fread(&flags, 4, 1, in) != 1 || fread(&a.differenced_since0, 8, 1, in) != 1)
        return 2;
    a.masks = (const uint32_t *)read_array(in, (size_t)n, 4);
    if (flags & 1)
        a.types = (const uint8_t *)read_array(in, (size_t)n, 1);
    if (flags & 2)
        a.entries = (const uint8_t *)read_array(in, (size_t)n, 1);
    if (flags & 4)
        a.mtimes = (const int64_t *)read_array(in, (size_t)n, 8);
    if (flags & 8)
        a.differenced_since = (const int64_t *)read_array(in, (size_t)n, 8);
    a.out = (uint8_t *)malloc((size_t)n + 1);
    status = csvb_classify_span(&a, 0, (size_t)n);
    /* the scalar entry points agree with the batch */
    if (n > 0 && status == 0) {
        uint32_t st = 0;
        uint32_t d =
            csvb_decide_row(a.masks[0], a.types ? a.types[0] : a.type, a.entries ? a.entries[0] : 0,
                            a.mtimes ? a.mtimes[0] : 0,
                            a.differenced_since ? a.differenced_since[0] : a.differenced_since0,
                            a.since, a.mtimes != NULL, &st);
        if (d != a.out[0] || st != 0)
            return 3;
    }
    if (csvb_effective_backup_type(VSS_BT_INCREMENTAL, VSS_BS_DIFFERENTIAL) != VSS_BT_FULL
        || csvb_effective_backup_type(VSS_BT_DIFFERENTIAL, 881) != VSS_BT_DIFFERENTIAL
        || csvb_effective_backup_type(VSS_BT_UNDEFINED, 0xFFFF) != VSS_BT_UNDEFINED)
        return 4;
    fwrite(&status, 4, 1, out);
    fwrite(a.out, 1, (size_t)n, out);
    fclose(out);
    fclose(in);
    return 0;
}
