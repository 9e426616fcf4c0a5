/*
 * specset_internal.h - what the parts of the file-spec matcher share: the layout of a compiled
 * set, the hashes and lookups of its tables, and the row loaders' entry points.
 *
 * Layout of a set: every spec directory, canonical and folded, is one record of an open-addressed
 * hash table keyed by its units. A record lists the specs whose filespec has wildcards (tested
 * one by one against the name) and says whether exact-name specs hang off it; those live in a
 * second table keyed by (directory, name), so the System Writer's 18,912 exact names cost one
 * probe per ancestor, not one test each.
 *
 * Matching one path: load it (decode, fold, canonicalize), then walk its ancestors. Only
 * prefix lengths some spec directory has are hashed and probed (len_index). Sorted
 * catalogs list many files per directory in a row, so the directories found for the previous
 * path are kept and reused while the directory part is the same (`prev_dir`, `prev_bytes`).
 *
 * Most catalog rows are clean (no NUL, no '/', no doubled or trailing separator, no \\?\
 * prefix to rewrite, valid UTF-8): those take the byte path (specset_rows.h), which folds the
 * row's ASCII bytes 16 or 32 at a time and re-encodes the fold of each other character in
 * place, walks the folded bytes against a second table of the directories as folded UTF-8,
 * hashed 8 bytes at a time, and widens or decodes only the file name for the name tests. A
 * row with a character whose fold has another UTF-8 length (U+0131 folds to 'I'), and every
 * other row, takes the unit path. The row loops are compiled for the baseline and, with GCC
 * on x86-64, for x86-64-v3 (picked at run time); the C fuzzer and
 * tests/filespec/test_specset_levels.py hold all of them to the same answers.
 *
 * The parts: specset_load.c loads one row (decode, fold, canonicalize); specset_build.c
 * compiles a spec set or a mount map; specset_match.c walks and tests the rows, its row loops
 * (specset_rows.h) compiled twice, and runs them on OpenMP threads.
 */
#ifndef CSVBACKUP_SRC_SPECSET_INTERNAL_H
#define CSVBACKUP_SRC_SPECSET_INTERNAL_H

#include "specset.h"
#include "dispatch.h"

#include <stdlib.h>
#include <string.h>
#ifdef CSVB_SPECSET_V3
#  include <immintrin.h>
#endif
/* CSVB_NO_SSE2: the portable loops only (the C tests build both). */
#if (defined(__SSE2__) || defined(_M_X64)) && !defined(CSVB_NO_SSE2)
#  include <emmintrin.h>
#  define CSVB_SSE2 1
#endif

/* The functions one part calls in another: not exported from the extension module, so the
 * calls go straight to them rather than through the PLT. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(_WIN32)
#  define CSVB_HIDDEN __attribute__((visibility("hidden")))
#else
#  define CSVB_HIDDEN
#endif

enum { CLS_ALL, CLS_SUFFIX, CLS_PREFIX, CLS_GENERAL, CLS_EXACT };

typedef struct {
    uint32_t index, mask;
    uint8_t role, recursive, cls;
    uint32_t pat_off, pat_len; /* translated, folded expression (the literal for SUFFIX/PREFIX) */
    int32_t alt;               /* index into alts, -1 if none */
    uint32_t key;              /* build only: directory id, then exact-name key id */
    uint16_t first, last;      /* a literal the name must start / end with (0: none): a
                                  one-compare filter before the pattern test */
} entry_t;

typedef struct {
    uint32_t src_off, src_len; /* canonical alternate directory */
    uint32_t dst_off, dst_len; /* canonical default directory */
} alt_t;

typedef struct {
    uint64_t hash;
    uint32_t off, len; /* units in pool */
    uint32_t wild_begin, wild_count;
    uint32_t wild_rec;    /* the first wild_rec of them are the recursive ones */
    uint32_t n_exact;     /* exact-name keys under this directory ... */
    uint32_t n_exact_rec; /* ... and entries of them that are recursive */
    int32_t payload;      /* mount maps: the CSV index */
} dir_t;

typedef struct {
    uint64_t hash;
    uint32_t dir, name_off, name_len;
    uint32_t begin, count;
} name_t;

/* The directory lengths a walk probes: only a prefix that ends at a separator and has the
 * length of some directory can be one. A set has one index for the unit walk (lengths in
 * UTF-16 units) and one for the byte walk (lengths of the folded UTF-8 bytes). */
typedef struct {
    uint32_t *lens; /* the distinct lengths, ascending */
    uint64_t *last; /* per length: bit (u & 63) set for the last unit (or byte) u of such a
                       directory */
    size_t n;
    uint64_t short_lens;     /* bit q set when some directory has length q < 64 */
    uint64_t short_last[64]; /* for those lengths: last, indexed by the length */
    size_t first_long;       /* index in lens of the first length >= 64 */
    size_t max;              /* the longest */
} len_index;

struct csvb_specset {
    const uint16_t *upcase;
    uint16_t *pool;
    size_t pool_len, pool_cap;
    entry_t *wild;  /* wildcard entries grouped by directory */
    entry_t *exact; /* exact-name entries grouped by name key */
    alt_t *alts;
    size_t n_wild, n_exact, n_alts;
    dir_t *dirs;
    size_t n_dirs;
    uint32_t *dir_slots; /* record index + 1, 0 = empty */
    size_t dir_mask;
    name_t *names;
    size_t n_names;
    uint32_t *name_slots;
    size_t name_mask;
    len_index units; /* the unit walk's lengths (walk) */
    size_t max_pattern;
    int has_exclude_roles;
    /* The byte table: every directory as the UTF-8 of its folded units, in zero-padded 64-bit
     * words with a hash of them, so that a clean row is walked on its folded bytes without
     * being widened (walk_bytes). UTF-8 is one-to-one on code points, so two directories'
     * bytes are equal exactly when their units are. A directory holding a lone surrogate has
     * no UTF-8 form and is left out: no valid UTF-8 row can equal it. NULL byte_slots: no
     * byte table (a fold table that does not fold ASCII as the byte path does). */
    uint64_t *words;    /* per directory: (byte_len + 7) / 8 words from word_off[d] */
    uint32_t *word_off; /* UINT32_MAX: not in the table */
    uint32_t *byte_len; /* per directory: its length in folded UTF-8 bytes */
    uint32_t *byte_slots;
    uint64_t *byte_hash;
    len_index bytes;            /* the byte walk's lengths (walk_bytes, mounts_bytes) */
    uint32_t max_by_first[128]; /* per folded first byte: the longest such directory, in bytes */
};

/* A mount map is a set of directories only, each with its CSV index in dir_t.payload. */
struct csvb_mountmap {
    csvb_specset *set;
};

/* ---------------------------------------------------------------------------------------------
 * Hashing: 4 units (8 bytes) per multiply, so a 40-unit prefix costs 10 rounds. */
typedef struct {
    uint64_t h; /* state after the whole 4-unit blocks before `done` */
    size_t done;
} hash_state;

CSVB_INLINE void hash_advance(hash_state *st, const uint16_t *p, size_t n)
{
    uint64_t w;
    for (; st->done + 4 <= n; st->done += 4) {
        memcpy(&w, p + st->done, 8);
        st->h = (st->h ^ w) * 0xBF58476D1CE4E5B9ull;
        st->h ^= st->h >> 31;
    }
}

CSVB_INLINE uint64_t hash_finish(const hash_state *st, const uint16_t *p, size_t n)
{
    uint64_t h = st->h ^ ((uint64_t)n << 48), w = 0;
    size_t i = st->done;
    switch (n - i) { /* the last 0-3 units, without a variable-length memcpy call */
    case 3: w |= (uint64_t)p[i + 2] << 32; /* fall through */
    case 2: w |= (uint64_t)p[i + 1] << 16; /* fall through */
    case 1:
        w |= p[i];
        h = (h ^ w) * 0x94D049BB133111EBull;
        h ^= h >> 29;
        break;
    default: break;
    }
    h *= 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 33);
}

/* The hash of p[0, n): 4 units (8 bytes) per multiply. A walk over the ancestors of one path
 * continues one hash_state from prefix to prefix instead of starting again. */
CSVB_HIDDEN uint64_t hash_units(const uint16_t *p, size_t n);

CSVB_FUNC uint64_t name_key_hash(uint32_t dir, uint64_t name_hash)
{
    uint64_t h = (name_hash ^ ((uint64_t)dir * 0x9E3779B97F4A7C15ull)) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 32);
}

/* ---------------------------------------------------------------------------------------------
 * Bytes: folded ASCII hashed a word (8 bytes) per multiply. */

CSVB_INLINE uint64_t load_word(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w; /* little-endian targets only, like the rest of the extension */
}

CSVB_INLINE uint64_t byte_hash_step(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 31);
}

CSVB_INLINE uint64_t byte_hash_finish(uint64_t h, size_t n)
{
    h = (h ^ ((uint64_t)n << 48)) * 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 33);
}

/* ---------------------------------------------------------------------------------------------
 * Lookups in the tables. */

/* a[0, n) == b[0, n): four units per compare, inline (the runs are short: a library call
 * costs more than the compare). */
CSVB_INLINE int units_equal(const uint16_t *a, const uint16_t *b, size_t n)
{
    uint64_t x, y;
    for (; n >= 4; n -= 4, a += 4, b += 4) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
    }
    for (; n; n--)
        if (*a++ != *b++)
            return 0;
    return 1;
}

/* The record of directory p[0, n) (units in the pool or elsewhere), or -1. These lookups and
 * hash_units are defined in specset_build.c: out of line, as the compiler left them when all
 * was one file; inlined into the row loops they cost instructions per row. */
CSVB_HIDDEN int64_t dir_find(const csvb_specset *s, const uint16_t *p, size_t n, uint64_t h);
/* The record of name p[0, n) under directory record dir, or -1. */
CSVB_HIDDEN int64_t name_find(const csvb_specset *s, uint32_t dir, const uint16_t *p, size_t n,
                              uint64_t h);

/* ---------------------------------------------------------------------------------------------
 * Loading one row (specset_load.c). */

#define FOLD_ASCII(b) ((uint16_t)((b) - (((unsigned)(b) - 0x61u < 26u) ? 0x20u : 0u)))

#define LAST_NONE    ((size_t)-1) /* the path has no separator */
#define LAST_UNKNOWN ((size_t)-2) /* not computed: scan for it */

CSVB_INLINE size_t highest_bit(unsigned m)
{
#if defined(__GNUC__) || defined(__clang__)
    return (size_t)(31 - __builtin_clz(m));
#else
    size_t b = 0;
    while (m >>= 1)
        b++;
    return b;
#endif
}

CSVB_INLINE size_t lowest_bit(uint64_t m)
{
#if defined(__GNUC__) || defined(__clang__)
    return (size_t)__builtin_ctzll(m);
#else
    size_t b = 0;
    while (!(m & 1)) {
        m >>= 1;
        b++;
    }
    return b;
#endif
}

/* Row i of an Arrow source: 1 with its bytes in *p, *nb; 0 for a null; -1 when its offsets
 * are out of order or point past the data buffer. */
CSVB_INLINE int utf8_row(const csvb_strings *s, size_t i, const uint8_t **p, size_t *nb)
{
    int64_t a, b, e = s->offset + (int64_t)i;
    if (s->validity && !((s->validity[e >> 3] >> (e & 7)) & 1))
        return 0;
    if (s->kind == CSVB_STR_UTF8_I32) {
        a = ((const int32_t *)s->offsets)[e];
        b = ((const int32_t *)s->offsets)[e + 1];
    } else {
        a = ((const int64_t *)s->offsets)[e];
        b = ((const int64_t *)s->offsets)[e + 1];
    }
    if (a < 0 || b < a || (uint64_t)b > s->data_len)
        return -1;
    *p = s->data + a;
    *nb = (size_t)(b - a);
    return 1;
}

/* 1 when row i of s may hold a name (not null, not empty): the rows that take the unit path
 * for their short name. An Arrow row whose offsets are broken counts, so that it is reported. */
CSVB_INLINE int has_name(const csvb_strings *s, size_t i)
{
    const uint8_t *p;
    size_t nb;
    int r;
    switch (s->kind) {
    case CSVB_STR_UTF8_I32:
    case CSVB_STR_UTF8_I64: r = utf8_row(s, i, &p, &nb); return r < 0 || (r > 0 && nb > 0);
    case CSVB_STR_UCS4:
        return s->itemsize >= 4 && ((const uint32_t *)(s->data + i * s->itemsize))[0] != 0;
    default: return s->ptrs[i] && s->lens[i] > 0;
    }
}

/* The UTF-8 sequence at d[0, n) whose lead byte d[0] is >= 0x80: its length (2 to 4) with its
 * code point in *cp, or 0 when it is not UTF-8 (RFC 3629: a bad lead or continuation byte, a
 * truncated sequence, an overlong form, a surrogate, a code point above U+10FFFF). */
CSVB_INLINE size_t utf8_decode(const uint8_t *d, size_t n, uint32_t *cp)
{
    uint32_t b = d[0], c;
    size_t need, k;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
        c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        c = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        c = b & 0x07;
    } else
        return 0;
    if (need >= n)
        return 0;
    for (k = 1; k <= need; k++) {
        if ((d[k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (d[k] & 0x3F);
    }
    if ((need == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)))
        || (need == 3 && (c < 0x10000 || c > 0x10FFFF)))
        return 0;
    *cp = c;
    return need + 1;
}

/* The UTF-8 bytes of code point cp (not a surrogate, at most U+10FFFF) into out: their count. */
CSVB_INLINE size_t utf8_encode(uint32_t cp, uint8_t *out)
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | (cp >> 6));
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (cp >> 12));
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* The characters >= U+0080 of the UTF-8 bytes d[0, n) folded into f[0, n), whose other bytes
 * the caller has folded and whose non-ASCII bytes are still d's: each such character's bytes
 * become those of its fold, so that f is the UTF-8 of the folded units (the byte table's form).
 * A 4-byte character is two surrogates, which fold to themselves, and stays. Returns 1; or 0
 * when a character is not UTF-8, or folds to a unit of another UTF-8 length or to a surrogate,
 * which no UTF-8 of the same length spells (the unit path takes such a row). With f NULL, it
 * only checks that d[0, n) is UTF-8. */
CSVB_HIDDEN int fold_utf8(const uint8_t *d, size_t n, const uint16_t *up, uint8_t *f);

/* UTF-8 bytes d[0, nb) decoded and folded into out[0, *w): 0 or the CSVB_PATH_* status. */
CSVB_HIDDEN unsigned load_utf8(const uint8_t *d, size_t nb, const uint16_t *up, uint16_t *out,
                               size_t *w);
/* Row i of s as one file name (a short name): folded units, not canonicalized, in out[0, *len)
 * (room for CSVB_LOAD_UNITS). 0; CSVB_PATH_NULL for a null or empty one (none); or
 * CSVB_PATH_BAD_SHORT_NAME when it holds a separator, a NUL or bad encoding, or is over 255
 * units. */
CSVB_HIDDEN unsigned load_name(const csvb_strings *s, size_t i, const uint16_t *up, uint16_t *out,
                               size_t *len);
/* Row i of s as canonical folded units (see specset_load.c). */
CSVB_HIDDEN unsigned load_row(const csvb_strings *s, size_t i, const uint16_t *up, uint16_t *out,
                              size_t *len, size_t limit, int *partial, size_t *last,
                              int known_ascii);

#endif
