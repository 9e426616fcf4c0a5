# The tree walker of `plan --scan` (src/scan/tree_walk.h): every file under a local directory
# as arrays, the GIL released while the directories are listed. Included by _csvcore.pyx.

HAVE_TREE_WALK = bool(CSVB_HAVE_TREE_WALK)


def walk_tree(root, bytes prefix, int threads=1):
    """Every file under the local directory `root`: (offsets int64[n + 1], path bytes
    uint8, size int64[n], mtime int64[n] FILETIME, failed [(directory bytes, errno)]).

    Path ``i`` is ``prefix`` + its path below `root` with ``\\`` separators, as the bytes of
    ``data[offsets[i]:offsets[i + 1]]``. Raises OSError (with the errno) when `root` itself
    cannot be walked.
    """
    cdef bytes r = _fs_path(root)
    cdef const char *rp = r
    cdef const char *pp = prefix
    cdef size_t plen = len(prefix)
    cdef csvb_walk_result out
    cdef int rc
    cdef int64_t[::1] o, sz, mt
    cdef uint8_t[::1] d
    memset(&out, 0, sizeof(out))
    try:
        with nogil:
            rc = csvb_walk_tree(rp, pp, plen, threads, &out)
        if rc:
            import os
            raise OSError(rc, os.strerror(rc), os.fsdecode(r))
        n = out.count
        offsets = _np.empty(n + 1, dtype=_np.int64)
        o = offsets
        memcpy(&o[0], out.offsets, (n + 1) * sizeof(int64_t))
        data = _np.empty(out.offsets[n], dtype=_np.uint8)
        size = _np.empty(n, dtype=_np.int64)
        mtime = _np.empty(n, dtype=_np.int64)
        if n:
            d, sz, mt = data, size, mtime
            memcpy(&d[0], out.bytes, out.offsets[n])
            memcpy(&sz[0], out.size, n * sizeof(int64_t))
            memcpy(&mt[0], out.mtime, n * sizeof(int64_t))
        names = PyBytes_FromStringAndSize(out.failed, out.failed_len).split(b"\0")
        failed = [(names[i], out.failed_errno[i]) for i in range(out.failed_count)]
    finally:
        csvb_walk_free(&out)
    return offsets, data, size, mtime, failed
