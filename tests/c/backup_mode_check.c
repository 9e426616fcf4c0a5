/* Native check of CLUS_SHARED_VOLUME_BACKUP_MODE records with include/csvbackup/csv_backup.h
 * alone: reads 528-byte records from argv[1], writes one line per record to stdout:
 * "<rc> <name_units> <where>". tests/c/test_c_headers.py compares it with the extension. */
#include <csvbackup/csv_backup.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    uint8_t rec[CSVB_BACKUP_MODE_SIZE];
    FILE *f;
    if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL)
        return 2;
    while (fread(rec, 1, sizeof rec, f) == sizeof rec) {
        size_t n, where;
        int rc = csvb_backup_mode_check(rec, sizeof rec, &n, &where);
        printf("%d %lu %lu\n", rc, (unsigned long)n, (unsigned long)where);
    }
    fclose(f);
    return 0;
}
