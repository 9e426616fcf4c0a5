/*
 * specset.c - a compiled file-spec set and the batch matcher over string columns.
 *
 * Layout of a set: every spec directory, canonical and folded, is one record of an open-addressed
 * hash table keyed by its units. A record lists the specs whose filespec has wildcards (tested
 * one by one against the name) and says whether exact-name specs hang off it; those live in a
 * second table keyed by (directory, name), so the System Writer's 18,912 exact names cost one
 * probe per ancestor, not one test each.
 *
 * Matching one path: load it (decode, fold, canonicalize), then walk its ancestors. Only
 * prefix lengths some spec directory has are hashed and probed (`short_lens`, `lens`). Sorted
 * catalogs list many files per directory in a row, so the directories found for the previous
 * path are kept and reused while the directory part is the same (`prev_dir`, `prev_bytes`).
 *
 * Most catalog rows are clean ASCII (no NUL, no '/', no doubled or trailing separator, no
 * \\?\ prefix to rewrite): those take the byte path (specset_rows.h), which folds the row into
 * bytes, walks it against a second table of the ASCII directories hashed 8 bytes at a time, and
 * widens only the file name for the name tests. Every other row takes the unit path. The row
 * loops are compiled for the baseline and, with GCC on x86-64, for x86-64-v3 (picked at run
 * time); the C fuzzer and tests/test_specset_levels.py hold all of them to the same answers.
 */
#include "specset.h"
#include "dispatch.h"

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#  include <omp.h>
#endif
#ifdef CSVB_SPECSET_V3
#  include <immintrin.h>
#endif
/* CSVB_NO_SSE2: the portable loops only (the C tests build both). */
#if (defined(__SSE2__) || defined(_M_X64)) && !defined(CSVB_NO_SSE2)
#  include <emmintrin.h>
#  define CSVB_SSE2 1
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
    uint32_t off, len;         /* units in pool */
    uint32_t wild_begin, wild_count;
    uint32_t wild_rec;         /* the first wild_rec of them are the recursive ones */
    uint32_t n_exact;          /* exact-name keys under this directory ... */
    uint32_t n_exact_rec;      /* ... and entries of them that are recursive */
    int32_t payload;           /* mount maps: the CSV index */
} dir_t;

typedef struct {
    uint64_t hash;
    uint32_t dir, name_off, name_len;
    uint32_t begin, count;
} name_t;

struct csvb_specset {
    const uint16_t *upcase;
    uint16_t *pool;
    size_t pool_len, pool_cap;
    entry_t *wild;     /* wildcard entries grouped by directory */
    entry_t *exact;    /* exact-name entries grouped by name key */
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
    uint32_t *lens;      /* the distinct directory lengths, ascending */
    uint64_t *lens_last; /* per length: bit (u & 63) set for the last unit u of such a directory */
    size_t n_lens;
    uint64_t short_lens; /* bit q set when some directory has q < 64 units */
    uint64_t short_last[64]; /* for those lengths: lens_last, indexed by the length */
    size_t first_long;   /* index in lens of the first length >= 64 */
    size_t maxlen;
    size_t max_pattern;
    int has_exclude_roles;
    /* The byte table: every directory whose folded units are all ASCII, as zero-padded
     * 64-bit words of its bytes and a hash of them, so that a clean ASCII row is walked
     * from its folded bytes without being widened (walk_bytes). NULL byte_slots: none. */
    uint64_t *words;     /* per directory: (len + 7) / 8 words from word_off[d]
                            (UINT32_MAX: not ASCII, not in the table) */
    uint32_t *word_off;
    uint32_t *byte_slots;
    uint64_t *byte_hash;
    uint32_t max_by_first[128]; /* per folded first byte: the longest such ASCII directory */
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
    case 1: w |= p[i];
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
static uint64_t hash_units(const uint16_t *p, size_t n)
{
    hash_state st = {0x9E3779B97F4A7C15ull, 0};
    hash_advance(&st, p, n);
    return hash_finish(&st, p, n);
}

static uint64_t name_key_hash(uint32_t dir, uint64_t name_hash)
{
    uint64_t h = (name_hash ^ ((uint64_t)dir * 0x9E3779B97F4A7C15ull)) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 32);
}

static size_t table_size(size_t n)
{
    size_t cap = 16;
    while (cap < n * 2 + 2)
        cap <<= 1;
    return cap;
}

/* ---------------------------------------------------------------------------------------------
 * Loading one row: decode to UTF-16, fold, canonicalize. */

#define FOLD_ASCII(b) ((uint16_t)((b) - (((unsigned)(b) - 0x61u < 26u) ? 0x20u : 0u)))

static unsigned put_cp(uint32_t cp, const uint16_t *up, uint16_t *out, size_t *w)
{
    if (cp == 0)
        return CSVB_PATH_HAS_NUL;
    if (cp > 0x10FFFF)
        return CSVB_PATH_BAD_ENCODING;
    if (cp >= 0x10000) {
        if (*w + 2 > CSVB_PATH_MAX_UNITS)
            return CSVB_PATH_TOO_LONG;
        cp -= 0x10000;
        out[(*w)++] = (uint16_t)(0xD800 + (cp >> 10)); /* surrogates fold to themselves */
        out[(*w)++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        return 0;
    }
    if (*w + 1 > CSVB_PATH_MAX_UNITS)
        return CSVB_PATH_TOO_LONG;
    out[(*w)++] = up[cp];
    return 0;
}

static unsigned load_utf8(const uint8_t *d, size_t nb, const uint16_t *up, uint16_t *out, size_t *w)
{
    size_t j;
    unsigned acc = 0, zero = 0;
    /* a long row of pure ASCII without NUL is folded in one vectorised pass; short ones (the
       names of the byte path) go straight to the loop below, whose ASCII step is short */
    for (j = 0; nb >= 32 && j < nb; j++) {
        acc |= d[j];
        zero |= d[j] == 0;
    }
    if (nb >= 32 && acc < 0x80 && !zero) {
        if (nb > CSVB_PATH_MAX_UNITS)
            return CSVB_PATH_TOO_LONG;
        for (j = 0; j < nb; j++)
            out[j] = FOLD_ASCII(d[j]);
        *w = nb;
        return 0;
    }
    *w = 0;
    for (j = 0; j < nb;) {
        uint32_t b = d[j], cp;
        size_t need, k;
        unsigned st;
        if (b - 1u < 0x7Fu && *w < CSVB_PATH_MAX_UNITS) { /* ASCII but NUL, room left */
            out[(*w)++] = FOLD_ASCII(b);
            j++;
            continue;
        }
        if (b < 0x80) {
            st = put_cp(b, up, out, w); /* NUL, length and fold: one place for every kind */
            if (st)
                return st;
            j++;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF) { need = 1; cp = b & 0x1F; }
        else if (b >= 0xE0 && b <= 0xEF) { need = 2; cp = b & 0x0F; }
        else if (b >= 0xF0 && b <= 0xF4) { need = 3; cp = b & 0x07; }
        else return CSVB_PATH_BAD_ENCODING;
        if (j + need >= nb) /* truncated sequence */
            return CSVB_PATH_BAD_ENCODING;
        for (k = 1; k <= need; k++) {
            uint32_t c = d[j + k];
            if ((c & 0xC0) != 0x80)
                return CSVB_PATH_BAD_ENCODING;
            cp = (cp << 6) | (c & 0x3F);
        }
        /* overlong forms, UTF-16 surrogates and > U+10FFFF are not UTF-8 (RFC 3629) */
        if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return CSVB_PATH_BAD_ENCODING;
        st = put_cp(cp, up, out, w);
        if (st)
            return st;
        j += need + 1;
    }
    return 0;
}

static unsigned load_ucs4(const uint32_t *d, size_t n, const uint16_t *up, uint16_t *out, size_t *w)
{
    size_t j;
    *w = 0;
    for (j = 0; j < n; j++) {
        unsigned st = put_cp(d[j], up, out, w); /* a lone surrogate is one unit, as on Windows */
        if (st)
            return st;
    }
    return 0;
}

/* "\\?\X:" -> "X:" and "\\?\UNC\" -> "\\" on folded units (the part of
 * csvb_canonicalize a clean path still needs). Returns the new length. */
static size_t fix_prefix(uint16_t *p, size_t n)
{
    if (n >= 6 && p[0] == 0x5C && p[1] == 0x5C && p[2] == 0x3F && p[3] == 0x5C) {
        if (p[4] >= 0x41 && p[4] <= 0x5A && p[5] == 0x3A && (n == 6 || p[6] == 0x5C)) {
            memmove(p, p + 4, (n - 4) * 2);
            return n - 4;
        }
        if (n >= 8 && p[4] == 0x55 && p[5] == 0x4E && p[6] == 0x43 && p[7] == 0x5C) {
            memmove(p + 2, p + 8, (n - 8) * 2);
            return n - 6;
        }
    }
    return n;
}

/* The common case of an Arrow catalog: pure ASCII, no NUL, no '/', no doubled separator.
 * Then the canonical form is the folded bytes with only the prefix and trailing separators to
 * fix, and both loops below vectorise. Only the first `limit` bytes are folded (the rest is
 * still scanned for NUL and non-ASCII); *partial says the result is a prefix. Returns 0 when
 * the row is not clean (the caller takes the general path), else 1 with *len set. */
#define LAST_NONE ((size_t)-1)    /* the path has no separator */
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

static int load_clean_ascii(const uint8_t *d, size_t nb, size_t limit, uint16_t *out,
                            size_t *len, int *partial, size_t *last, int known_ascii)
{
    size_t j, w = nb < limit ? nb : limit, n;
    unsigned bad = 0;
    *last = LAST_UNKNOWN;
    if (nb == 0 || nb > CSVB_PATH_MAX_UNITS || d[0] == 0x2F)
        return 0;
#ifdef CSVB_SSE2
    if (w >= 17) {
        /* One pass of 16-byte blocks over the loaded part: NUL and non-ASCII, '/' and doubled
         * separators, the last separator, and the folded, widened units. The last block
         * overlaps the one before instead of a scalar tail: the tests are ORs and the stores
         * rewrite equal values. */
        const __m128i zero = _mm_setzero_si128(), slash = _mm_set1_epi8(0x2F),
                      bsl = _mm_set1_epi8(0x5C), a = _mm_set1_epi8(0x61),
                      z25 = _mm_set1_epi8(25), x20 = _mm_set1_epi8(0x20);
        __m128i acc = zero, hi = zero;
        size_t lastpos = LAST_NONE;
        if (w < nb && !known_ascii) { /* a prefix is loaded: NUL and non-ASCII still count
                                         over the whole row */
            for (j = 0;; j += 16) {
                __m128i v;
                if (j + 16 > nb)
                    j = nb - 16;
                v = _mm_loadu_si128((const __m128i *)(d + j));
                acc = _mm_or_si128(acc, _mm_cmpeq_epi8(v, zero));
                hi = _mm_or_si128(hi, v);
                if (j + 16 == nb)
                    break;
            }
        }
        for (j = 0;; j += 16) {
            __m128i v, prev, bs, lower;
            unsigned dbl, mb;
            if (j + 16 > w)
                j = w - 16;
            v = _mm_loadu_si128((const __m128i *)(d + j));
            prev = j ? _mm_loadu_si128((const __m128i *)(d + j - 1)) : _mm_slli_si128(v, 1);
            if (w == nb && !known_ascii) {
                acc = _mm_or_si128(acc, _mm_cmpeq_epi8(v, zero));
                hi = _mm_or_si128(hi, v);
            }
            bs = _mm_cmpeq_epi8(v, bsl);
            dbl = (unsigned)_mm_movemask_epi8(_mm_and_si128(bs, _mm_cmpeq_epi8(prev, bsl)));
            if (j == 0)
                dbl &= ~2u; /* "\\" starting a UNC or \\?\ path */
            bad |= dbl | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, slash));
            mb = (unsigned)_mm_movemask_epi8(bs);
            if (mb)
                lastpos = j + highest_bit(mb);
            lower = _mm_sub_epi8(v, a);
            lower = _mm_cmpeq_epi8(_mm_min_epu8(lower, z25), lower);
            v = _mm_sub_epi8(v, _mm_and_si128(lower, x20));
            _mm_storeu_si128((__m128i *)(out + j), _mm_unpacklo_epi8(v, zero));
            _mm_storeu_si128((__m128i *)(out + j + 8), _mm_unpackhi_epi8(v, zero));
            if (j + 16 == w)
                break;
        }
        if (bad | (unsigned)_mm_movemask_epi8(acc) | (unsigned)_mm_movemask_epi8(hi))
            return 0;
        *last = lastpos;
    } else
#endif
    {
        uint8_t mn = 0xFF, mx = 0;
        for (j = 0; j < nb && !known_ascii; j++) {
            mn = d[j] < mn ? d[j] : mn;
            mx = d[j] > mx ? d[j] : mx;
        }
        if (mn == 0 || mx >= 0x80)
            return 0;
        for (j = 1; j < w; j++)
            bad |= (d[j] == 0x2F) | ((j >= 2) & (d[j] == 0x5C) & (d[j - 1] == 0x5C));
        if (bad)
            return 0;
        for (j = 0; j < w; j++)
            out[j] = FOLD_ASCII(d[j]);
    }
    n = fix_prefix(out, w);
    *partial = nb > limit;
    if (!*partial)
        while (n > 0 && out[n - 1] == 0x5C)
            n--;
    if (n != w)
        *last = LAST_UNKNOWN;
    *len = n;
    return 1;
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

static unsigned load_raw(const csvb_strings *s, size_t i, const uint16_t *up, uint16_t *out, size_t *w)
{
    size_t j, n;
    switch (s->kind) {
    case CSVB_STR_UTF8_I32:
    case CSVB_STR_UTF8_I64: {
        const uint8_t *p;
        int r = utf8_row(s, i, &p, &n);
        return r == 0 ? CSVB_PATH_NULL : r < 0 ? CSVB_PATH_BAD_ENCODING : load_utf8(p, n, up, out, w);
    }
    case CSVB_STR_UCS4: {
        const uint32_t *d = (const uint32_t *)(s->data + i * s->itemsize);
        n = s->itemsize / 4;
        while (n > 0 && d[n - 1] == 0) /* numpy pads with NULs; they are not part of the string */
            n--;
        return load_ucs4(d, n, up, out, w);
    }
    case CSVB_STR_PYSTR: {
        const void *p = s->ptrs[i];
        n = (size_t)s->lens[i];
        if (!p)
            return CSVB_PATH_NULL;
        if (s->kinds[i] == 4)
            return load_ucs4((const uint32_t *)p, n, up, out, w);
        if (n > CSVB_PATH_MAX_UNITS)
            return CSVB_PATH_TOO_LONG;
        if (s->kinds[i] <= 1) {
            const uint8_t *d = (const uint8_t *)p;
            for (j = 0; j < n; j++) {
                if (d[j] == 0)
                    return CSVB_PATH_HAS_NUL;
                out[j] = up[d[j]];
            }
        } else {
            const uint16_t *d = (const uint16_t *)p;
            for (j = 0; j < n; j++) {
                if (d[j] == 0)
                    return CSVB_PATH_HAS_NUL;
                out[j] = up[d[j]];
            }
        }
        *w = n;
        return 0;
    }
    }
    return CSVB_PATH_BAD_ENCODING;
}

/* Row i as canonical folded units. With limit < SIZE_MAX the result may be only a canonical
 * prefix of more than limit - 8 units (*partial = 1): enough for a walk over directories of at
 * most limit - 8 units. */
static unsigned load_row(const csvb_strings *s, size_t i, const uint16_t *up, uint16_t *out,
                         size_t *len, size_t limit, int *partial, size_t *last, int known_ascii)
{
    size_t w = 0;
    unsigned st;
    *partial = 0;
    *last = LAST_UNKNOWN;
    if (s->kind == CSVB_STR_UTF8_I32 || s->kind == CSVB_STR_UTF8_I64) {
        const uint8_t *p;
        size_t nb;
        int r = utf8_row(s, i, &p, &nb);
        if (r == 0)
            return CSVB_PATH_NULL;
        if (r > 0 && load_clean_ascii(p, nb, limit, out, len, partial, last, known_ascii))
            return 0;
    } else if (s->kind == CSVB_STR_UCS4) {
        /* numpy 'U': narrow to bytes when every code point is ASCII, then the byte path */
        const uint32_t *d = (const uint32_t *)(s->data + i * s->itemsize);
        uint8_t *narrow = (uint8_t *)(out + CSVB_PATH_MAX_UNITS + 16);
        size_t n = s->itemsize / 4, j;
        uint32_t hi = 0;
        while (n > 0 && d[n - 1] == 0) /* numpy pads with NULs; they are not part of the string */
            n--;
        if (n <= CSVB_PATH_MAX_UNITS) {
            for (j = 0; j < n; j++) {
                hi |= d[j];
                narrow[j] = (uint8_t)d[j];
            }
            if (hi < 0x80 && load_clean_ascii(narrow, n, limit, out, len, partial, last, 0))
                return 0;
        }
    } else if (s->kind == CSVB_STR_PYSTR && s->kinds[i] == 0 && s->ptrs[i]
               && load_clean_ascii((const uint8_t *)s->ptrs[i], (size_t)s->lens[i], limit, out,
                                   len, partial, last, 0)) {
        return 0; /* an ASCII str: its bytes are ASCII, as in an Arrow array */
    }
    st = load_raw(s, i, up, out, &w);
    *len = st ? 0 : csvb_canonicalize(out, w);
    return st;
}

unsigned csvb_load_path(const csvb_strings *src, size_t i, const uint16_t *upcase, uint16_t *out,
                        size_t *len)
{
    int partial;
    size_t last;
    return load_row(src, i, upcase, out, len, (size_t)-1, &partial, &last, 0);
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
 * Building. */

static int pool_add(csvb_specset *s, const uint16_t *p, size_t n, uint32_t *off)
{
    if (s->pool_len + n > s->pool_cap) {
        size_t cap = s->pool_cap ? s->pool_cap : 1024;
        uint16_t *np_;
        while (cap < s->pool_len + n)
            cap *= 2;
        np_ = (uint16_t *)realloc(s->pool, cap * sizeof(uint16_t));
        if (!np_)
            return -1;
        s->pool = np_;
        s->pool_cap = cap;
    }
    if (n)
        memcpy(s->pool + s->pool_len, p, n * sizeof(uint16_t));
    *off = (uint32_t)s->pool_len;
    s->pool_len += n;
    return 0;
}

/* Fold then canonicalize p[0, n) into a fresh pool slice. */
static int pool_add_path(csvb_specset *s, const uint16_t *p, size_t n, uint32_t *off, uint32_t *len)
{
    size_t j;
    if (pool_add(s, p, n, off) < 0)
        return -1;
    for (j = 0; j < n; j++)
        s->pool[*off + j] = csvb_fold_unit(s->pool[*off + j], s->upcase);
    *len = (uint32_t)csvb_canonicalize(s->pool + *off, n);
    s->pool_len = *off + *len;
    return 0;
}

CSVB_INLINE int is_wild_unit(uint16_t u)
{
    return u == 0x2A || u == 0x3F || u == CSVB_DOS_STAR || u == CSVB_DOS_QM || u == CSVB_DOS_DOT;
}

/* Reorder e[0, n) so that the recursive entries come first (their order is not significant:
 * apply() only ORs and takes minimums); returns how many are recursive. tmp: room for n. */
static uint32_t recursive_first(entry_t *e, size_t n, entry_t *tmp)
{
    size_t i, r = 0, w = 0;
    for (i = 0; i < n; i++)
        r += e[i].recursive;
    for (i = 0; i < n; i++)
        tmp[e[i].recursive ? w++ : r + (i - w)] = e[i];
    memcpy(e, tmp, n * sizeof *e);
    return (uint32_t)r;
}

static int has_wild(const uint16_t *e, size_t m)
{
    size_t i;
    for (i = 0; i < m; i++)
        if (e[i] == 0x2A || e[i] == CSVB_DOS_STAR || e[i] == CSVB_DOS_QM || e[i] == CSVB_DOS_DOT)
            return 1;
    return 0;
}

static uint8_t classify_pattern(const uint16_t *e, size_t m)
{
    if (m == 1 && e[0] == 0x2A)
        return CLS_ALL;
    if (!has_wild(e, m))
        return CLS_EXACT;
    if (e[0] == 0x2A && !has_wild(e + 1, m - 1))
        return CLS_SUFFIX;
    if (e[m - 1] == 0x2A && !has_wild(e, m - 1))
        return CLS_PREFIX;
    return CLS_GENERAL;
}

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

/* The record of directory p[0, n) (units in the pool or elsewhere), or -1. */
static int64_t dir_find(const csvb_specset *s, const uint16_t *p, size_t n, uint64_t h)
{
    size_t slot = (size_t)h & s->dir_mask;
    for (;;) {
        uint32_t v = s->dir_slots[slot];
        const dir_t *d;
        if (!v)
            return -1;
        d = &s->dirs[v - 1];
        if (d->hash == h && d->len == n && units_equal(s->pool + d->off, p, n))
            return v - 1;
        slot = (slot + 1) & s->dir_mask;
    }
}

static int64_t name_find(const csvb_specset *s, uint32_t dir, const uint16_t *p, size_t n, uint64_t h)
{
    size_t slot = (size_t)h & s->name_mask;
    for (;;) {
        uint32_t v = s->name_slots[slot];
        const name_t *k;
        if (!v)
            return -1;
        k = &s->names[v - 1];
        if (k->hash == h && k->dir == dir && k->name_len == n
            && units_equal(s->pool + k->name_off, p, n))
            return v - 1;
        slot = (slot + 1) & s->name_mask;
    }
}

void csvb_specset_free(csvb_specset *s)
{
    if (!s)
        return;
    free(s->pool);
    free(s->wild);
    free(s->exact);
    free(s->alts);
    free(s->dirs);
    free(s->dir_slots);
    free(s->names);
    free(s->name_slots);
    free(s->lens);
    free(s->lens_last);
    free(s->words);
    free(s->word_off);
    free(s->byte_slots);
    free(s->byte_hash);
    free(s);
}

static csvb_specset *set_new(size_t n, const uint16_t *upcase)
{
    csvb_specset *s = (csvb_specset *)calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->upcase = upcase;
    s->dir_mask = table_size(n) - 1;
    s->name_mask = table_size(n) - 1;
    s->dirs = (dir_t *)calloc(n + 1, sizeof(dir_t));
    s->dir_slots = (uint32_t *)calloc(s->dir_mask + 1, sizeof(uint32_t));
    s->names = (name_t *)calloc(n + 1, sizeof(name_t));
    s->name_slots = (uint32_t *)calloc(s->name_mask + 1, sizeof(uint32_t));
    if (!s->dirs || !s->dir_slots || !s->names || !s->name_slots) {
        csvb_specset_free(s);
        return NULL;
    }
    return s;
}

/* The record of directory pool[off, off + len), created if new. */
static uint32_t dir_intern(csvb_specset *s, uint32_t off, uint32_t len)
{
    uint64_t h = hash_units(s->pool + off, len);
    int64_t found = dir_find(s, s->pool + off, len, h);
    size_t slot;
    dir_t *d;
    if (found >= 0)
        return (uint32_t)found;
    d = &s->dirs[s->n_dirs];
    d->hash = h;
    d->off = off;
    d->len = len;
    d->payload = -1;
    slot = (size_t)h & s->dir_mask;
    while (s->dir_slots[slot])
        slot = (slot + 1) & s->dir_mask;
    s->dir_slots[slot] = (uint32_t)++s->n_dirs;
    if (len > s->maxlen)
        s->maxlen = len;
    return (uint32_t)(s->n_dirs - 1);
}

static int build_lens(csvb_specset *s)
{
    size_t i;
    uint8_t *seen = (uint8_t *)calloc(s->maxlen + 1, 1);
    s->lens = (uint32_t *)malloc((s->n_dirs + 1) * sizeof(uint32_t));
    if (!seen || !s->lens) {
        free(seen);
        return -1;
    }
    for (i = 0; i < s->n_dirs; i++)
        seen[s->dirs[i].len] = 1;
    for (i = 0; i <= s->maxlen; i++)
        if (seen[i])
            s->lens[s->n_lens++] = (uint32_t)i;
    for (i = 0; i < s->n_lens && s->lens[i] < 64; i++)
        s->short_lens |= 1ull << s->lens[i];
    s->short_lens &= ~1ull; /* (no directory is empty; the walks read the unit before q) */
    s->first_long = i;
    s->lens_last = (uint64_t *)calloc(s->n_lens + 1, sizeof(uint64_t));
    if (!s->lens_last) {
        free(seen);
        return -1;
    }
    for (i = 0; i < s->n_dirs; i++) {
        const dir_t *d = &s->dirs[i];
        size_t k = 0;
        while (s->lens[k] != d->len)
            k++;
        if (d->len)
            s->lens_last[k] |= 1ull << (s->pool[d->off + d->len - 1] & 63);
    }
    for (i = 0; i < s->n_lens && s->lens[i] < 64; i++)
        s->short_last[s->lens[i]] = s->lens_last[i];
    free(seen);
    return 0;
}

/* Stable counting sort of entries by .key (0 <= key < nkeys) into a new array; begin[] and
 * count[] of each key are written through the callback arrays. */
static entry_t *group_by_key(const entry_t *in, size_t n, size_t nkeys, uint32_t *begin, uint32_t *count)
{
    entry_t *out = (entry_t *)malloc((n ? n : 1) * sizeof(entry_t));
    size_t i, acc = 0;
    if (!out)
        return NULL;
    for (i = 0; i < nkeys; i++)
        count[i] = 0;
    for (i = 0; i < n; i++)
        count[in[i].key]++;
    for (i = 0; i < nkeys; i++) {
        begin[i] = (uint32_t)acc;
        acc += count[i];
    }
    for (i = 0; i < nkeys; i++)
        count[i] = 0;
    for (i = 0; i < n; i++)
        out[begin[in[i].key] + count[in[i].key]++] = in[i];
    return out;
}

static int build_byte_table(csvb_specset *s);

csvb_specset *csvb_specset_build(const csvb_spec_in *specs, size_t n, const uint16_t *upcase,
                                 size_t *bad, int *why)
{
    csvb_specset *s = set_new(n, upcase);
    entry_t *wild = NULL, *exact = NULL;
    uint32_t *begin = NULL, *count = NULL;
    uint16_t tmp[CSVB_FILESPEC_MAX_UNITS];
    size_t i, nw = 0, ne = 0;

    *bad = (size_t)-1;
    *why = CSVB_SPEC_NOMEM;
    wild = (entry_t *)malloc((n ? n : 1) * sizeof(entry_t));
    exact = (entry_t *)malloc((n ? n : 1) * sizeof(entry_t));
    if (!s || !wild || !exact)
        goto fail;
    s->alts = (alt_t *)malloc((n ? n : 1) * sizeof(alt_t));
    if (!s->alts)
        goto fail;
    for (i = 0; i < n; i++) {
        const csvb_spec_in *in = &specs[i];
        entry_t e;
        uint32_t off, len, pat_off;
        size_t m, j;
        memset(&e, 0, sizeof e);
        if (in->filespec_len > CSVB_FILESPEC_MAX_UNITS) {
            *bad = i;
            *why = CSVB_SPEC_LONG_FILESPEC;
            goto fail;
        }
        if (pool_add_path(s, in->dir, in->dir_len, &off, &len) < 0)
            goto fail;
        if (len == 0) {
            *bad = i;
            *why = CSVB_SPEC_EMPTY_DIR;
            goto fail;
        }
        e.key = dir_intern(s, off, len);
        e.index = in->index;
        e.mask = in->mask;
        e.role = in->role;
        e.recursive = in->recursive ? 1 : 0;
        e.alt = -1;
        if (in->default_dir) {
            alt_t *a = &s->alts[s->n_alts];
            a->src_off = s->dirs[e.key].off;
            a->src_len = s->dirs[e.key].len;
            if (pool_add_path(s, in->default_dir, in->default_dir_len, &a->dst_off, &a->dst_len) < 0)
                goto fail;
            e.alt = (int32_t)s->n_alts++;
        }
        if (in->role != CSVB_ROLE_INCLUDE)
            s->has_exclude_roles = 1;
        m = csvb_translate_filespec(in->filespec, in->filespec_len, tmp);
        for (j = 0; j < m; j++)
            tmp[j] = csvb_fold_unit(tmp[j], upcase);
        e.cls = classify_pattern(tmp, m);
        if (e.cls == CLS_SUFFIX) {
            if (pool_add(s, tmp + 1, m - 1, &pat_off) < 0)
                goto fail;
            e.pat_len = (uint32_t)(m - 1);
        } else if (e.cls == CLS_PREFIX) {
            if (pool_add(s, tmp, m - 1, &pat_off) < 0)
                goto fail;
            e.pat_len = (uint32_t)(m - 1);
        } else {
            if (pool_add(s, tmp, m, &pat_off) < 0)
                goto fail;
            e.pat_len = (uint32_t)m;
        }
        e.pat_off = pat_off;
        if (m > 0) { /* a literal at either end of the pattern must be that end of the name */
            e.first = is_wild_unit(tmp[0]) ? 0 : tmp[0];
            e.last = is_wild_unit(tmp[m - 1]) ? 0 : tmp[m - 1];
        }
        if (m > s->max_pattern)
            s->max_pattern = m;
        if (e.cls == CLS_EXACT) {
            /* key: (directory, name) */
            uint64_t h = name_key_hash(e.key, hash_units(s->pool + pat_off, m));
            int64_t k = name_find(s, e.key, s->pool + pat_off, m, h);
            if (k < 0) {
                name_t *nk = &s->names[s->n_names];
                size_t slot = (size_t)h & s->name_mask;
                nk->hash = h;
                nk->dir = e.key;
                nk->name_off = pat_off;
                nk->name_len = (uint32_t)m;
                while (s->name_slots[slot])
                    slot = (slot + 1) & s->name_mask;
                s->name_slots[slot] = (uint32_t)++s->n_names;
                k = (int64_t)s->n_names - 1;
                s->dirs[e.key].n_exact++;
            }
            if (e.recursive)
                s->dirs[e.key].n_exact_rec++;
            e.key = (uint32_t)k;
            exact[ne++] = e;
        } else {
            wild[nw++] = e;
        }
    }
    begin = (uint32_t *)malloc((n + 1) * sizeof(uint32_t));
    count = (uint32_t *)malloc((n + 1) * sizeof(uint32_t));
    if (!begin || !count)
        goto fail;
    s->wild = group_by_key(wild, nw, s->n_dirs, begin, count);
    if (!s->wild)
        goto fail;
    for (i = 0; i < s->n_dirs; i++) {
        s->dirs[i].wild_begin = begin[i];
        s->dirs[i].wild_count = count[i];
        s->dirs[i].wild_rec = recursive_first(s->wild + begin[i], count[i], wild);
    }
    s->exact = group_by_key(exact, ne, s->n_names, begin, count);
    if (!s->exact)
        goto fail;
    for (i = 0; i < s->n_names; i++) {
        s->names[i].begin = begin[i];
        s->names[i].count = count[i];
    }
    s->n_wild = nw;
    s->n_exact = ne;
    if (build_lens(s) < 0 || build_byte_table(s) < 0)
        goto fail;
    free(wild);
    free(exact);
    free(begin);
    free(count);
    *why = CSVB_SPEC_OK;
    return s;
fail:
    free(wild);
    free(exact);
    free(begin);
    free(count);
    csvb_specset_free(s);
    return NULL;
}

/* The byte table (see struct csvb_specset) of the directories whose folded units are all ASCII.
 * A clean ASCII row can only equal such a directory, so the byte path needs no other; it is
 * built only when `upcase` folds ASCII as the byte path does ('a'..'z' -> 'A'..'Z'). */
static int build_byte_table(csvb_specset *s)
{
    size_t i, j, total = 0;
    for (i = 0; i < 0x80; i++)
        if (s->upcase[i] != FOLD_ASCII(i))
            return 0; /* a non-standard fold: rows take the unit path only */
    s->word_off = (uint32_t *)malloc((s->n_dirs + 1) * sizeof(uint32_t));
    if (!s->word_off)
        return -1;
    for (i = 0; i < s->n_dirs; i++) {
        int ascii = 1;
        for (j = 0; j < s->dirs[i].len; j++)
            ascii &= s->pool[s->dirs[i].off + j] < 0x80;
        s->word_off[i] = ascii ? (uint32_t)total : UINT32_MAX;
        total += ascii ? (s->dirs[i].len + 7) / 8 : 0;
    }
    s->words = (uint64_t *)calloc(total + 1, sizeof(uint64_t));
    s->byte_hash = (uint64_t *)malloc((s->n_dirs + 1) * sizeof(uint64_t));
    s->byte_slots = (uint32_t *)calloc(s->dir_mask + 1, sizeof(uint32_t));
    if (!s->words || !s->byte_hash || !s->byte_slots)
        return -1;
    for (i = 0; i < s->n_dirs; i++) {
        const dir_t *d = &s->dirs[i];
        uint64_t h = 0x9E3779B97F4A7C15ull, *w = s->words + s->word_off[i];
        size_t slot, nw = (d->len + 7) / 8;
        if (s->word_off[i] == UINT32_MAX)
            continue;
        if (d->len > s->max_by_first[s->pool[d->off]])
            s->max_by_first[s->pool[d->off]] = d->len;
        for (j = 0; j < d->len; j++)
            w[j / 8] |= (uint64_t)s->pool[d->off + j] << (8 * (j % 8));
        for (j = 0; j < nw; j++)
            h = byte_hash_step(h, w[j]);
        s->byte_hash[i] = byte_hash_finish(h, d->len);
        slot = (size_t)s->byte_hash[i] & s->dir_mask;
        while (s->byte_slots[slot])
            slot = (slot + 1) & s->dir_mask;
        s->byte_slots[slot] = (uint32_t)(i + 1);
    }
    return 0;
}

csvb_specset *csvb_mounts_build(const uint16_t *const *dirs, const size_t *lens,
                                const int32_t *index, size_t n, const uint16_t *upcase,
                                size_t *bad, int *why)
{
    csvb_specset *s = set_new(n, upcase);
    size_t i;
    *bad = (size_t)-1;
    *why = CSVB_SPEC_NOMEM;
    if (!s)
        return NULL;
    for (i = 0; i < n; i++) {
        uint32_t off, len, d;
        if (pool_add_path(s, dirs[i], lens[i], &off, &len) < 0)
            goto fail;
        if (len == 0) {
            *bad = i;
            *why = CSVB_SPEC_EMPTY_DIR;
            goto fail;
        }
        d = dir_intern(s, off, len);
        if (s->dirs[d].payload >= 0 && s->dirs[d].payload != index[i]) {
            *bad = i;
            *why = CSVB_SPEC_DUPLICATE_MOUNT;
            goto fail;
        }
        s->dirs[d].payload = index[i];
    }
    if (build_lens(s) < 0 || build_byte_table(s) < 0)
        goto fail;
    *why = CSVB_SPEC_OK;
    return s;
fail:
    csvb_specset_free(s);
    return NULL;
}

size_t csvb_specset_dirs(const csvb_specset *s) { return s->n_dirs; }
size_t csvb_specset_exact_names(const csvb_specset *s) { return s->n_names; }

/* ---------------------------------------------------------------------------------------------
 * Matching. */

typedef struct {
    uint32_t mask;
    int32_t spec;
    uint8_t raw_excluded, default_claimed, not_in_snapshot;
    uint32_t n_alt;
    int32_t *alt_claims; /* alt indexes of claiming alternate includes */
} acc_t;

typedef struct {
    uint16_t *buf;       /* the loaded path */
    uint16_t *remap;     /* a default-path rewrite for exclude checks */
    uint16_t *prev_dir;  /* the row buffer holding the directory whose records are cached;
                            rows load into the other one, so nothing is copied */
    size_t prev_len;
    int prev_valid;
    const uint8_t *prev_bytes; /* or, on the byte path: the raw bytes of that directory
                                  (in the caller's column or a narrow[] buffer), NULL if none */
    uint32_t *cand_dir;  /* cached: directory records on the walk ... */
    uint8_t *cand_self;  /* ... and whether that record is the path's own directory */
    size_t n_cand;
    uint8_t *fold;       /* byte path: the folded row */
    uint8_t *narrow[2];  /* byte path: numpy rows narrowed to bytes (two, so the cached
                            directory's bytes survive the next row) */
    int narrow_next;
    uint8_t *states;     /* NFA scratch */
    int32_t *alt_claims;
} thread_t;

static int thread_init(thread_t *t, const csvb_specset *s)
{
    memset(t, 0, sizeof *t);
    t->buf = (uint16_t *)malloc(CSVB_LOAD_UNITS * sizeof(uint16_t));
    t->remap = (uint16_t *)malloc((2 * CSVB_PATH_MAX_UNITS + 2) * sizeof(uint16_t));
    t->prev_dir = (uint16_t *)malloc(CSVB_LOAD_UNITS * sizeof(uint16_t));
    t->cand_dir = (uint32_t *)malloc((CSVB_PATH_MAX_UNITS + 1) * sizeof(uint32_t));
    t->cand_self = (uint8_t *)malloc(CSVB_PATH_MAX_UNITS + 1);
    t->fold = (uint8_t *)calloc(CSVB_PATH_MAX_UNITS + 32, 1); /* zeroed: words past the row
                                                                 are masked, never undefined */
    t->narrow[0] = (uint8_t *)malloc(CSVB_PATH_MAX_UNITS + 16);
    t->narrow[1] = (uint8_t *)malloc(CSVB_PATH_MAX_UNITS + 16);
    t->states = (uint8_t *)malloc(2 * (s->max_pattern + 1));
    t->alt_claims = (int32_t *)malloc((s->n_alts + 1) * sizeof(int32_t));
    return (t->buf && t->remap && t->prev_dir && t->cand_dir && t->cand_self && t->fold
            && t->narrow[0] && t->narrow[1] && t->states && t->alt_claims) ? 0 : -1;
}

static void thread_free(thread_t *t)
{
    free(t->buf);
    free(t->remap);
    free(t->prev_dir);
    free(t->cand_dir);
    free(t->cand_self);
    free(t->fold);
    free(t->narrow[0]);
    free(t->narrow[1]);
    free(t->states);
    free(t->alt_claims);
}

static int name_ok(const csvb_specset *s, const entry_t *e, const uint16_t *nm, size_t k, uint8_t *states)
{
    const uint16_t *pat = s->pool + e->pat_off;
    size_t m = e->pat_len;
    switch (e->cls) {
    case CLS_ALL:
        return k > 0;
    case CLS_SUFFIX: /* '*' + literal; '*' may match nothing, but the name is never empty */
        return k >= m && k > 0 && units_equal(nm + k - m, pat, m);
    case CLS_PREFIX:
        return k >= m && k > 0 && units_equal(nm, pat, m);
    case CLS_EXACT:
        return k == m && units_equal(nm, pat, m);
    default:
        return csvb_dos_match(pat, m, nm, k, states);
    }
}

static void apply(const entry_t *e, acc_t *a)
{
    if (e->role == CSVB_ROLE_INCLUDE) {
        a->mask |= e->mask;
        if (a->spec < 0 || (int32_t)e->index < a->spec)
            a->spec = (int32_t)e->index;
        if (e->alt >= 0)
            a->alt_claims[a->n_alt++] = e->alt;
        else
            a->default_claimed = 1;
    } else if (e->role == CSVB_ROLE_EXCLUDE) {
        a->raw_excluded = 1;
    } else {
        a->not_in_snapshot = 1;
    }
}

/* Bit q set for each separator p[q], q < min(n, 64). */
static uint64_t separators64(const uint16_t *p, size_t n)
{
    uint64_t m = 0;
    size_t q, top = n < 64 ? n : 64;
#ifdef CSVB_SSE2
    const __m128i bsl = _mm_set1_epi16(0x5C);
    for (q = 0; q + 8 <= top; q += 8) {
        __m128i v = _mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(p + q)), bsl);
        m |= (uint64_t)(_mm_movemask_epi8(_mm_packs_epi16(v, v)) & 0xFF) << q;
    }
#else
    q = 0;
#endif
    for (; q < top; q++)
        m |= (uint64_t)(p[q] == 0x5C) << q;
    return m;
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

/* The directory records on the walk of p[0, ls): every ancestor and p[0, ls) itself. Only
 * prefixes that end at a separator AND have a length some directory has are probed: below 64
 * units those are the set bits of (separators & short_lens), found without a loop over
 * lengths; longer ones come from the length list. */
static size_t walk(const csvb_specset *s, const uint16_t *p, size_t ls, uint32_t *cand, uint8_t *self)
{
    size_t k, nc = 0;
    hash_state st = {0x9E3779B97F4A7C15ull, 0};
    uint64_t bits = separators64(p, ls + 1) & s->short_lens;
    if (ls < 63)
        bits &= (2ull << ls) - 1; /* prefixes up to p[0, ls) only */
    while (bits) {
        size_t q = lowest_bit(bits);
        int64_t d;
        bits &= bits - 1;
        if (!((s->short_last[q] >> (p[q - 1] & 63)) & 1))
            continue; /* no directory of this length ends in this unit */
        hash_advance(&st, p, q);
        d = dir_find(s, p, q, hash_finish(&st, p, q));
        if (d >= 0) {
            cand[nc] = (uint32_t)d;
            self[nc++] = q == ls;
        }
    }
    for (k = s->first_long; k < s->n_lens; k++) {
        size_t q = s->lens[k];
        int64_t d;
        if (q > ls)
            break;
        if ((q < ls && p[q] != 0x5C) || !((s->lens_last[k] >> (p[q - 1] & 63)) & 1))
            continue;
        hash_advance(&st, p, q);
        d = dir_find(s, p, q, hash_finish(&st, p, q));
        if (d >= 0) {
            cand[nc] = (uint32_t)d;
            self[nc++] = q == ls;
        }
    }
    return nc;
}

/* The byte-table record of directory f[0, q) (folded bytes), or -1. *h and *done carry the hash
 * of the whole words before *done from the previous, shorter prefix of the same row. f[] is
 * readable 8 bytes past q; the bytes there are masked off. */
CSVB_INLINE int64_t byte_probe(const csvb_specset *s, const uint8_t *f, size_t q, uint64_t *h,
                               size_t *done)
{
    size_t full = q / 8, r = q % 8, slot, j;
    uint64_t hq, tail = 0;
    for (; *done + 8 <= q; *done += 8)
        *h = byte_hash_step(*h, load_word(f + *done));
    hq = *h;
    if (r) {
        tail = load_word(f + 8 * full) & ((1ull << (8 * r)) - 1);
        hq = byte_hash_step(hq, tail);
    }
    hq = byte_hash_finish(hq, q);
    for (slot = (size_t)hq & s->dir_mask; s->byte_slots[slot]; slot = (slot + 1) & s->dir_mask) {
        uint32_t di = s->byte_slots[slot] - 1;
        const uint64_t *mw = s->words + s->word_off[di];
        if (s->byte_hash[di] != hq || s->dirs[di].len != q)
            continue;
        for (j = 0; j < full; j++)
            if (load_word(f + 8 * j) != mw[j])
                break;
        if (j == full && (!r || tail == mw[full]))
            return di;
    }
    return -1;
}

/* Apply every spec of roles in `roles` (bit per role) held by the records cand[0, nc) to name
 * nm[0, k). The alternate-claim list in `a` only grows for includes. Inline, so that the
 * main pass (all roles) loses the role test. */
CSVB_INLINE void scan(const csvb_specset *s, const uint32_t *cand, const uint8_t *self, size_t nc,
                      const uint16_t *nm, size_t k, unsigned roles, uint8_t *states, acc_t *a)
{
    size_t c, j;
    uint64_t nh = 0;
    int nh_done = 0;
    uint16_t first = k ? nm[0] : 0, last = k ? nm[k - 1] : 0;
    for (c = 0; c < nc; c++) {
        const dir_t *d = &s->dirs[cand[c]];
        const entry_t *e = &s->wild[d->wild_begin];
        size_t nw = self[c] ? d->wild_count : d->wild_rec; /* above its own directory only
                                                              recursive specs match */
        for (j = 0; j < nw; j++, e++) {
            if (roles != 7u && !((roles >> e->role) & 1))
                continue;
            if (k && ((e->last && e->last != last) || (e->first && e->first != first)))
                continue;
            if (name_ok(s, e, nm, k, states))
                apply(e, a);
        }
        if (self[c] ? d->n_exact : d->n_exact_rec) {
            int64_t key;
            if (!nh_done) {
                nh = hash_units(nm, k);
                nh_done = 1;
            }
            key = name_find(s, cand[c], nm, k, name_key_hash(cand[c], nh));
            if (key >= 0) {
                const name_t *nk = &s->names[key];
                for (j = 0; j < nk->count; j++) {
                    const entry_t *x = &s->exact[nk->begin + j];
                    if (((roles >> x->role) & 1) && (self[c] || x->recursive))
                        apply(x, a);
                }
            }
        }
    }
}

static size_t last_sep(const uint16_t *p, size_t n)
{
    size_t i = n;
    while (i > 0) {
        if (p[--i] == 0x5C)
            return i;
    }
    return (size_t)-1;
}

/* Excludes against remap(P) = default dir + P[len(alternate dir):] (vss-filespec.md 2.5). */
static int remap_excluded(const csvb_specset *s, thread_t *t, const uint16_t *p, size_t n, const alt_t *al)
{
    size_t m = al->dst_len + (n - al->src_len), ls, nc;
    uint32_t cand[64];
    uint8_t self[64];
    uint32_t *cd = cand;
    uint8_t *sf = self;
    acc_t a;
    memcpy(t->remap, s->pool + al->dst_off, al->dst_len * 2);
    memcpy(t->remap + al->dst_len, p + al->src_len, (n - al->src_len) * 2);
    ls = last_sep(t->remap, m);
    if (ls == (size_t)-1)
        return 0;
    if (ls >= 64) { /* deep: use the cache arrays (the cache is invalidated by the caller) */
        cd = t->cand_dir;
        sf = t->cand_self;
    }
    nc = walk(s, t->remap, ls, cd, sf);
    memset(&a, 0, sizeof a);
    a.spec = -1;
    a.alt_claims = NULL;
    scan(s, cd, sf, nc, t->remap + ls + 1, m - ls - 1, 1u << CSVB_ROLE_EXCLUDE, t->states, &a);
    return a.raw_excluded;
}

/* One row on the unit path (any row: decoded, folded and canonicalized to UTF-16). */
static void match_units(const csvb_specset *s, const csvb_strings *src, size_t i, int ascii,
                        const csvb_match_out *out, thread_t *t)
{
    size_t n, ls, k, last;
    uint16_t *row;
    int partial, excluded;
    unsigned st = load_row(src, i, s->upcase, t->buf, &n, (size_t)-1, &partial, &last, ascii);
    acc_t a;
    uint32_t j;
    out->status[i] = (uint8_t)st;
    out->mask[i] = 0;
    out->spec[i] = -1;
    out->excluded[i] = 0;
    out->not_in_snapshot[i] = 0;
    if (st)
        return;
    ls = last == LAST_UNKNOWN ? last_sep(t->buf, n) : last;
    if (ls == LAST_NONE)
        return;
    row = t->buf;
    if (!(t->prev_valid && t->prev_len == ls && memcmp(t->prev_dir, row, ls * 2) == 0)) {
        t->n_cand = walk(s, row, ls, t->cand_dir, t->cand_self);
        t->buf = t->prev_dir; /* this row's directory is the cached one now */
        t->prev_dir = row;
        t->prev_len = ls;
        t->prev_valid = 1;
        t->prev_bytes = NULL;
    }
    if (!t->n_cand)
        return;
    k = n - ls - 1;
    memset(&a, 0, sizeof a);
    a.spec = -1;
    a.alt_claims = t->alt_claims;
    scan(s, t->cand_dir, t->cand_self, t->n_cand, row + ls + 1, k, 7u, t->states, &a);
    excluded = a.raw_excluded && (a.default_claimed || a.n_alt == 0);
    for (j = 0; j < a.n_alt && !excluded; j++) {
        t->prev_valid = 0; /* remap_excluded may reuse the cache arrays */
        excluded = remap_excluded(s, t, row, n, &s->alts[a.alt_claims[j]]);
    }
    out->mask[i] = a.mask;
    out->spec[i] = a.spec;
    out->excluded[i] = (uint8_t)excluded;
    out->not_in_snapshot[i] = a.not_in_snapshot;
}

/* Rows are taken in blocks: one pass over a block's bytes says whether all of it is ASCII
 * without NUL (span_is_ascii), and the block is still in cache when its rows are read. */
#define ROW_BLOCK 1024

#define ROWS(name) name##_base
#include "specset_rows.h"
#undef ROWS
#ifdef CSVB_SPECSET_V3
#  pragma GCC push_options
#  pragma GCC target("arch=x86-64-v3")
#  define ROWS(name) name##_v3
#  include "specset_rows.h"
#  undef ROWS
#  pragma GCC pop_options
#endif

/* No thread gets fewer rows than this. */
#define THREAD_GRAIN 4096

/* Threads take blocks of THREAD_BLOCK rows from a shared counter (OpenMP dynamic schedule)
 * rather than one fixed half each: on a machine whose cores run at different speeds from
 * moment to moment (a shared VM), the fast thread takes more blocks instead of waiting. */
#define THREAD_BLOCK 16384

CSVB_INLINE size_t block_end(size_t lo, size_t n)
{
    return n - lo > THREAD_BLOCK ? lo + THREAD_BLOCK : n;
}

CSVB_INLINE int block_count(size_t n)
{
    return (int)((n + THREAD_BLOCK - 1) / THREAD_BLOCK);
}

int csvb_specset_match(const csvb_specset *s, const csvb_strings *src, size_t n,
                       const csvb_match_out *out, int nthreads)
{
    int failed = 0, T = csvb_threads_for(n, nthreads, THREAD_GRAIN), nblocks = block_count(n),
        v3 = csvb_specset_level() >= 3;
#ifdef _OPENMP
#pragma omp parallel num_threads(T) reduction(| : failed)
#endif
    {
        thread_t t;
        int b, ok = thread_init(&t, s) == 0;
        failed |= !ok;
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (b = 0; b < nblocks; b++) {
            size_t lo = (size_t)b * THREAD_BLOCK, hi = block_end(lo, n);
            if (!ok)
                continue;
#ifdef CSVB_SPECSET_V3
            if (v3)
                match_range_v3(s, src, lo, hi, out, &t);
            else
#endif
                match_range_base(s, src, lo, hi, out, &t);
        }
        thread_free(&t);
    }
    (void)T;
    (void)v3;
    return failed ? -1 : 0;
}

int csvb_mounts_lookup(const csvb_specset *s, const csvb_strings *src, size_t n, int32_t *out,
                       uint8_t *status, int nthreads)
{
    int failed = 0, T = csvb_threads_for(n, nthreads, THREAD_GRAIN), nblocks = block_count(n),
        v3 = csvb_specset_level() >= 3;
#ifdef _OPENMP
#pragma omp parallel num_threads(T) reduction(| : failed)
#endif
    {
        uint16_t *buf = (uint16_t *)malloc(CSVB_LOAD_UNITS * sizeof(uint16_t));
        uint8_t *fold = (uint8_t *)calloc(s->maxlen + 32, 1); /* zeroed: see thread_init */
        uint32_t *cand = (uint32_t *)malloc((s->n_lens + 1) * sizeof(uint32_t));
        uint8_t *self = (uint8_t *)malloc(s->n_lens + 1);
        int b, ok = buf && fold && cand && self;
        failed |= !ok;
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (b = 0; b < nblocks; b++) {
            size_t lo = (size_t)b * THREAD_BLOCK, hi = block_end(lo, n);
            if (!ok)
                continue;
#ifdef CSVB_SPECSET_V3
            if (v3)
                mounts_range_v3(s, src, lo, hi, out, status, buf, fold, cand, self);
            else
#endif
                mounts_range_base(s, src, lo, hi, out, status, buf, fold, cand, self);
        }
        free(buf);
        free(fold);
        free(cand);
        free(self);
    }
    (void)T;
    (void)v3;
    return failed ? -1 : 0;
}
