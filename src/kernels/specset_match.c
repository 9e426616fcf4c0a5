/*
 * specset_match.c - matching string columns against a compiled set: the walk over a path's
 * ancestors, the name tests, the unit path for any row, and the OpenMP row drivers around the
 * row loops of specset_rows.h.
 */
#include "specset_internal.h"

#ifdef _OPENMP
#  include <omp.h>
#endif

typedef struct {
    uint32_t mask;
    int32_t spec;
    uint8_t raw_excluded, default_claimed, not_in_snapshot;
    uint32_t n_alt;
    int32_t *alt_claims; /* alt indexes of claiming alternate includes */
} acc_t;

typedef struct {
    uint16_t *buf;      /* the loaded path */
    uint16_t *remap;    /* a default-path rewrite for exclude checks */
    uint16_t *prev_dir; /* the row buffer holding the directory whose records are cached;
                            rows load into the other one, so nothing is copied */
    size_t prev_len;
    int prev_valid;
    const uint8_t *prev_bytes; /* or, on the byte path: the raw bytes of that directory
                                  (in the caller's column or a narrow[] buffer), NULL if none */
    uint32_t *cand_dir;        /* cached: directory records on the walk ... */
    uint8_t *cand_self;        /* ... and whether that record is the path's own directory */
    size_t n_cand;
    uint8_t *fold;      /* byte path: the folded row */
    uint8_t *narrow[2]; /* byte path: numpy rows narrowed to bytes (two, so the cached
                            directory's bytes survive the next row) */
    int narrow_next;
    uint8_t *states; /* NFA scratch */
    int32_t *alt_claims;
    uint16_t *short_name; /* the row's loaded short name, when the match has them */
} thread_t;

/* One call's rows and outputs: a match (out) or a mount lookup (vol, status). */
typedef struct {
    const csvb_specset *s;
    const csvb_strings *src;
    const csvb_strings *shorts; /* NULL: no short names */
    const csvb_match_out *out;
    int32_t *vol;
    uint8_t *status; /* NULL: not wanted */
} batch_t;

static int thread_init(thread_t *t, const csvb_specset *s, int shorts)
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
    /* a row's long and short name may each claim every alternate once */
    t->alt_claims = (int32_t *)malloc((2 * s->n_alts + 1) * sizeof(int32_t));
    if (shorts && !(t->short_name = (uint16_t *)malloc(CSVB_LOAD_UNITS * sizeof(uint16_t))))
        return -1;
    return (t->buf && t->remap && t->prev_dir && t->cand_dir && t->cand_self && t->fold
            && t->narrow[0] && t->narrow[1] && t->states && t->alt_claims)
               ? 0
               : -1;
}

/* A lookup's thread needs the row buffer, the folded row and the walk's records only; its
 * walks stop at the longest mount, so those are sized by the map. */
static int lookup_thread_init(thread_t *t, const csvb_specset *s)
{
    memset(t, 0, sizeof *t);
    t->buf = (uint16_t *)malloc(CSVB_LOAD_UNITS * sizeof(uint16_t));
    t->fold = (uint8_t *)calloc(s->bytes.max + 32, 1); /* zeroed: see thread_init */
    t->cand_dir = (uint32_t *)malloc((s->units.n + 1) * sizeof(uint32_t));
    t->cand_self = (uint8_t *)malloc(s->units.n + 1);
    return (t->buf && t->fold && t->cand_dir && t->cand_self) ? 0 : -1;
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
    free(t->short_name);
}

static int name_ok(const csvb_specset *s, const entry_t *e, const uint16_t *nm, size_t k,
                   uint8_t *states)
{
    const uint16_t *pat = s->pool + e->pat_off;
    size_t m = e->pat_len;
    switch (e->cls) {
    case CLS_ALL: return k > 0;
    case CLS_SUFFIX: /* '*' + literal; '*' may match nothing, but the name is never empty */
        return k >= m && k > 0 && units_equal(nm + k - m, pat, m);
    case CLS_PREFIX: return k >= m && k > 0 && units_equal(nm, pat, m);
    case CLS_EXACT: return k == m && units_equal(nm, pat, m);
    default: return csvb_dos_match(pat, m, nm, k, states);
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

/* The directory records on the walk of p[0, ls): every ancestor and p[0, ls) itself. Only
 * prefixes that end at a separator AND have a length some directory has are probed: below 64
 * units those are the set bits of (separators & short_lens), found without a loop over
 * lengths; longer ones come from the length list. */
static size_t walk(const csvb_specset *s, const uint16_t *p, size_t ls, uint32_t *cand,
                   uint8_t *self)
{
    size_t k, nc = 0;
    hash_state st = {0x9E3779B97F4A7C15ull, 0};
    const len_index *x = &s->units;
    uint64_t bits = separators64(p, ls + 1) & x->short_lens;
    if (ls < 63)
        bits &= (2ull << ls) - 1; /* prefixes up to p[0, ls) only */
    while (bits) {
        size_t q = lowest_bit(bits);
        int64_t d;
        bits &= bits - 1;
        if (!((x->short_last[q] >> (p[q - 1] & 63)) & 1))
            continue; /* no directory of this length ends in this unit */
        hash_advance(&st, p, q);
        d = dir_find(s, p, q, hash_finish(&st, p, q));
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
        if ((q < ls && p[q] != 0x5C) || !((x->last[k] >> (p[q - 1] & 63)) & 1))
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
        if (s->byte_hash[di] != hq || s->byte_len[di] != q)
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
static int remap_excluded(const csvb_specset *s, thread_t *t, const uint16_t *p, size_t n,
                          const uint16_t *short_name, size_t short_len, const alt_t *al)
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
    if (short_len)
        scan(s, cd, sf, nc, short_name, short_len, 1u << CSVB_ROLE_EXCLUDE, t->states, &a);
    return a.raw_excluded;
}

/* One row on the unit path (any row: decoded, folded and canonicalized to UTF-16), with its
 * short name when `shorts` is not NULL. */
static void match_units(const csvb_specset *s, const csvb_strings *src, const csvb_strings *shorts,
                        size_t i, int ascii, const csvb_match_out *out, thread_t *t)
{
    size_t n, ls, k, last, sk = 0;
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
    if (!st && shorts) {
        unsigned sst = load_name(shorts, i, s->upcase, t->short_name, &sk);
        if (sst == CSVB_PATH_BAD_SHORT_NAME)
            st = sst;
        out->status[i] = (uint8_t)st;
    }
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
    if (sk) /* FindFirstFile: the long or the short name */
        scan(s, t->cand_dir, t->cand_self, t->n_cand, t->short_name, sk, 7u, t->states, &a);
    excluded = a.raw_excluded && (a.default_claimed || a.n_alt == 0);
    for (j = 0; j < a.n_alt && !excluded; j++) {
        t->prev_valid = 0; /* remap_excluded may reuse the cache arrays */
        excluded = remap_excluded(s, t, row, n, t->short_name, sk, &s->alts[a.alt_claims[j]]);
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

/* Rows [0, n) of a match or a lookup, on up to nthreads threads, through the row loops of the
 * level csvb_specset_level() names. */
static int run_rows(const batch_t *job, size_t n, int nthreads, int lookup)
{
    int failed = 0, T = csvb_threads_for(n, nthreads, THREAD_GRAIN), nblocks = block_count(n),
        v3 = csvb_specset_level() >= 3;
#ifdef _OPENMP
#  pragma omp parallel num_threads(T) reduction(| : failed)
#endif
    {
        thread_t t;
        int b, ok = (lookup ? lookup_thread_init(&t, job->s)
                            : thread_init(&t, job->s, job->shorts != NULL))
                    == 0;
        failed |= !ok;
#ifdef _OPENMP
#  pragma omp for schedule(dynamic, 1)
#endif
        for (b = 0; b < nblocks; b++) {
            size_t lo = (size_t)b * THREAD_BLOCK, hi = block_end(lo, n);
            if (!ok)
                continue;
#ifdef CSVB_SPECSET_V3
            if (v3 && lookup)
                mounts_range_v3(job->s, job->src, lo, hi, job->vol, job->status, &t);
            else if (v3)
                match_range_v3(job->s, job->src, job->shorts, lo, hi, job->out, &t);
            else
#endif
                if (lookup)
                mounts_range_base(job->s, job->src, lo, hi, job->vol, job->status, &t);
            else
                match_range_base(job->s, job->src, job->shorts, lo, hi, job->out, &t);
        }
        thread_free(&t);
    }
    (void)T;
    (void)v3;
    return failed ? -1 : 0;
}

int csvb_specset_match(const csvb_specset *s, const csvb_strings *src, const csvb_strings *shorts,
                       size_t n, const csvb_match_out *out, int nthreads)
{
    batch_t job = {s, src, shorts, out, NULL, NULL};
    return run_rows(&job, n, nthreads, 0);
}

int csvb_mountmap_lookup(const csvb_mountmap *m, const csvb_strings *src, size_t n, int32_t *out,
                         uint8_t *status, int nthreads)
{
    batch_t job = {m->set, src, NULL, NULL, out, status};
    return run_rows(&job, n, nthreads, 1);
}
