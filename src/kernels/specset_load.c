/*
 * specset_load.c - loading one row of a string column for the matcher: decoded to UTF-16,
 * folded and canonicalized, with a vectorised path for the clean ASCII rows of a catalog.
 */
#include "specset_internal.h"

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

unsigned load_utf8(const uint8_t *d, size_t nb, const uint16_t *up, uint16_t *out, size_t *w)
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
        size_t need;
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
        need = utf8_decode(d + j, nb - j, &cp);
        if (!need)
            return CSVB_PATH_BAD_ENCODING;
        st = put_cp(cp, up, out, w);
        if (st)
            return st;
        j += need;
    }
    return 0;
}

int fold_utf8(const uint8_t *d, size_t n, const uint16_t *up, uint8_t *f)
{
    size_t j = 0, k;
    while (j < n) {
        uint32_t cp;
        uint16_t u;
        if (n - j >= 8) { /* skip ASCII a word at a time */
            uint64_t high = load_word(d + j) & 0x8080808080808080ull;
            if (!high) {
                j += 8;
                continue;
            }
            j += lowest_bit(high) / 8;
        } else if (d[j] < 0x80) {
            j++;
            continue;
        }
        k = utf8_decode(d + j, n - j, &cp);
        if (!k)
            return 0;
        if (f && k < 4) {
            u = up[cp];
            if ((u >= 0xD800 && u <= 0xDFFF) || utf8_encode(u, f + j) != k)
                return 0;
        }
        j += k;
    }
    return 1;
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
static int load_clean_ascii(const uint8_t *d, size_t nb, size_t limit, uint16_t *out, size_t *len,
                            int *partial, size_t *last, int known_ascii)
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
                      bsl = _mm_set1_epi8(0x5C), a = _mm_set1_epi8(0x61), z25 = _mm_set1_epi8(25),
                      x20 = _mm_set1_epi8(0x20);
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

static unsigned load_raw(const csvb_strings *s, size_t i, const uint16_t *up, uint16_t *out,
                         size_t *w)
{
    size_t j, n;
    switch (s->kind) {
    case CSVB_STR_UTF8_I32:
    case CSVB_STR_UTF8_I64: {
        const uint8_t *p;
        int r = utf8_row(s, i, &p, &n);
        return r == 0  ? CSVB_PATH_NULL
               : r < 0 ? CSVB_PATH_BAD_ENCODING
                       : load_utf8(p, n, up, out, w);
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
unsigned load_row(const csvb_strings *s, size_t i, const uint16_t *up, uint16_t *out, size_t *len,
                  size_t limit, int *partial, size_t *last, int known_ascii)
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
               && load_clean_ascii((const uint8_t *)s->ptrs[i], (size_t)s->lens[i], limit, out, len,
                                   partial, last, 0)) {
        return 0; /* an ASCII str: its bytes are ASCII, as in an Arrow array */
    }
    st = load_raw(s, i, up, out, &w);
    *len = st ? 0 : csvb_canonicalize(out, w);
    return st;
}

unsigned load_name(const csvb_strings *s, size_t i, const uint16_t *up, uint16_t *out, size_t *len)
{
    size_t w = 0, j;
    unsigned st = load_raw(s, i, up, out, &w);
    *len = 0;
    if (st == CSVB_PATH_NULL || (!st && w == 0))
        return CSVB_PATH_NULL;
    if (st || w > 255)
        return CSVB_PATH_BAD_SHORT_NAME;
    for (j = 0; j < w; j++)
        if (out[j] == 0x5C || out[j] == 0x2F)
            return CSVB_PATH_BAD_SHORT_NAME;
    *len = w;
    return 0;
}

unsigned csvb_load_path(const csvb_strings *src, size_t i, const uint16_t *upcase, uint16_t *out,
                        size_t *len)
{
    int partial;
    size_t last;
    return load_row(src, i, upcase, out, len, (size_t)-1, &partial, &last, 0);
}
