/*
 * tree_walk.h - list every file under a local directory, for `csvbackup plan --scan` off
 * Windows (the simulated cluster's CSVs are real directories).
 * Internal to csvbackup._csvcore (POSIX only).
 *
 * The walk goes level by level: the directories of one level are listed in parallel
 * (openat + fdopendir + fstatat, no path re-resolution), each into its own chunk, and the
 * chunks are joined in the order the parent listed them, so the output order does not depend
 * on the thread count. Each file becomes one row: PREFIX + its path below the root with `\`
 * separators (the bytes of its names as the file system holds them, valid UTF-8 or not), its
 * size (st_size) and its last modification time as a FILETIME. Symbolic links are listed, not
 * followed; directories are walked, not listed.
 */
#ifndef CSVBACKUP_SRC_TREE_WALK_H
#define CSVBACKUP_SRC_TREE_WALK_H

#include <stddef.h>
#include <stdint.h>

typedef struct csvb_walk_result {
    char *bytes;      /* the paths, concatenated */
    int64_t *offsets; /* count + 1 offsets into bytes */
    int64_t *size;    /* count sizes */
    int64_t *mtime;   /* count FILETIMEs */
    size_t count;
    /* directories that could not be listed: NUL-separated local paths, and the errno of each */
    char *failed;
    size_t failed_len;
    int *failed_errno;
    size_t failed_count;
} csvb_walk_result;

#ifdef _WIN32
/* Not built on Windows (a scan there would use FindFirstFileEx): every walk reports ENOSYS. */
#  include <errno.h>
#  include <string.h>
#  define CSVB_HAVE_TREE_WALK 0
static inline int csvb_walk_tree(const char *root, const char *prefix, size_t prefix_len,
                                 int nthreads, csvb_walk_result *out)
{
    (void)root;
    (void)prefix;
    (void)prefix_len;
    (void)nthreads;
    (void)out;
    return ENOSYS;
}
static inline void csvb_walk_free(csvb_walk_result *out)
{
    memset(out, 0, sizeof *out);
}
#else
#  define CSVB_HAVE_TREE_WALK 1

/* Walk `root` (a local directory) on up to `nthreads` threads into `out` (zeroed by the
 * caller). Returns 0, or an errno when `root` itself cannot be opened or memory runs out
 * (then `out` holds nothing to use, but must still be freed). */
int csvb_walk_tree(const char *root, const char *prefix, size_t prefix_len, int nthreads,
                   csvb_walk_result *out);

/* Free what csvb_walk_tree allocated in `out`. */
void csvb_walk_free(csvb_walk_result *out);
#endif

#endif
