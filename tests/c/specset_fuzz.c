/*
 * specset_fuzz.c - the file-spec matcher (src/kernels/specset_*.c, csvbackup/filespec.h) under
 * ASan/UBSan: fixed cases from C, then random spec sets matched against random rows of every
 * string kind (valid and invalid UTF-8, NULs, over-long rows, lone surrogates, code points
 * above U+10FFFF). Every output must be in range; nothing may read or write out of bounds.
 * Then differential rounds: near-ASCII catalogs in every spelling (case, '/', doubled and
 * trailing separators, \\?\ prefixes, runs of one directory, rows past 64 bytes) matched as
 * UTF-8, as ASCII/Latin-1 str and as numpy UCS-4 (the byte path where a row is clean) must
 * give exactly what the same rows give as UCS-2 str (always the unit path).
 *
 * Usage: specset_fuzz SEED ITERATIONS. Exit 0 = clean.
 */
#include "kernels/dispatch.h"
#include "kernels/specset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

static uint16_t upcase[65536];

#define CHECK(c)                                                                  \
    do {                                                                          \
        if (!(c)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
            exit(1);                                                              \
        }                                                                         \
    } while (0)

static size_t ascii16(const char *s, uint16_t *out)
{
    size_t n = 0;
    while (s[n]) {
        out[n] = (uint16_t)(unsigned char)s[n];
        n++;
    }
    return n;
}

static int match_ascii(const char *expr, const char *name)
{
    uint16_t e[64], s[64];
    uint8_t states[2 * 65];
    size_t m = ascii16(expr, e), k = ascii16(name, s);
    return csvb_dos_match(e, m, s, k, states);
}

static void fixed_cases(void)
{
    uint16_t in[64], out[64];
    size_t n;
    n = csvb_translate_filespec(in, ascii16("*.", in), out);
    CHECK(n == 1 && out[0] == CSVB_DOS_STAR);
    n = csvb_translate_filespec(in, ascii16("a?.*", in), out);
    CHECK(n == 4 && out[1] == CSVB_DOS_QM && out[2] == CSVB_DOS_DOT && out[3] == '*');
    CHECK(match_ascii("PERFC>>>.DAT", "PERFC.DAT")
          && !match_ascii("PERFC>>>.DAT", "PERFC0090.DAT"));
    CHECK(match_ascii("<", "README") && !match_ascii("<", "A.TXT"));
    CHECK(match_ascii("TEMP*\"*", "TEMP") && !match_ascii("*", ""));
    n = csvb_translate_filespec(in, ascii16("*. ", in), out); /* trailing '.' ' ' removed */
    CHECK(n == 1 && out[0] == '*');
    CHECK(match_ascii("<", "A.") && match_ascii(">>", "A.") && !match_ascii(">", "A."));
    CHECK(csvb_filespec_is_literal(in, ascii16("A\"B.", in))
          && !csvb_filespec_is_literal(in, ascii16("A>", in)));
    n = csvb_canonicalize(in, ascii16("\\\\?\\C:\\\\A//B\\", in));
    CHECK(n == ascii16("C:\\A\\B", out) && memcmp(in, out, 2 * n) == 0);
    CHECK(csvb_fold_unit('a', NULL) == 'A' && csvb_fold_unit('{', NULL) == '{');
}

/* A random unit for paths and patterns: mostly a small alphabet so that matches happen. */
static uint16_t rand_unit(int pattern)
{
    static const char alpha[] = "ab.\\/:?*<>\"Aa";
    uint32_t r = rnd() % 100;
    if (r < 80)
        return (uint16_t)alpha[rnd() % (pattern ? 13 : 5)];
    if (r < 90)
        return (uint16_t)(0x80 + rnd() % 0x200);
    if (r < 95)
        return (uint16_t)(0xD800 + rnd() % 0x800);
    return (uint16_t)(rnd() & 0xFFFF);
}

static void random_round(void)
{
    enum { NSPEC = 12, NROW = 40 };
    uint16_t dirs[NSPEC][24], pats[NSPEC][12], defs[NSPEC][24];
    csvb_spec_in specs[NSPEC];
    size_t nspec = 1 + rnd() % NSPEC, i, j, bad;
    int why;
    csvb_specset *s;
    csvb_mountmap *mounts;
    const uint16_t *mdirs[NSPEC];
    size_t mlens[NSPEC];
    int32_t midx[NSPEC];

    for (i = 0; i < nspec; i++) {
        size_t dl = 1 + rnd() % 23, pl = rnd() % 12;
        dirs[i][0] = 'C';
        dirs[i][1] = ':';
        for (j = 2; j < dl; j++)
            dirs[i][j] = rand_unit(0);
        for (j = 0; j < pl; j++)
            pats[i][j] = rand_unit(1);
        for (j = 0; j < 24; j++)
            defs[i][j] = j < 2 ? (uint16_t)"D:"[j] : rand_unit(0);
        specs[i].dir = dirs[i];
        specs[i].dir_len = dl;
        specs[i].filespec = pats[i];
        specs[i].filespec_len = pl;
        specs[i].default_dir = rnd() % 4 ? NULL : defs[i];
        specs[i].default_dir_len = 2 + rnd() % 22;
        specs[i].index = (uint32_t)i;
        specs[i].mask = 1u << (rnd() % 4);
        specs[i].role = (uint8_t)(rnd() % 3);
        specs[i].recursive = (uint8_t)(rnd() % 2);
        mdirs[i] = dirs[i];
        mlens[i] = dl;
        midx[i] = (int32_t)i;
    }
    s = csvb_specset_build(specs, nspec, upcase, &bad, &why);
    CHECK(s != NULL || why == CSVB_SPEC_EMPTY_DIR);
    mounts = csvb_mountmap_build(mdirs, mlens, midx, nspec, upcase, &bad, &why);
    CHECK(mounts != NULL || why == CSVB_SPEC_EMPTY_DIR || why == CSVB_SPEC_DUPLICATE_MOUNT);

    {
        /* rows of every kind, each in its own heap block so ASan sees any over-read */
        int kind = 1 + (int)(rnd() % 4);
        size_t n = NROW, total = 0;
        uint8_t *data;
        int32_t *off32 = (int32_t *)malloc((n + 1) * sizeof(int32_t));
        int64_t *off64 = (int64_t *)malloc((n + 1) * sizeof(int64_t));
        void **ptrs = (void **)calloc(n, sizeof(void *));
        int64_t *lens = (int64_t *)calloc(n, sizeof(int64_t));
        uint8_t *kinds = (uint8_t *)calloc(n, 1), validity[(NROW + 7) / 8 + 1];
        size_t itemsize = 4 * (1 + rnd() % 30);
        uint32_t maskbits = 0;
        csvb_strings src;
        csvb_match_out out;
        uint32_t *mask = (uint32_t *)malloc(n * 4);
        int32_t *spec = (int32_t *)malloc(n * 4), *vol = (int32_t *)malloc(n * 4);
        uint8_t *ex = (uint8_t *)malloc(n), *nis = (uint8_t *)malloc(n), *st = (uint8_t *)malloc(n);
        size_t lens_bytes[NROW];
        for (i = 0; i < n; i++)
            lens_bytes[i] = rnd() % 8 == 0 ? 32760 + rnd() % 20 : rnd() % 60;
        for (i = 0; i < n; i++)
            total += lens_bytes[i];
        data = (uint8_t *)malloc(total ? total : 1);
        memset(&src, 0, sizeof src);
        for (i = 0; i < sizeof validity; i++)
            validity[i] = (uint8_t)rnd();
        total = 0;
        off32[0] = 0;
        off64[0] = 0;
        for (i = 0; i < n; i++) {
            for (j = 0; j < lens_bytes[i]; j++) {
                uint32_t r = rnd() % 100;
                data[total + j] = j < 3    ? (uint8_t)"C:\\"[j]
                                  : r < 85 ? (uint8_t)"ab.\\/C:"[rnd() % 7]
                                           : (uint8_t)rnd();
            }
            total += lens_bytes[i];
            off32[i + 1] = (int32_t)total;
            off64[i + 1] = (int64_t)total;
        }
        src.kind = kind;
        if (kind == CSVB_STR_UTF8_I32 || kind == CSVB_STR_UTF8_I64) {
            src.validity = rnd() % 2 ? validity : NULL;
            src.offsets = kind == CSVB_STR_UTF8_I32 ? (const void *)off32 : (const void *)off64;
            src.data = data;
            src.data_len = total;
        } else if (kind == CSVB_STR_UCS4) {
            uint32_t *u = (uint32_t *)malloc(n * itemsize);
            for (i = 0; i < n * itemsize / 4; i++) {
                uint32_t r = rnd() % 100;
                u[i] = r < 80 ? (uint32_t)"ab.\\/C:"[rnd() % 7] : r < 90 ? 0 : rnd() % 0x120000;
            }
            free(data);
            data = (uint8_t *)u;
            src.data = data;
            src.itemsize = itemsize;
        } else {
            for (i = 0; i < n; i++) {
                size_t len = lens_bytes[i] / 2, w = rnd() % 4;
                int k = w == 0 ? 0 : w == 1 ? 1 : w == 2 ? 2 : 4;
                uint8_t *p = (uint8_t *)malloc((len ? len : 1) * (size_t)(k ? k : 1));
                for (j = 0; j < len; j++) {
                    uint32_t u = rand_unit(0);
                    if (k == 0)
                        p[j] = (uint8_t)(u & 0x7F);
                    else if (k == 1)
                        p[j] = (uint8_t)u;
                    else if (k == 2)
                        ((uint16_t *)p)[j] = (uint16_t)u;
                    else
                        ((uint32_t *)p)[j] = u | (rnd() % 8 == 0 ? 0x10000u : 0u);
                }
                ptrs[i] = rnd() % 10 ? p : NULL;
                if (!ptrs[i])
                    free(p);
                lens[i] = (int64_t)len;
                kinds[i] = (uint8_t)k;
            }
            src.ptrs = (const void *const *)ptrs;
            src.lens = lens;
            src.kinds = kinds;
        }
        out.mask = mask;
        out.spec = spec;
        out.excluded = ex;
        out.not_in_snapshot = nis;
        out.status = st;
        for (i = 0; i < nspec; i++)
            maskbits |= specs[i].mask;
        if (s) {
            CHECK(csvb_specset_match(s, &src, NULL, n, &out, 1) == 0);
            for (i = 0; i < n; i++) {
                CHECK((st[i] & ~0xFu) == 0);
                CHECK(spec[i] >= -1 && spec[i] < (int32_t)nspec);
                CHECK((mask[i] & ~maskbits) == 0 && (mask[i] == 0) == (spec[i] == -1));
                CHECK(ex[i] <= 1 && nis[i] <= 1);
                CHECK(!st[i] || (mask[i] == 0 && !ex[i] && !nis[i]));
            }
            /* the same rows as their own short names: garbage, separators, over 255 units */
            CHECK(csvb_specset_match(s, &src, &src, n, &out, 1) == 0);
            for (i = 0; i < n; i++) {
                CHECK((st[i] & ~0x1Fu) == 0);
                CHECK(spec[i] >= -1 && spec[i] < (int32_t)nspec);
                CHECK((mask[i] & ~maskbits) == 0 && (mask[i] == 0) == (spec[i] == -1));
                CHECK(!st[i] || (mask[i] == 0 && !ex[i] && !nis[i]));
            }
        }
        if (mounts) {
            CHECK(csvb_mountmap_lookup(mounts, &src, n, vol, st, 1) == 0);
            for (i = 0; i < n; i++)
                CHECK(vol[i] >= -1 && vol[i] < (int32_t)nspec && (!st[i] || vol[i] == -1));
        }
        if (kind == CSVB_STR_PYSTR)
            for (i = 0; i < n; i++)
                free(ptrs[i]);
        free(data);
        free(off32);
        free(off64);
        free(ptrs);
        free(lens);
        free(kinds);
        free(mask);
        free(spec);
        free(vol);
        free(ex);
        free(nis);
        free(st);
    }
    csvb_specset_free(s);
    csvb_mountmap_free(mounts);
}

/* ------------------------------------------------------------------------------------------
 * Differential rounds: byte path against unit path. */

static const char *const PREFIXES[] = {"C:",
                                       "c:",
                                       "D:",
                                       "\\\\srv",
                                       "\\\\?\\C:",
                                       "\\\\?\\c:",
                                       "\\\\?\\UNC\\srv",
                                       "\\\\?\\Volume{x}",
                                       "\\\\?\\unc",
                                       "C:"};
/* Four are not ASCII: e-acute and E-acute (2 bytes, fold to E-acute); dotless i
 * (2 bytes, folds to 'I', 1 byte); turned a (2 bytes, folds to U+2C6F, 3 bytes); an emoji (4
 * bytes, two surrogates, never folded). "dir" equals "d\xC4\xB1r" once both are folded. */
static const char *const COMPONENTS[] = {"a",
                                         "B",
                                         "ab",
                                         "Ab",
                                         "c.d",
                                         "C.D",
                                         "Data",
                                         "LongComponentName0123456789",
                                         "x",
                                         "Donn\xC3\xA9"
                                         "es",
                                         "\xC3\x89t\xC3\xA9",
                                         "d\xC4\xB1r",
                                         "\xC9\x90",
                                         "\xF0\x9F\x98\x80x",
                                         "dir"};
#define NCOMPONENTS (sizeof COMPONENTS / sizeof COMPONENTS[0])

/* A path as UTF-8 from the alphabet above: prefix, components, separators in every spelling. */
static size_t rand_path(char *out, int spec, int share_prefix, const char *prev, size_t prev_len)
{
    size_t n = 0, k, parts = 1 + rnd() % 6, j;
    if (share_prefix && prev_len) { /* same directory as the previous row, another name */
        const char *sep = prev + prev_len;
        while (sep > prev && sep[-1] != '\\')
            sep--;
        if (sep > prev) {
            memcpy(out, prev, (size_t)(sep - prev));
            n = (size_t)(sep - prev);
            const char *c = COMPONENTS[rnd() % NCOMPONENTS];
            memcpy(out + n, c, strlen(c));
            return n + strlen(c);
        }
    }
    {
        const char *p = PREFIXES[spec ? rnd() % 4 : rnd() % 10];
        memcpy(out, p, strlen(p));
        n = strlen(p);
    }
    for (k = 0; k < parts; k++) {
        uint32_t r = rnd() % 100;
        const char *c = COMPONENTS[rnd() % NCOMPONENTS];
        if (spec || r < 80)
            out[n++] = '\\';
        else if (r < 88)
            out[n++] = '/';
        else {
            out[n++] = '\\';
            out[n++] = rnd() % 2 ? '\\' : '/';
        }
        memcpy(out + n, c, strlen(c));
        n += strlen(c);
        if (!spec && rnd() % 40 == 0)
            out[n++] = rnd() % 2 ? '\0' : (char)0x80; /* NUL, or invalid UTF-8 */
    }
    if (!spec && rnd() % 15 == 0)
        out[n++] = rnd() % 3 ? '\\' : '/';
    for (j = 0; j < n; j++) { /* mixed case, e-acute and E-acute too */
        if (!spec && rnd() % 4 == 0
            && ((out[j] >= 'a' && out[j] <= 'z') || (out[j] >= 'A' && out[j] <= 'Z')))
            out[j] ^= 0x20;
        if (!spec && rnd() % 3 == 0 && (unsigned char)out[j] == 0xC3 && j + 1 < n
            && ((unsigned char)out[j + 1] & 0xDF) == 0x89)
            out[j + 1] ^= 0x20;
    }
    return n;
}

/* UTF-8 to UTF-16 units (a 4-byte character as two surrogates); -1 for invalid UTF-8 (such a
 * row has no UCS-2 twin). Written apart from the matcher's decoder: the oracle must not share
 * its code. */
static long to_units(const char *p, size_t n, uint16_t *u)
{
    size_t i, w = 0, k, need;
    for (i = 0; i < n; i += need + 1) {
        unsigned char b = (unsigned char)p[i];
        uint32_t cp;
        need = b < 0x80             ? 0
               : (b & 0xE0) == 0xC0 ? 1
               : (b & 0xF0) == 0xE0 ? 2
               : (b & 0xF8) == 0xF0 ? 3
                                    : 9;
        if (need == 9 || (need && i + need >= n))
            return -1;
        cp = need == 0 ? b : need == 1 ? (b & 0x1Fu) : need == 2 ? (b & 0x0Fu) : (b & 0x07u);
        for (k = 1; k <= need; k++) {
            if (((unsigned char)p[i + k] & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | ((unsigned char)p[i + k] & 0x3Fu);
        }
        if ((need == 1 && cp < 0x80) || (need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000)))
            || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return -1;
        if (cp >= 0x10000) {
            u[w++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
            u[w++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            u[w++] = (uint16_t)cp;
        }
    }
    return (long)w;
}

static void differential_round(void)
{
    enum { NSPEC = 10, NROW = 64, MAXP = 256 };
    char sbuf[NSPEC][MAXP], rows[NROW][MAXP];
    uint16_t sdir[NSPEC][MAXP], pats[NSPEC][8], defs[NSPEC][MAXP], units[NROW][MAXP];
    size_t slen[NSPEC], rlen[NROW], nspec = 1 + rnd() % NSPEC, nrow = 0, i, j, bad;
    long ulen[NROW];
    csvb_spec_in specs[NSPEC];
    const uint16_t *mdirs[NSPEC];
    size_t mlens[NSPEC];
    int32_t midx[NSPEC];
    csvb_specset *s;
    csvb_mountmap *mounts;
    int why;
    static const char palpha[] = "ab.*?<>\"ABd";

    for (i = 0; i < nspec; i++) {
        size_t pl = rnd() % 6, dl;
        slen[i] = rand_path(sbuf[i], 1, 0, NULL, 0);
        dl = (size_t)to_units(sbuf[i], slen[i], sdir[i]);
        for (j = 0; j < pl; j++)
            pats[i][j] =
                rnd() % 12 ? (uint16_t)palpha[rnd() % 11] : (uint16_t)(rnd() % 2 ? 0xE9 : 0xC9);
        specs[i].dir = sdir[i];
        specs[i].dir_len = dl;
        specs[i].filespec = pats[i];
        specs[i].filespec_len = pl;
        specs[i].default_dir = NULL;
        specs[i].default_dir_len = 0;
        if (rnd() % 5 == 0) { /* an alternate path: rows are claimed under sdir, excludes
                                 checked under defs */
            char tmp[MAXP];
            size_t tl = rand_path(tmp, 1, 0, NULL, 0);
            specs[i].default_dir = defs[i];
            specs[i].default_dir_len = (size_t)to_units(tmp, tl, defs[i]);
        }
        specs[i].index = (uint32_t)i;
        specs[i].mask = 1u << (rnd() % 4);
        specs[i].role = (uint8_t)(specs[i].default_dir ? CSVB_ROLE_INCLUDE : rnd() % 3);
        specs[i].recursive = (uint8_t)(rnd() % 2);
        mdirs[i] = sdir[i];
        mlens[i] = dl;
        midx[i] = (int32_t)i;
    }
    s = csvb_specset_build(specs, nspec, upcase, &bad, &why);
    mounts = csvb_mountmap_build(mdirs, mlens, midx, nspec, upcase, &bad, &why);

    while (nrow < NROW) {
        int share = nrow > 0 && rnd() % 3 == 0;
        rlen[nrow] = rand_path(rows[nrow], 0, share, nrow ? rows[nrow - 1] : NULL,
                               nrow ? rlen[nrow - 1] : 0);
        if (rnd() % 4 == 0 && nspec) { /* a row under a spec directory */
            size_t k = rnd() % nspec, c = rnd() % NCOMPONENTS;
            memcpy(rows[nrow], sbuf[k], slen[k]);
            rows[nrow][slen[k]] = '\\';
            memcpy(rows[nrow] + slen[k] + 1, COMPONENTS[c], strlen(COMPONENTS[c]));
            rlen[nrow] = slen[k] + 1 + strlen(COMPONENTS[c]);
            if (rnd() % 2) { /* respell one separator: doubled or '/', anywhere in the row */
                size_t at = rnd() % rlen[nrow], q;
                for (q = at; q < rlen[nrow] && rows[nrow][q] != '\\'; q++)
                    ;
                if (q > 1 && q < rlen[nrow]) {
                    if (rnd() % 2) {
                        rows[nrow][q] = '/';
                    } else {
                        memmove(rows[nrow] + q + 1, rows[nrow] + q, rlen[nrow] - q);
                        rlen[nrow]++;
                    }
                }
            }
        }
        if (rnd() % 16 == 0) { /* a UNC row of 33 bytes: the 32-byte loop's second block
                                  starts at byte 1 */
            static const char unc[] = "\\\\srv\\LongComponentName0123456789";
            memcpy(rows[nrow], unc, 33);
            rows[nrow][rnd() % 2 ? 6 : 32] = '\\';
            rlen[nrow] = 33;
        }
        if (rnd() % 4 == 0) { /* a non-ASCII name: é, sometimes cut short or followed by a
                                 stray continuation byte (invalid UTF-8) */
            rows[nrow][rlen[nrow]++] = (char)0xC3;
            if (rnd() % 6)
                rows[nrow][rlen[nrow]++] = (char)(rnd() % 2 ? 0xA9 : 0x89);
            if (rnd() % 6 == 0)
                rows[nrow][rlen[nrow]++] = (char)0x80;
        }
        ulen[nrow] = to_units(rows[nrow], rlen[nrow], units[nrow]);
        nrow++; /* an invalid row (ulen -1) has no UCS-2 twin: its UTF-8 form must be flagged */
    }

    {
        uint8_t data[NROW * MAXP];
        int32_t off[NROW + 1];
        uint32_t ucs4[NROW * MAXP];
        const void *p8[NROW], *p16[NROW];
        int64_t lens8[NROW], lens16[NROW];
        uint8_t kinds8[NROW], kinds16[NROW], narrow8[NROW][MAXP];
        uint32_t mask[8][NROW];
        int32_t spec[8][NROW], vol[8][NROW];
        uint8_t ex[8][NROW], nis[8][NROW], st[8][NROW], vst[8][NROW];
        csvb_strings src[4];
        size_t total = 0, k;
        memset(src, 0, sizeof src);
        memset(ucs4, 0, sizeof ucs4);
        off[0] = 0;
        for (i = 0; i < nrow; i++) {
            uint16_t top = 0;
            memcpy(data + total, rows[i], rlen[i]);
            total += rlen[i];
            off[i + 1] = (int32_t)total;
            for (j = 0; ulen[i] > 0 && j < (size_t)ulen[i]; j++) {
                ucs4[i * MAXP + j] = units[i][j]; /* (a surrogate is one unit in UCS-4 too) */
                narrow8[i][j] = (uint8_t)units[i][j];
                top = units[i][j] > top ? units[i][j] : top;
            }
            /* an ASCII or Latin-1 str, else a second UCS-2 one; invalid: a null row */
            p8[i] = ulen[i] < 0 ? NULL : top < 0x100 ? (const void *)narrow8[i] : units[i];
            lens8[i] = ulen[i];
            kinds8[i] = top < 0x80 ? 0 : top < 0x100 ? 1 : 2;
            p16[i] = ulen[i] < 0 ? NULL : units[i];
            lens16[i] = ulen[i];
            kinds16[i] = 2;
        }
        src[0].kind = CSVB_STR_PYSTR; /* the reference: UCS-2, always the unit path */
        src[0].ptrs = p16;
        src[0].lens = lens16;
        src[0].kinds = kinds16;
        src[1].kind = CSVB_STR_UTF8_I32;
        src[1].offsets = off;
        src[1].data = data;
        src[1].data_len = total;
        src[2].kind = CSVB_STR_PYSTR;
        src[2].ptrs = p8;
        src[2].lens = lens8;
        src[2].kinds = kinds8;
        src[3].kind = CSVB_STR_UCS4;
        src[3].data = (const uint8_t *)ucs4;
        src[3].itemsize = MAXP * 4;
        /* outputs 0-3: the four sources with the baseline row loops; 4-7: with the best
           level this build and CPU have (x86-64-v3 where built) */
        for (k = 0; k < 8; k++) {
            csvb_match_out out;
            csvb_specset_set_level(k < 4 ? 0 : -1);
            out.mask = mask[k];
            out.spec = spec[k];
            out.excluded = ex[k];
            out.not_in_snapshot = nis[k];
            out.status = st[k];
            if (s)
                CHECK(csvb_specset_match(s, &src[k % 4], NULL, nrow, &out, 1) == 0);
            if (mounts)
                CHECK(csvb_mountmap_lookup(mounts, &src[k % 4], nrow, vol[k], vst[k], 1) == 0);
        }
        csvb_specset_set_level(-1);
        for (k = 1; k < 8; k++)
            for (i = 0; i < nrow; i++) {
                int same;
                if (ulen[i] < 0) {
                    if (k % 4 == 1) /* the UTF-8 row itself: flagged, nothing claimed */
                        CHECK(
                            (!s
                             || ((st[k][i] == CSVB_PATH_BAD_ENCODING
                                  || (st[k][i] == CSVB_PATH_HAS_NUL && memchr(rows[i], 0, rlen[i])))
                                 && mask[k][i] == 0 && !ex[k][i] && !nis[k][i]))
                            && (!mounts || vol[k][i] == -1));
                    continue;
                }
                if (k % 4 == 3 && ulen[i] > 0 && units[i][ulen[i] - 1] == 0)
                    continue; /* numpy cannot hold a trailing NUL: it is padding there */
                same =
                    !s
                    || (mask[k][i] == mask[0][i] && spec[k][i] == spec[0][i] && ex[k][i] == ex[0][i]
                        && nis[k][i] == nis[0][i] && st[k][i] == st[0][i]);
                int vsame = !mounts || (vol[k][i] == vol[0][i] && vst[k][i] == vst[0][i]);
                if (!same || !vsame) {
                    fprintf(stderr,
                            "source %zu row %zu '%.*s': mask %u/%u spec %d/%d ex %d/%d "
                            "nis %d/%d st %d/%d vol %d/%d\n",
                            k, i, (int)rlen[i], rows[i], s ? mask[k][i] : 0, s ? mask[0][i] : 0,
                            s ? spec[k][i] : 0, s ? spec[0][i] : 0, s ? ex[k][i] : 0,
                            s ? ex[0][i] : 0, s ? nis[k][i] : 0, s ? nis[0][i] : 0,
                            s ? st[k][i] : 0, s ? st[0][i] : 0, mounts ? vol[k][i] : 0,
                            mounts ? vol[0][i] : 0);
                    exit(1);
                }
            }
    }
    csvb_specset_free(s);
    csvb_mountmap_free(mounts);
}

int main(int argc, char **argv)
{
    long it, iterations = argc > 2 ? atol(argv[2]) : 1000;
    uint32_t u;
    rng_state = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    for (u = 0; u < 65536; u++) /* ASCII-only fold plus a few non-ASCII pairs */
        upcase[u] = (uint16_t)(u >= 0x61 && u <= 0x7A                ? u - 0x20
                               : u >= 0xE0 && u <= 0xFE && u != 0xF7 ? u - 0x20
                                                                     : u);
    upcase[0x131] = 'I';    /* folds to another UTF-8 length: shorter ... */
    upcase[0x250] = 0x2C6F; /* ... and longer (Unicode's simple uppercase of both) */
    fixed_cases();
    for (it = 0; it < iterations; it++)
        random_round();
    for (it = 0; it < 4 * iterations; it++)
        differential_round();
    printf("ok %ld\n", iterations);
    return 0;
}
