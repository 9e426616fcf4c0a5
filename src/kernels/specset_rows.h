/*
 * specset_rows.h - the row loops of csvb_specset_match and csvb_mountmap_lookup: the byte path
 * (clean UTF-8 rows walked on their folded bytes) and the per-block drivers.
 *
 * Included twice by specset_match.c: once for the baseline instruction set and, on GCC x86-64,
 * once more under #pragma GCC target("arch=x86-64-v3"), where __AVX2__ selects 32-byte blocks
 * and the compiler may use BMI2 and AVX2 in the scalar and loop code. ROWS(name) gives each
 * copy its own names.
 */

/* 1 if d[0, n) holds a byte >= 0x80, | 2 if it holds a NUL. Whole vector blocks, the
 * last one overlapping, as a row is short and a compiler-vectorised loop spends most of its
 * time in its scalar tail. */
CSVB_INLINE unsigned ROWS(high_or_nul)(const uint8_t *d, size_t n)
{
    size_t j;
    unsigned r = 0;
#ifdef __AVX2__
    if (n >= 32) {
        __m256i o = _mm256_setzero_si256(), m = _mm256_set1_epi8(-1);
        for (j = 0;; j += 32) {
            size_t at = j + 32 <= n ? j : n - 32;
            __m256i v = _mm256_loadu_si256((const __m256i *)(d + at));
            o = _mm256_or_si256(o, v);
            m = _mm256_min_epu8(m, v);
            if (at + 32 == n)
                break;
        }
        return (_mm256_movemask_epi8(o) ? 1u : 0u)
               | (_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, _mm256_setzero_si256())) ? 2u : 0u);
    }
#endif
#ifdef CSVB_SSE2
    if (n >= 16) {
        __m128i o = _mm_setzero_si128(), m = _mm_set1_epi8(-1);
        for (j = 0;; j += 16) {
            size_t at = j + 16 <= n ? j : n - 16;
            __m128i v = _mm_loadu_si128((const __m128i *)(d + at));
            o = _mm_or_si128(o, v);
            m = _mm_min_epu8(m, v);
            if (at + 16 == n)
                break;
        }
        return (_mm_movemask_epi8(o) ? 1u : 0u)
               | (_mm_movemask_epi8(_mm_cmpeq_epi8(m, _mm_setzero_si128())) ? 2u : 0u);
    }
#endif
    for (j = 0; j < n; j++)
        r |= (d[j] >= 0x80 ? 1u : 0u) | (d[j] == 0 ? 2u : 0u);
    return r;
}

/* Row d[0, nb) as folded bytes when it is clean: the byte path of match and lookup, which
 * never widens the directory part to UTF-16.
 *
 * Clean means: no NUL anywhere in the row and no byte >= 0x80 unless `high` is given (both
 * scans skipped when known_ascii), and within the window w = min(nb, limit) no '/', no doubled
 * separator (a leading "\\" of a UNC or \\?\ path excepted), no \\?\X: or \\?\UNC\ prefix
 * to rewrite, and, when `whole`, no trailing separator. These are all ASCII bytes, which UTF-8
 * never uses inside a longer sequence, so the tests hold for the decoded units too: such a
 * window is its own canonical form once folded (csvb_canonicalize would change nothing).
 * Returns 1 with fold[0, w) = the window with its ASCII letters folded and every other byte
 * as it is, and, when `seps`, *sep64 = bit q for each separator d[q], q < min(w, 64), and
 * *last = the last separator in the window (LAST_NONE if none); 0 when the row must take the
 * unit path. fold[] has room for w + 32 bytes. With `high` (match: whole, seps), *high says
 * whether the row holds bytes >= 0x80: the caller folds or decodes those characters (they may
 * still be invalid UTF-8). */
CSVB_INLINE int ROWS(load_clean_bytes)(const uint8_t *d, size_t nb, size_t limit, int known_ascii,
                                       int whole, int seps, uint8_t *fold, uint64_t *sep64,
                                       size_t *last, int *high)
{
    size_t w = nb < limit ? nb : limit, j, lastpos = LAST_NONE;
    uint64_t s64 = 0;
    unsigned hn = 0;
    if (nb == 0 || nb > CSVB_PATH_MAX_UNITS || (whole && d[nb - 1] == 0x5C))
        return 0;
    if (nb >= 6 && d[0] == 0x5C && d[1] == 0x5C && d[2] == 0x3F && d[3] == 0x5C
        && (d[5] == 0x3A || ((d[4] | 0x20) == 'u' && (d[5] | 0x20) == 'n')))
        return 0; /* (conservative: \\?\un... without the C\ also goes the unit way) */
    if (!known_ascii) {
        hn = ROWS(high_or_nul)(d, nb);
        if ((hn & 2u) || ((hn & 1u) && !high))
            return 0;
    }
#ifdef __AVX2__
    if (w >= 33 || (w >= 17 && nb >= 32)) {
        /* The same as the 16-byte loop below, 32 bytes at a time. The first block is the
         * row's first 32 bytes, of which the window may be only a part (lookup): its bits
         * are masked to the window, and its doubled separators are found in its separator
         * bits (there is no byte before it to load). Later blocks compare with the block
         * loaded one byte earlier; the last one ends at w and overlaps the one before. */
        const __m256i slash = _mm256_set1_epi8(0x2F), bsl = _mm256_set1_epi8(0x5C),
                      a = _mm256_set1_epi8(0x61), z25 = _mm256_set1_epi8(25),
                      x20 = _mm256_set1_epi8(0x20);
        const unsigned lanes = w >= 32 ? 0xFFFFFFFFu : (1u << w) - 1;
        __m256i v = _mm256_loadu_si256((const __m256i *)d), bad = _mm256_setzero_si256(), lower;
        unsigned mb = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, bsl)) & lanes, bad0;
        /* "\\" starting a UNC or \\?\ path (bits 0, 1) is not doubled */
        bad0 = (mb & (mb << 1) & ~2u)
               | ((unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, slash)) & lanes);
        if (seps) {
            s64 = mb;
            if (mb)
                lastpos = highest_bit(mb);
        }
        lower = _mm256_sub_epi8(v, a);
        lower = _mm256_cmpeq_epi8(_mm256_min_epu8(lower, z25), lower);
        _mm256_storeu_si256((__m256i *)fold, _mm256_sub_epi8(v, _mm256_and_si256(lower, x20)));
        for (j = 32; j < w; j += 32) {
            size_t at = j + 32 <= w ? j : w - 32; /* >= 1: w >= 33 here */
            __m256i bs, dbl;
            v = _mm256_loadu_si256((const __m256i *)(d + at));
            bs = _mm256_cmpeq_epi8(v, bsl);
            dbl = _mm256_and_si256(
                bs, _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(d + at - 1)), bsl));
            if (at == 1) /* position 1 is lane 0 here */
                dbl = _mm256_andnot_si256(_mm256_setr_epi8(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                           0, 0, 0, 0, 0),
                                          dbl);
            bad = _mm256_or_si256(bad, _mm256_or_si256(dbl, _mm256_cmpeq_epi8(v, slash)));
            if (seps) {
                mb = (unsigned)_mm256_movemask_epi8(bs);
                if (at < 64)
                    s64 |= (uint64_t)mb << at; /* bits past 63 fall off */
                if (mb)
                    lastpos = at + highest_bit(mb);
            }
            lower = _mm256_sub_epi8(v, a);
            lower = _mm256_cmpeq_epi8(_mm256_min_epu8(lower, z25), lower);
            _mm256_storeu_si256((__m256i *)(fold + at),
                                _mm256_sub_epi8(v, _mm256_and_si256(lower, x20)));
        }
        if (bad0 | (unsigned)_mm256_movemask_epi8(bad))
            return 0;
    } else
#endif
#ifdef CSVB_SSE2
        if (w >= 17) {
        /* 16-byte blocks, then one that ends at w and overlaps the one before (re-checking
         * and re-storing equal bytes). A doubled separator is a separator whose previous byte
         * is one: the same block loaded one byte earlier. */
        const __m128i slash = _mm_set1_epi8(0x2F), bsl = _mm_set1_epi8(0x5C),
                      a = _mm_set1_epi8(0x61), z25 = _mm_set1_epi8(25), x20 = _mm_set1_epi8(0x20),
                      not_lane0 = _mm_set_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                               -1, -1, 0);
        __m128i bad = _mm_setzero_si128();
        size_t at;
        for (j = 0;; j += 16) {
            __m128i v, prev, bs, dbl, lower;
            at = j + 16 <= w ? j : w - 16;
            v = _mm_loadu_si128((const __m128i *)(d + at));
            prev = at ? _mm_loadu_si128((const __m128i *)(d + at - 1)) : _mm_slli_si128(v, 1);
            bs = _mm_cmpeq_epi8(v, bsl);
            dbl = _mm_and_si128(bs, _mm_cmpeq_epi8(prev, bsl));
            if (at <= 1) /* "\\" starting a UNC or \\?\ path is not doubled: position 1 */
                dbl = at ? _mm_and_si128(dbl, not_lane0)
                         : _mm_and_si128(dbl, _mm_slli_si128(not_lane0, 1));
            bad = _mm_or_si128(bad, _mm_or_si128(dbl, _mm_cmpeq_epi8(v, slash)));
            if (seps) {
                unsigned mb = (unsigned)_mm_movemask_epi8(bs);
                if (at < 64)
                    s64 |= (uint64_t)mb << at; /* bits past 63 fall off */
                if (mb)
                    lastpos = at + highest_bit(mb);
            }
            lower = _mm_sub_epi8(v, a);
            lower = _mm_cmpeq_epi8(_mm_min_epu8(lower, z25), lower);
            _mm_storeu_si128((__m128i *)(fold + at), _mm_sub_epi8(v, _mm_and_si128(lower, x20)));
            if (at + 16 == w)
                break;
        }
        if (_mm_movemask_epi8(bad))
            return 0;
    } else
#endif
    {
        unsigned bad = 0, prev = 0;
        for (j = 0; j < w; j++) {
            unsigned sep = d[j] == 0x5C;
            bad |= (d[j] == 0x2F) | (j >= 2 && sep && prev);
            prev = sep;
            if (sep) {
                if (j < 64)
                    s64 |= 1ull << j;
                lastpos = j;
            }
            fold[j] = (uint8_t)FOLD_ASCII(d[j]);
        }
        if (bad)
            return 0;
    }
    if (high)
        *high = (int)(hn & 1u);
    if (seps) {
        *sep64 = s64;
        *last = lastpos;
    }
    return 1;
}

/* 1 when the UTF-8 bytes of rows [lo, hi) hold no NUL and no byte >= 0x80: then no row of the
 * range needs its own scan for them (one pass at memory speed instead of one per row). */
static int ROWS(span_is_ascii)(const csvb_strings *s, size_t lo, size_t hi)
{
    int64_t a, b;
    if (s->kind != CSVB_STR_UTF8_I32 && s->kind != CSVB_STR_UTF8_I64)
        return 0;
    if (s->kind == CSVB_STR_UTF8_I32) {
        a = ((const int32_t *)s->offsets)[s->offset + (int64_t)lo];
        b = ((const int32_t *)s->offsets)[s->offset + (int64_t)hi];
    } else {
        a = ((const int64_t *)s->offsets)[s->offset + (int64_t)lo];
        b = ((const int64_t *)s->offsets)[s->offset + (int64_t)hi];
    }
    if (a < 0 || b < a || (uint64_t)b > s->data_len)
        return 0;
    return ROWS(high_or_nul)(s->data + a, (size_t)(b - a)) == 0;
}

/* walk() over a clean row's folded bytes f (load_clean_bytes): the same records, in the same
 * order, for the prefixes f[0, q), q <= ls, that end at a separator (bits of sep64 below 64,
 * f[q] beyond) or at ls. A second copy of walk(), kept in step with it by hand: folded into
 * one inline walk with a bytes flag, csvb_specset_match ran 0.8% more instructions on the
 * benchmark's unsorted and sorted catalogs and 1.3% more on the accented one (callgrind,
 * 200,000 rows of bench/filespec_inputs.py, 1 thread); wall time on a shared VM did not
 * resolve the difference either way. */
static size_t ROWS(walk_bytes)(const csvb_specset *s, const uint8_t *f, size_t ls, uint64_t sep64,
                               uint32_t *cand, uint8_t *self)
{
    size_t k, nc = 0, done = 0;
    const len_index *x = &s->bytes;
    uint64_t h = 0x9E3779B97F4A7C15ull, bits = sep64 & x->short_lens;
    if (ls < 63)
        bits &= (2ull << ls) - 1;
    while (bits) {
        size_t q = lowest_bit(bits);
        int64_t d;
        bits &= bits - 1;
        if (!((x->short_last[q] >> (f[q - 1] & 63)) & 1))
            continue;
        d = byte_probe(s, f, q, &h, &done);
        if (d >= 0) {
            cand[nc] = (uint32_t)d;
            self[nc++] = q == ls;
        }
    }
    for (k = x->first_long; k < x->n; k++) {
        size_t q = x->lens[k];
        int64_t d;
        if (q > ls)
            break;
        if ((q < ls && f[q] != 0x5C) || !((x->last[k] >> (f[q - 1] & 63)) & 1))
            continue;
        d = byte_probe(s, f, q, &h, &done);
        if (d >= 0) {
            cand[nc] = (uint32_t)d;
            self[nc++] = q == ls;
        }
    }
    return nc;
}

/* u[0, n) = b[0, n); both have 16 elements of room past n. */
CSVB_INLINE void ROWS(widen)(const uint8_t *b, size_t n, uint16_t *u)
{
    size_t j = 0;
#ifdef CSVB_SSE2
    const __m128i zero = _mm_setzero_si128();
    for (; j < n; j += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(b + j));
        _mm_storeu_si128((__m128i *)(u + j), _mm_unpacklo_epi8(v, zero));
        _mm_storeu_si128((__m128i *)(u + j + 8), _mm_unpackhi_epi8(v, zero));
    }
#endif
    for (; j < n; j++)
        u[j] = b[j];
}

/* One clean row d[0, nb) on the byte path: the directory is walked on its folded bytes (its
 * non-ASCII characters folded in place by fold_utf8) and only the name is widened, or decoded
 * when it is not ASCII, for the name tests. Consecutive rows with the same raw directory bytes
 * reuse the walk. Returns 0 (nothing written) when the row needs the unit path: not clean, a
 * character fold_utf8 cannot fold in place, or claimed under an alternate path, whose exclude
 * check rewrites the row. */
static int ROWS(match_bytes)(const csvb_specset *s, const uint8_t *d, size_t nb, int known_ascii,
                             size_t i, const csvb_match_out *out, thread_t *t)
{
    uint64_t sep64;
    size_t ls, name, k = 0;
    acc_t a;
    int excluded, high, dir_high = 0, name_high = 0;
    if (!ROWS(load_clean_bytes)(d, nb, nb, known_ascii, 1, 1, t->fold, &sep64, &ls, &high))
        return 0;
    name = ls == LAST_NONE ? 0 : ls + 1;
    if (high) {
        dir_high = name > 0 && (ROWS(high_or_nul)(d, ls) & 1u);
        name_high = !dir_high || (ROWS(high_or_nul)(d + name, nb - name) & 1u);
    }
    /* a non-ASCII name is decoded and folded now, so that an invalid one goes to the unit
       path, which reports it, whether or not a spec could claim it */
    if (name_high && load_utf8(d + name, nb - name, s->upcase, t->buf, &k))
        return 0;
    memset(&a, 0, sizeof a);
    a.spec = -1;
    a.alt_claims = t->alt_claims;
    if (ls != LAST_NONE) {
        if (!(t->prev_bytes && t->prev_len == ls && memcmp(t->prev_bytes, d, ls) == 0)) {
            /* (the directory of the cached walk was valid and folded in place: so is this
               one, byte for byte the same) */
            if (dir_high && !fold_utf8(d, ls, s->upcase, t->fold))
                return 0;
            t->n_cand = ROWS(walk_bytes)(s, t->fold, ls, sep64, t->cand_dir, t->cand_self);
            t->prev_bytes = d;
            t->prev_len = ls;
            t->prev_valid = 0;
        }
        if (t->n_cand) {
            if (!name_high) {
                k = nb - name;
                ROWS(widen)(t->fold + name, k, t->buf);
            }
            scan(s, t->cand_dir, t->cand_self, t->n_cand, t->buf, k, 7u, t->states, &a);
        }
    }
    excluded = a.raw_excluded && (a.default_claimed || a.n_alt == 0);
    if (!excluded && a.n_alt)
        return 0;
    out->status[i] = 0;
    out->mask[i] = a.mask;
    out->spec[i] = a.spec;
    out->excluded[i] = (uint8_t)excluded;
    out->not_in_snapshot[i] = a.not_in_snapshot;
    return 1;
}

/* Row i as bytes for the byte path: a valid UTF-8 row (known_ascii from its block's scan), an
 * ASCII str, or a numpy row whose code points are all in 1..0x7F, narrowed into `narrow`.
 * Returns 0 for every other row (null, invalid, non-ASCII, NUL in a numpy row): those take
 * the unit path, which reports them. */
static int ROWS(row_bytes)(const csvb_strings *src, size_t i, int span_ascii, uint8_t *narrow,
                           const uint8_t **d, size_t *nb, int *known_ascii)
{
    switch (src->kind) {
    case CSVB_STR_UTF8_I32:
    case CSVB_STR_UTF8_I64: *known_ascii = span_ascii; return utf8_row(src, i, d, nb) > 0;
    case CSVB_STR_PYSTR:
        *d = (const uint8_t *)src->ptrs[i];
        *nb = (size_t)src->lens[i];
        *known_ascii = 0; /* ASCII, but may hold a NUL */
        return src->kinds[i] == 0 && *d;
    case CSVB_STR_UCS4: {
        const uint32_t *u = (const uint32_t *)(src->data + i * src->itemsize);
        size_t n = src->itemsize / 4, j;
        uint32_t hi = 0, lo = 0xFFFFFFFFu;
        while (n > 0 && u[n - 1] == 0) /* numpy pads with NULs; they are not part of the string */
            n--;
        if (n > CSVB_PATH_MAX_UNITS)
            return 0;
        for (j = 0; j < n; j++) {
            hi |= u[j];
            lo = u[j] < lo ? u[j] : lo;
            narrow[j] = (uint8_t)u[j];
        }
        *d = narrow;
        *nb = n;
        *known_ascii = 1;
        return hi < 0x80 && lo > 0;
    }
    }
    return 0;
}


static void ROWS(match_range)(const csvb_specset *s, const csvb_strings *src,
                              const csvb_strings *shorts, size_t lo, size_t hi,
                              const csvb_match_out *out, thread_t *t)
{
    size_t b, i, end;
    for (b = lo; b < hi; b = end) {
        int ascii;
        end = hi - b > ROW_BLOCK ? b + ROW_BLOCK : hi;
        ascii = ROWS(span_is_ascii)(src, b, end);
        for (i = b; i < end; i++) {
            const uint8_t *d;
            size_t nb;
            int known;
            uint8_t *narrow = t->narrow[t->narrow_next];
            if (shorts && has_name(shorts, i)) { /* both names: the unit path */
                match_units(s, src, shorts, i, ascii, out, t);
                continue;
            }
            if (s->byte_slots && ROWS(row_bytes)(src, i, ascii, narrow, &d, &nb, &known)
                && ROWS(match_bytes)(s, d, nb, known, i, out, t)) {
                if (t->prev_bytes == narrow)
                    t->narrow_next ^= 1; /* keep the cached directory's bytes */
                continue;
            }
            match_units(s, src, NULL, i, ascii, out, t);
        }
    }
}

/* The deepest mount holding clean row d[0, nb), from its bytes: the prefixes f[0, q) for every
 * mount length q that ends at a separator or at the end of the row, shortest first. Only the
 * first lim + 1 bytes are loaded and folded, lim being the longest mount that starts with the
 * row's first byte (a row on C: never reads as far as a \\?\Volume{GUID}\ mount would need);
 * a row with non-ASCII characters is still checked whole for valid UTF-8, as the unit path
 * would. Returns 0 when the row needs the unit path, else 1 with the CSV index (or -1) in
 * *hit. */
static int ROWS(mounts_bytes)(const csvb_specset *s, const uint8_t *d, size_t nb, int known_ascii,
                              uint8_t *f, int32_t *hit)
{
    size_t k, done = 0, lim, w;
    uint64_t h = 0x9E3779B97F4A7C15ull;
    int high;
    if (nb == 0 || d[0] >= 0x80) /* (max_by_first: mounts that start with an ASCII byte) */
        return 0;
    lim = s->max_by_first[FOLD_ASCII(d[0])];
    if (!ROWS(load_clean_bytes)(d, nb, lim + 1, known_ascii, 0, 0, f, NULL, NULL, &high))
        return 0;
    if (high) {
        /* fold the window's characters in place, a character that starts in it whole (f has
           room: 32 bytes past lim) */
        for (w = nb < lim + 1 ? nb : lim + 1; w < nb && (d[w] & 0xC0) == 0x80; w++)
            ;
        if (!fold_utf8(d, w, s->upcase, f) || !fold_utf8(d + w, nb - w, s->upcase, NULL))
            return 0;
    }
    *hit = -1;
    for (k = 0; k < s->bytes.n; k++) {
        size_t q = s->bytes.lens[k];
        int64_t di;
        if (q > nb || q > lim)
            break;
        if ((q < nb && f[q] != 0x5C) || !((s->bytes.last[k] >> (f[q - 1] & 63)) & 1))
            continue;
        di = byte_probe(s, f, q, &h, &done);
        if (di >= 0)
            *hit = s->dirs[di].payload; /* ascending q: the deepest mount wins */
    }
    return 1;
}

static void ROWS(mounts_range)(const csvb_specset *s, const csvb_strings *src, size_t lo, size_t hi,
                               int32_t *out, uint8_t *status, thread_t *t)
{
    uint8_t *fold = t->fold, *self = t->cand_self;
    uint16_t *buf = t->buf;
    uint32_t *cand = t->cand_dir;
    size_t b, i, end;
    uint8_t *narrow = (uint8_t *)(buf + CSVB_PATH_MAX_UNITS + 16);
    for (b = lo; b < hi; b = end) {
        int ascii;
        end = hi - b > ROW_BLOCK ? b + ROW_BLOCK : hi;
        ascii = ROWS(span_is_ascii)(src, b, end);
        for (i = b; i < end; i++) {
            const uint8_t *d;
            size_t n, nb, last;
            int partial, known;
            unsigned st;
            int32_t hit = -1;
            if (s->byte_slots && ROWS(row_bytes)(src, i, ascii, narrow, &d, &nb, &known)
                && ROWS(mounts_bytes)(s, d, nb, known, fold, &out[i])) {
                if (status)
                    status[i] = 0;
                continue;
            }
            /* only the first max + 1 canonical units matter; 8 more cover a \\?\ prefix */
            st = load_row(src, i, s->upcase, buf, &n, s->units.max + 9, &partial, &last, ascii);
            if (status)
                status[i] = (uint8_t)st;
            if (!st) {
                size_t nc;
                buf[n] = 0x5C; /* the path itself is a candidate, as a directory's own files are */
                nc = walk(s, buf, n, cand, self);
                if (nc)
                    hit = s->dirs[cand[nc - 1]].payload; /* ascending: the deepest mount wins */
            }
            out[i] = hit;
        }
    }
}
