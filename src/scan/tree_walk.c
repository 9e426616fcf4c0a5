/*
 * tree_walk.c - see tree_walk.h.
 */
#define _GNU_SOURCE
#include "scan/tree_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef _OPENMP
#  include <omp.h>
#endif

/* FILETIME of the Unix epoch: 100-ns intervals from 1601-01-01 to 1970-01-01. */
#define UNIX_EPOCH_AS_FILETIME 116444736000000000LL

/* A growable byte buffer. */
typedef struct {
    char *p;
    size_t len, cap;
} buf_t;

static int buf_add(buf_t *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return ENOMEM;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

/* One directory to list: its local path (`/`-separated) and its path below the root
 * (`\`-separated, empty for the root). */
typedef struct {
    char *local;
    char *rel;
    size_t rel_len;
} dir_t;

/* What listing one directory found. */
typedef struct {
    buf_t names;      /* file names, concatenated */
    size_t *name_end; /* end offset of each name in `names` */
    int64_t *size, *mtime;
    size_t count, cap;
    dir_t *subdirs;
    size_t nsub, subcap;
    int error; /* errno when the directory could not be listed */
} chunk_t;

static int chunk_add_file(chunk_t *c, const char *name, size_t n, const struct stat *st)
{
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        size_t *e = realloc(c->name_end, cap * sizeof *e);
        if (!e)
            return ENOMEM;
        c->name_end = e;
        int64_t *s = realloc(c->size, cap * sizeof *s);
        if (!s)
            return ENOMEM;
        c->size = s;
        int64_t *m = realloc(c->mtime, cap * sizeof *m);
        if (!m)
            return ENOMEM;
        c->mtime = m;
        c->cap = cap;
    }
    if (buf_add(&c->names, name, n))
        return ENOMEM;
    c->name_end[c->count] = c->names.len;
    c->size[c->count] = (int64_t)st->st_size;
    c->mtime[c->count] = (int64_t)st->st_mtim.tv_sec * 10000000LL + st->st_mtim.tv_nsec / 100
                         + UNIX_EPOCH_AS_FILETIME;
    c->count++;
    return 0;
}

static char *join(const char *a, size_t an, char sep, const char *b, size_t bn)
{
    char *p = malloc(an + bn + 2);
    if (!p)
        return NULL;
    memcpy(p, a, an);
    size_t k = an;
    if (an)
        p[k++] = sep;
    memcpy(p + k, b, bn);
    p[k + bn] = '\0';
    return p;
}

static int chunk_add_dir(chunk_t *c, const dir_t *parent, const char *name, size_t n)
{
    if (c->nsub == c->subcap) {
        size_t cap = c->subcap ? c->subcap * 2 : 8;
        dir_t *d = realloc(c->subdirs, cap * sizeof *d);
        if (!d)
            return ENOMEM;
        c->subdirs = d;
        c->subcap = cap;
    }
    dir_t *d = &c->subdirs[c->nsub];
    d->local = join(parent->local, strlen(parent->local), '/', name, n);
    d->rel = join(parent->rel, parent->rel_len, '\\', name, n);
    if (!d->local || !d->rel) {
        free(d->local);
        free(d->rel);
        return ENOMEM;
    }
    d->rel_len = parent->rel_len + (parent->rel_len ? 1 : 0) + n;
    c->nsub++;
    return 0;
}

/* List one directory into `c`: files with their stat, subdirectories to walk next. */
static void list_dir(const dir_t *d, chunk_t *c)
{
    int fd = open(d->local, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        c->error = errno;
        return;
    }
    DIR *dir = fdopendir(fd);
    if (!dir) {
        c->error = errno;
        close(fd);
        return;
    }
    struct dirent *e;
    errno = 0;
    while ((e = readdir(dir)) != NULL) {
        const char *name = e->d_name;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
            continue;
        size_t n = strlen(name);
        struct stat st;
        int is_dir = e->d_type == DT_DIR;
        int known = e->d_type != DT_UNKNOWN;
        if (!is_dir || !known) {
            if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
                if (errno == ENOENT)
                    continue; /* removed while we listed: not there */
                c->error = errno;
                break;
            }
            is_dir = S_ISDIR(st.st_mode);
        }
        int rc = is_dir ? chunk_add_dir(c, d, name, n) : chunk_add_file(c, name, n, &st);
        if (rc) {
            c->error = rc;
            break;
        }
        errno = 0;
    }
    if (!e && errno && !c->error)
        c->error = errno;
    closedir(dir);
}

static void chunk_free(chunk_t *c)
{
    free(c->names.p);
    free(c->name_end);
    free(c->size);
    free(c->mtime);
    for (size_t i = 0; i < c->nsub; i++) {
        free(c->subdirs[i].local);
        free(c->subdirs[i].rel);
    }
    free(c->subdirs);
    memset(c, 0, sizeof *c);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t cap2 = *cap ? *cap : 1024;
    while (cap2 < need)
        cap2 *= 2;
    void *q = realloc(*p, cap2 * elem);
    if (!q)
        return ENOMEM;
    *p = q;
    *cap = cap2;
    return 0;
}

/* Append chunk `c` of directory `d` to `out`: each file's row is PREFIX + rel + `\` + name. */
static int emit(const chunk_t *c, const dir_t *d, const char *prefix, size_t prefix_len,
                csvb_walk_result *out, size_t *bytes_cap, size_t *rows_cap)
{
    if (c->error) {
        size_t n = strlen(d->local) + 1;
        char *f = realloc(out->failed, out->failed_len + n);
        if (!f)
            return ENOMEM;
        out->failed = f;
        memcpy(f + out->failed_len, d->local, n);
        out->failed_len += n;
        int *e = realloc(out->failed_errno, (out->failed_count + 1) * sizeof *e);
        if (!e)
            return ENOMEM;
        out->failed_errno = e;
        e[out->failed_count++] = c->error;
    }
    if (!c->count)
        return 0;
    size_t dir_part = prefix_len + d->rel_len + (d->rel_len ? 1 : 0);
    size_t add = c->count * dir_part + c->names.len;
    size_t bytes_len = out->count ? (size_t)out->offsets[out->count] : 0;
    size_t rows_cap0 = *rows_cap;
    if (grow((void **)&out->bytes, bytes_cap, bytes_len + add, 1))
        return ENOMEM;
    if (grow((void **)&out->size, rows_cap, out->count + c->count, sizeof(int64_t)))
        return ENOMEM;
    if (*rows_cap != rows_cap0) {
        size_t tmp = rows_cap0;
        if (grow((void **)&out->mtime, &tmp, *rows_cap, sizeof(int64_t)))
            return ENOMEM;
        tmp = rows_cap0 ? rows_cap0 + 1 : 0;
        if (grow((void **)&out->offsets, &tmp, *rows_cap + 1, sizeof(int64_t)))
            return ENOMEM;
    }
    out->offsets[0] = 0;
    char *w = out->bytes + bytes_len;
    size_t start = 0;
    for (size_t i = 0; i < c->count; i++) {
        memcpy(w, prefix, prefix_len);
        w += prefix_len;
        if (d->rel_len) {
            memcpy(w, d->rel, d->rel_len);
            w += d->rel_len;
            *w++ = '\\';
        }
        size_t n = c->name_end[i] - start;
        memcpy(w, c->names.p + start, n);
        w += n;
        start = c->name_end[i];
        size_t row = out->count + i;
        out->size[row] = c->size[i];
        out->mtime[row] = c->mtime[i];
        out->offsets[row + 1] = (int64_t)(w - out->bytes);
    }
    out->count += c->count;
    return 0;
}

int csvb_walk_tree(const char *root, const char *prefix, size_t prefix_len, int nthreads,
                   csvb_walk_result *out)
{
    struct stat st;
    if (stat(root, &st) != 0)
        return errno;
    if (!S_ISDIR(st.st_mode))
        return ENOTDIR;
    size_t bytes_cap = 0, rows_cap = 0;
    dir_t *level = malloc(sizeof *level);
    if (!level)
        return ENOMEM;
    level[0].local = strdup(root);
    level[0].rel = strdup("");
    level[0].rel_len = 0;
    size_t nlevel = 1;
    int rc = (level[0].local && level[0].rel) ? 0 : ENOMEM;
    if (nthreads < 1)
        nthreads = 1;
    while (nlevel && !rc) {
        chunk_t *chunks = calloc(nlevel, sizeof *chunks);
        if (!chunks) {
            rc = ENOMEM;
            break;
        }
        int threads = nlevel < (size_t)nthreads ? (int)nlevel : nthreads;
        (void)threads;
#ifdef _OPENMP
#  pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
#endif
        for (long i = 0; i < (long)nlevel; i++)
            list_dir(&level[i], &chunks[i]);
        size_t nnext = 0;
        for (size_t i = 0; i < nlevel; i++)
            nnext += chunks[i].nsub;
        dir_t *next = nnext ? malloc(nnext * sizeof *next) : NULL;
        if (nnext && !next)
            rc = ENOMEM;
        size_t k = 0;
        for (size_t i = 0; i < nlevel; i++) {
            if (!rc)
                rc = emit(&chunks[i], &level[i], prefix, prefix_len, out, &bytes_cap, &rows_cap);
            if (!rc) {
                memcpy(next + k, chunks[i].subdirs, chunks[i].nsub * sizeof *next);
                k += chunks[i].nsub;
                chunks[i].nsub = 0; /* now owned by `next` */
            }
            chunk_free(&chunks[i]);
            free(level[i].local);
            free(level[i].rel);
        }
        free(chunks);
        free(level);
        level = next;
        nlevel = rc ? 0 : nnext;
        if (rc) {
            for (size_t i = 0; i < k; i++) {
                free(next[i].local);
                free(next[i].rel);
            }
        }
    }
    free(level);
    if (!rc && !out->offsets) {
        out->offsets = calloc(1, sizeof *out->offsets);
        if (!out->offsets)
            rc = ENOMEM;
    }
    return rc;
}

void csvb_walk_free(csvb_walk_result *out)
{
    free(out->bytes);
    free(out->offsets);
    free(out->size);
    free(out->mtime);
    free(out->failed);
    free(out->failed_errno);
    memset(out, 0, sizeof *out);
}
