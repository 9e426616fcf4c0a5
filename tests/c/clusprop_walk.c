/* Walks a CLUSPROP property list with csvb_clusprop_read_entry, as a native engine would:
 * count, then per property a NAME entry, one or more values, an ENDMARK; then zero or more
 * list-level ENDMARKs. Prints "ok <count> <values>" or "error <code> at <offset>".
 * Built with AddressSanitizer by tests/test_clusprop_reader.py, fed exact-size heap copies.
 * usage: clusprop_walk FILE */
#include <csvbackup/clusprop.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int walk(const uint8_t *buf, size_t size, uint32_t *count, unsigned *values,
                size_t *where)
{
    csvb_clusprop_entry e;
    size_t off = 4;
    uint32_t k;
    int rc;
    *values = 0;
    *where = 0;
    if (size < 4)
        return 100;
    *count = csvb_load_u32(buf);
    for (k = 0; k < *count; ++k) {
        unsigned n = 0;
        *where = off;
        if ((rc = csvb_clusprop_read_entry(buf, size, off, &e)) != CSVB_CLUSPROP_OK)
            return rc;
        if (e.syntax != CSVB_CLUSPROP_SYNTAX_NAME)
            return 101;
        off = e.next;
        for (;;) {
            *where = off;
            if ((rc = csvb_clusprop_read_entry(buf, size, off, &e)) != CSVB_CLUSPROP_OK)
                return rc;
            off = e.next;
            if (e.syntax == CSVB_CLUSPROP_SYNTAX_ENDMARK)
                break;
            if (e.syntax == CSVB_CLUSPROP_SYNTAX_NAME)
                return 102;
            ++n;
        }
        if (n == 0)
            return 103;
        *values += n;
    }
    for (; off < size; off += 4) {
        *where = off;
        if (size - off < 4 || csvb_load_u32(buf + off) != 0)
            return 104;
    }
    return 0;
}

int main(int argc, char **argv)
{
    FILE *f;
    long n;
    uint8_t *buf;
    uint32_t count = 0;
    unsigned values = 0;
    size_t where = 0;
    int rc;
    if (argc != 2 || !(f = fopen(argv[1], "rb")))
        return 2;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (uint8_t *)malloc(n > 0 ? (size_t)n : 1); /* exact size: ASan sees any overread */
    if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n))
        return 2;
    fclose(f);
    rc = walk(buf, (size_t)n, &count, &values, &where);
    if (rc == 0)
        printf("ok %u %u\n", count, values);
    else
        printf("error %d at %zu\n", rc, where);
    free(buf);
    return 0;
}
