/* Exercises the CLUSPROP reader of csvbackup/clusprop.h as a native engine would, on
 * exact-size heap copies so that AddressSanitizer sees any read past a buffer.
 *
 *   clusprop_walk FILE                 check FILE as a property list and print
 *                                      "ok <count> <values> <trailing>" or "error <code> <offset>"
 *   clusprop_walk --fuzz N SEED FILE.. mutate the files N times (bytes, DWORDs, inserts,
 *                                      deletes, splices), run every reader on each mutant,
 *                                      and check the invariants; prints "fuzz <N> <accepted>"
 *
 * Built with -fsanitize=address,undefined by tests/clusprop/test_clusprop_reader.py and by
 * `tests/c/fuzz.sh clusprop N SEED` (which runs it for longer). */
#include <csvbackup/clusprop.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    long n;
    uint8_t *buf;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (uint8_t *)malloc(n > 0 ? (size_t)n : 1);
    if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* Walk the list with the reader API, reading every value; returns the error or OK. */
static int walk(const uint8_t *buf, size_t size, uint32_t *count, unsigned *values,
                uint32_t *trailing, size_t *where)
{
    csvb_clusprop_reader r;
    csvb_clusprop_property p;
    csvb_clusprop_entry e;
    int rc = csvb_clusprop_begin_list(&r, buf, size, 0);
    *values = 0;
    while (rc == CSVB_CLUSPROP_OK
           && (rc = csvb_clusprop_next_property(&r, &p)) == CSVB_CLUSPROP_OK) {
        size_t at = p.first_value;
        uint32_t k;
        for (k = 0; k < p.value_count; ++k) {
            if (csvb_clusprop_read_entry(buf, size, at, &e) != CSVB_CLUSPROP_OK)
                abort(); /* a returned property is fully checked */
            if (CSVB_CLUSPROP_FORMAT_OF(e.syntax) == CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER)
                (void)csvb_load_u64(buf + e.data);
            at = e.next;
        }
        *values += p.value_count;
    }
    *count = r.count;
    *trailing = r.trailing;
    *where = r.where;
    return rc == CSVB_CLUSPROP_END ? CSVB_CLUSPROP_OK : rc;
}

static uint64_t rng_state;
static uint32_t rnd(void) /* xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* One mutant of seed[0, n) into out (capacity cap); returns its size. */
static size_t mutate(const uint8_t *seed, size_t n, uint8_t *out, size_t cap)
{
    static const uint32_t dwords[] = {
        0,           1,           2,           3,           4,           8,
        0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0x00040003u, 0x00010002u, 0x00010003u,
        0x00010005u, 0x00010009u, 0x0001000Eu, 0x80000001u, 0x00100002u};
    size_t size = n, k, rounds = 1 + rnd() % 4;
    memcpy(out, seed, n);
    for (k = 0; k < rounds && size > 0; ++k) {
        size_t at = rnd() % size;
        switch (rnd() % 5) {
        case 0: out[at] = (uint8_t)rnd(); break;
        case 1:
            if (size - at >= 4)
                csvb_store_u32(out + (at & ~(size_t)3), dwords[rnd() % (sizeof dwords / 4)]);
            break;
        case 2: /* truncate */ size = at; break;
        case 3: /* insert a byte */
            if (size < cap) {
                memmove(out + at + 1, out + at, size - at);
                out[at] = (uint8_t)rnd();
                ++size;
            }
            break;
        default: /* delete 4 bytes */
            if (size - at >= 4) {
                memmove(out + at, out + at + 4, size - at - 4);
                size -= 4;
            }
        }
    }
    return size;
}

static int fuzz(long iterations, uint64_t seed, int nfiles, char **files)
{
    uint8_t *seeds[16];
    size_t sizes[16], cap = 0;
    long i, accepted = 0;
    int f;
    uint8_t *work;
    if (nfiles < 1 || nfiles > 16)
        return 2;
    for (f = 0; f < nfiles; ++f) {
        if (!(seeds[f] = read_file(files[f], &sizes[f])))
            return 2;
        if (sizes[f] + 64 > cap)
            cap = sizes[f] + 64;
    }
    work = (uint8_t *)malloc(cap);
    rng_state = seed ? seed : 1;
    for (i = 0; i < iterations; ++i) {
        size_t size = mutate(seeds[i % nfiles], sizes[i % nfiles], work, cap), where = 0;
        uint8_t *exact = (uint8_t *)malloc(size ? size : 1);
        uint32_t count, trailing;
        unsigned values;
        csvb_clusprop_reader r;
        csvb_clusprop_entry e;
        static const uint8_t name[] = {'F', 0, 'i', 0, 'x', 0, 'Q', 0, 'u', 0,
                                       'o', 0, 'r', 0, 'u', 0, 'm', 0, 0,   0};
        int rc, rc2;
        memcpy(exact, work, size);
        rc = walk(exact, size, &count, &values, &trailing, &where);
        rc2 = csvb_clusprop_check_list(exact, size, &where);
        if (rc != rc2 || where > size) /* the two entry points must agree */
            abort();
        accepted += rc == CSVB_CLUSPROP_OK;
        rc2 = csvb_clusprop_find_property(exact, size, name, sizeof name, &e, &where);
        if ((rc == CSVB_CLUSPROP_OK) != (rc2 == CSVB_CLUSPROP_OK || rc2 == CSVB_CLUSPROP_END)
            || where > size)
            abort();
        csvb_clusprop_begin_value_list(&r, exact, size);
        while ((rc = csvb_clusprop_next_value(&r, &e)) == CSVB_CLUSPROP_OK)
            ;
        if (r.where > size)
            abort();
        free(exact);
    }
    printf("fuzz %ld %ld\n", iterations, accepted);
    free(work);
    for (f = 0; f < nfiles; ++f)
        free(seeds[f]);
    return 0;
}

int main(int argc, char **argv)
{
    uint8_t *buf;
    size_t size = 0, where = 0;
    uint32_t count = 0, trailing = 0;
    unsigned values = 0;
    int rc;
    if (argc >= 5 && strcmp(argv[1], "--fuzz") == 0)
        return fuzz(atol(argv[2]), strtoull(argv[3], NULL, 10), argc - 4, argv + 4);
    if (argc != 2 || !(buf = read_file(argv[1], &size)))
        return 2;
    rc = walk(buf, size, &count, &values, &trailing, &where);
    if (rc == CSVB_CLUSPROP_OK)
        printf("ok %u %u %u\n", count, values, trailing);
    else
        printf("error %d %zu\n", rc, where);
    free(buf);
    return 0;
}
