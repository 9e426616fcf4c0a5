# Declarations of src/scan/tree_walk.h (the POSIX tree walker of `plan --scan`). Declarations only.
from libc.stdint cimport int64_t


cdef extern from "scan/tree_walk.h" nogil:
    const int CSVB_HAVE_TREE_WALK

    ctypedef struct csvb_walk_result:
        char *bytes
        int64_t *offsets
        int64_t *size
        int64_t *mtime
        size_t count
        char *failed
        size_t failed_len
        int *failed_errno
        size_t failed_count

    int csvb_walk_tree(const char *root, const char *prefix, size_t prefix_len, int nthreads,
                       csvb_walk_result *out)
    void csvb_walk_free(csvb_walk_result *out)
