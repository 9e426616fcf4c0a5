/*
 * specset_build.c - compiling a spec set or a mount map: the directory and name tables, the
 * directory lengths the walks probe, and the byte table of the directories as folded UTF-8.
 */
#include "specset_internal.h"

uint64_t hash_units(const uint16_t *p, size_t n)
{
    hash_state st = {0x9E3779B97F4A7C15ull, 0};
    hash_advance(&st, p, n);
    return hash_finish(&st, p, n);
}

int64_t dir_find(const csvb_specset *s, const uint16_t *p, size_t n, uint64_t h)
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

int64_t name_find(const csvb_specset *s, uint32_t dir, const uint16_t *p, size_t n, uint64_t h)
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

static size_t table_size(size_t n)
{
    size_t cap = 16;
    while (cap < n * 2 + 2)
        cap <<= 1;
    return cap;
}

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

static int has_dot(const uint16_t *e, size_t m)
{
    size_t i;
    for (i = 0; i < m; i++)
        if (e[i] == 0x2E)
            return 1;
    return 0;
}

static uint8_t classify_pattern(const uint16_t *e, size_t m)
{
    if (m == 1 && e[0] == 0x2A)
        return CLS_ALL;
    if (!has_wild(e, m))
        return CLS_EXACT;
    /* DOS_STAR before a literal holding a '.' is '*': the name's last '.' is in the literal's
     * part, so the star never meets it ("*.log" is prepared as DOS_STAR ".log") */
    if ((e[0] == 0x2A || (e[0] == CSVB_DOS_STAR && has_dot(e + 1, m - 1)))
        && !has_wild(e + 1, m - 1))
        return CLS_SUFFIX;
    if (e[m - 1] == 0x2A && !has_wild(e, m - 1))
        return CLS_PREFIX;
    return CLS_GENERAL;
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
    free(s->units.lens);
    free(s->units.last);
    free(s->bytes.lens);
    free(s->bytes.last);
    free(s->byte_len);
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
    return (uint32_t)(s->n_dirs - 1);
}

/* The length index of n directories: directory i has length len[i] (0: not in this index)
 * and last unit or byte last[i]. */
static int build_len_index(len_index *x, const uint32_t *len, const uint16_t *last, size_t n)
{
    size_t i, k;
    uint8_t *seen;
    for (i = 0; i < n; i++)
        if (len[i] > x->max)
            x->max = len[i];
    seen = (uint8_t *)calloc(x->max + 1, 1);
    x->lens = (uint32_t *)malloc((n + 1) * sizeof(uint32_t));
    x->last = (uint64_t *)calloc(n + 1, sizeof(uint64_t));
    if (!seen || !x->lens || !x->last) {
        free(seen);
        return -1;
    }
    for (i = 0; i < n; i++)
        seen[len[i]] = 1;
    seen[0] = 0; /* (no directory is empty; the walks read the unit before q) */
    for (i = 0; i <= x->max; i++)
        if (seen[i])
            x->lens[x->n++] = (uint32_t)i;
    for (k = 0; k < x->n && x->lens[k] < 64; k++)
        x->short_lens |= 1ull << x->lens[k];
    x->first_long = k;
    for (i = 0; i < n; i++) {
        if (!len[i])
            continue;
        for (k = 0; x->lens[k] != len[i]; k++)
            ;
        x->last[k] |= 1ull << (last[i] & 63);
    }
    for (k = 0; k < x->n && x->lens[k] < 64; k++)
        x->short_last[x->lens[k]] = x->last[k];
    free(seen);
    return 0;
}

/* The unit walk's length index: every directory, by its length in units. */
static int build_lens(csvb_specset *s)
{
    size_t i;
    int r;
    uint32_t *len = (uint32_t *)malloc((s->n_dirs + 1) * sizeof(uint32_t));
    uint16_t *last = (uint16_t *)malloc((s->n_dirs + 1) * sizeof(uint16_t));
    if (!len || !last) {
        free(len);
        free(last);
        return -1;
    }
    for (i = 0; i < s->n_dirs; i++) {
        len[i] = s->dirs[i].len;
        last[i] = s->pool[s->dirs[i].off + s->dirs[i].len - 1];
    }
    r = build_len_index(&s->units, len, last, s->n_dirs);
    free(len);
    free(last);
    return r;
}

/* Stable counting sort of entries by .key (0 <= key < nkeys) into a new array; begin[] and
 * count[] of each key are written through the callback arrays. */
static entry_t *group_by_key(const entry_t *in, size_t n, size_t nkeys, uint32_t *begin,
                             uint32_t *count)
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
            if (pool_add_path(s, in->default_dir, in->default_dir_len, &a->dst_off, &a->dst_len)
                < 0)
                goto fail;
            e.alt = (int32_t)s->n_alts++;
        }
        if (in->role != CSVB_ROLE_INCLUDE)
            s->has_exclude_roles = 1;
        m = csvb_translate_filespec(in->filespec, in->filespec_len, tmp);
        for (j = 0; j < m; j++)
            tmp[j] = csvb_fold_unit(tmp[j], upcase);
        e.cls = csvb_filespec_is_literal(in->filespec, in->filespec_len) ? CLS_EXACT
                                                                         : classify_pattern(tmp, m);
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

/* The UTF-8 of units p[0, n) into out (room for 3 bytes a unit): the byte count, or 0 when
 * they hold a lone surrogate, which has no UTF-8 form. */
static size_t units_to_utf8(const uint16_t *p, size_t n, uint8_t *out)
{
    size_t j, w = 0;
    for (j = 0; j < n; j++) {
        uint32_t u = p[j];
        if (u >= 0xD800 && u <= 0xDFFF) {
            if (u > 0xDBFF || j + 1 == n || p[j + 1] < 0xDC00 || p[j + 1] > 0xDFFF)
                return 0;
            u = 0x10000 + ((u - 0xD800) << 10) + (p[++j] - 0xDC00u);
        }
        w += utf8_encode(u, out + w);
    }
    return w;
}

/* The byte table (see struct csvb_specset), built only when `upcase` folds ASCII as the byte
 * path does ('a'..'z' -> 'A'..'Z'). */
static int build_byte_table(csvb_specset *s)
{
    size_t i, j, total = 0;
    uint8_t *utf8;
    uint16_t *last;
    int r;
    for (i = 0; i < 0x80; i++)
        if (s->upcase[i] != FOLD_ASCII(i))
            return 0; /* a non-standard fold: rows take the unit path only */
    s->word_off = (uint32_t *)malloc((s->n_dirs + 1) * sizeof(uint32_t));
    s->byte_len = (uint32_t *)calloc(s->n_dirs + 1, sizeof(uint32_t));
    last = (uint16_t *)calloc(s->n_dirs + 1, sizeof(uint16_t));
    utf8 = (uint8_t *)malloc(3 * s->units.max + 1);
    if (!s->word_off || !s->byte_len || !last || !utf8) {
        free(last);
        free(utf8);
        return -1;
    }
    for (i = 0; i < s->n_dirs; i++) {
        size_t nb = units_to_utf8(s->pool + s->dirs[i].off, s->dirs[i].len, utf8);
        s->byte_len[i] = (uint32_t)nb;
        s->word_off[i] = nb ? (uint32_t)total : UINT32_MAX;
        total += (nb + 7) / 8;
    }
    s->words = (uint64_t *)calloc(total + 1, sizeof(uint64_t));
    s->byte_hash = (uint64_t *)malloc((s->n_dirs + 1) * sizeof(uint64_t));
    s->byte_slots = (uint32_t *)calloc(s->dir_mask + 1, sizeof(uint32_t));
    if (!s->words || !s->byte_hash || !s->byte_slots) {
        free(last);
        free(utf8);
        return -1;
    }
    for (i = 0; i < s->n_dirs; i++) {
        uint64_t h = 0x9E3779B97F4A7C15ull, *w = s->words + s->word_off[i];
        size_t slot, nb = s->byte_len[i];
        if (!nb)
            continue;
        units_to_utf8(s->pool + s->dirs[i].off, s->dirs[i].len, utf8);
        last[i] = utf8[nb - 1];
        if (utf8[0] < 0x80 && nb > s->max_by_first[utf8[0]])
            s->max_by_first[utf8[0]] = (uint32_t)nb;
        for (j = 0; j < nb; j++)
            w[j / 8] |= (uint64_t)utf8[j] << (8 * (j % 8));
        for (j = 0; j < (nb + 7) / 8; j++)
            h = byte_hash_step(h, w[j]);
        s->byte_hash[i] = byte_hash_finish(h, nb);
        slot = (size_t)s->byte_hash[i] & s->dir_mask;
        while (s->byte_slots[slot])
            slot = (slot + 1) & s->dir_mask;
        s->byte_slots[slot] = (uint32_t)(i + 1);
    }
    r = build_len_index(&s->bytes, s->byte_len, last, s->n_dirs);
    free(last);
    free(utf8);
    return r;
}

csvb_mountmap *csvb_mountmap_build(const uint16_t *const *dirs, const size_t *lens,
                                   const int32_t *index, size_t n, const uint16_t *upcase,
                                   size_t *bad, int *why)
{
    csvb_specset *s = set_new(n, upcase);
    csvb_mountmap *m;
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
    m = (csvb_mountmap *)malloc(sizeof *m);
    if (!m)
        goto fail;
    m->set = s;
    *why = CSVB_SPEC_OK;
    return m;
fail:
    csvb_specset_free(s);
    return NULL;
}

void csvb_mountmap_free(csvb_mountmap *m)
{
    if (!m)
        return;
    csvb_specset_free(m->set);
    free(m);
}

size_t csvb_mountmap_dirs(const csvb_mountmap *m)
{
    return m->set->n_dirs;
}

size_t csvb_specset_dirs(const csvb_specset *s)
{
    return s->n_dirs;
}
size_t csvb_specset_exact_names(const csvb_specset *s)
{
    return s->n_names;
}
