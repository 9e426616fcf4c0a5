# The direct cluster calls (include/csvbackup/clusapi.h): ClusAPI / ResUtils on Windows, the
# simulator of src/clussim/ elsewhere; the call sites are the same. Included by _csvcore.pyx.
# Every status goes through _check, which raises the Win32Error subclass for its code. Strings
# cross as NUL-terminated UTF-16 (lone surrogates kept, as Windows keeps them).

from libc.stdlib cimport calloc, malloc, free
from clusapi cimport *
from clussim cimport *
from win32_errors cimport *

from csvbackup.errors import error_for as _error_for

HAVE_SIMULATOR = bool(CSVB_HAVE_SIMULATOR)
CLUSTER_ENUM_NODE = CSVB_CLUSTER_ENUM_NODE
CLUSTER_ENUM_RESOURCE = CSVB_CLUSTER_ENUM_RESOURCE
CLUSTER_ENUM_SHARED_VOLUME_RESOURCE = CSVB_CLUSTER_ENUM_SHARED_VOLUME_RESOURCE
STALE_SECS = CLUSSIM_STALE_SECS

DEF _MAX_LONG_PATH = 32767


cdef int _check(DWORD rc, str what) except -1:
    """Raise the exception for a failed call's Win32 code (0 returns 0)."""
    if rc == CSVB_ERROR_SUCCESS:
        return 0
    detail = clussim_detail().decode("utf-8", "replace") if CSVB_HAVE_SIMULATOR else ""
    raise _error_for(rc, what, detail)


cdef bytes _wide(str s, str argument):
    """`s` as NUL-terminated UTF-16LE; an embedded NUL would silently cut the string short."""
    if "\0" in s:
        raise _InvalidParameterError(
            f"{argument} contains a NUL character at index {s.index(chr(0))}")
    return s.encode("utf-16-le", "surrogatepass") + b"\0\0"


cdef str _from_wide(const WCHAR *p, Py_ssize_t n):
    return PyUnicode_DecodeUTF16(<const char *>p, 2 * n, "surrogatepass", NULL)


cdef Py_ssize_t _wlen(const WCHAR *p, Py_ssize_t cap) nogil:
    cdef Py_ssize_t n = 0
    while n < cap and p[n] != 0:
        n += 1
    return n


cdef class ClusterHandle:
    """An open HCLUSTER (OpenCluster); closed by close() or when collected."""
    cdef HCLUSTER h

    def close(self):
        """CloseCluster; a second close does nothing."""
        cdef HCLUSTER h = self.h
        self.h = NULL
        if h != NULL:
            with nogil:
                CloseCluster(h)

    @property
    def closed(self):
        return self.h == NULL

    def __dealloc__(self):
        if self.h != NULL:
            CloseCluster(self.h)


cdef class ResourceHandle:
    """An open HRESOURCE (OpenClusterResource)."""
    cdef HRESOURCE h
    cdef readonly str name

    def close(self):
        """CloseClusterResource; a second close does nothing."""
        cdef HRESOURCE h = self.h
        self.h = NULL
        if h != NULL:
            with nogil:
                CloseClusterResource(h)

    def __dealloc__(self):
        if self.h != NULL:
            CloseClusterResource(self.h)


cdef HCLUSTER _cluster(ClusterHandle c) except NULL:
    if c is None or c.h == NULL:
        raise ValueError("the cluster handle is closed")
    return c.h


cdef HRESOURCE _resource(ResourceHandle r) except NULL:
    if r is None or r.h == NULL:
        raise ValueError("the resource handle is closed")
    return r.h


def open_cluster(name=None):
    """OpenCluster(name): None or "" for the local cluster."""
    cdef bytes w = _wide(name, "cluster name") if name else None
    cdef const WCHAR *p = NULL
    if w is not None:
        p = <const WCHAR *><const char *>w
    cdef ClusterHandle c = ClusterHandle.__new__(ClusterHandle)
    cdef DWORD err = 0
    with nogil:
        c.h = OpenCluster(p)
        if c.h == NULL:
            err = GetLastError()
    if c.h == NULL:
        _check(err if err else CSVB_RPC_S_SERVER_UNAVAILABLE, f"OpenCluster({name!r})")
    return c


def open_resource(ClusterHandle cluster, str name not None):
    """OpenClusterResource(cluster, name)."""
    cdef bytes w = _wide(name, "resource name")
    cdef const WCHAR *wp = <const WCHAR *><const char *>w
    cdef HCLUSTER hc = _cluster(cluster)
    cdef ResourceHandle r = ResourceHandle.__new__(ResourceHandle)
    cdef DWORD err = 0
    with nogil:
        r.h = OpenClusterResource(hc, wp)
        if r.h == NULL:
            err = GetLastError()
    if r.h == NULL:
        _check(err if err else CSVB_ERROR_RESOURCE_NOT_FOUND, f"OpenClusterResource({name!r})")
    r.name = name
    return r


def resource_state(ResourceHandle resource):
    """GetClusterResourceState: (state, owner node, group)."""
    cdef HRESOURCE h = _resource(resource)
    cdef WCHAR node[260]
    cdef WCHAR group[260]
    cdef DWORD cn = 260, cg = 260, err = 0
    cdef CLUSTER_RESOURCE_STATE state
    with nogil:
        state = GetClusterResourceState(h, node, &cn, group, &cg)
        if state == ClusterResourceStateUnknown:
            err = GetLastError()
    if state == ClusterResourceStateUnknown:
        _check(err if err else CSVB_ERROR_INVALID_FUNCTION, f"GetClusterResourceState({resource.name!r})")
    return state, _from_wide(node, cn), _from_wide(group, cg)


def set_resource_online(ResourceHandle resource, bint online):
    """OnlineClusterResource / OfflineClusterResource."""
    cdef HRESOURCE h = _resource(resource)
    cdef DWORD rc
    with nogil:
        rc = OnlineClusterResource(h) if online else OfflineClusterResource(h)
    if rc == CSVB_ERROR_IO_PENDING:  # the change completes in the background
        return False
    _check(rc, f"{'Online' if online else 'Offline'}ClusterResource({resource.name!r})")
    return True


cdef object _control(void *h, bint is_resource, DWORD code, in_buffer, DWORD out_size,
                     str what):
    """(status, output bytes, bytes returned) of one control call; no retry, no raise."""
    cdef Py_buffer view
    cdef void *inp = NULL
    cdef DWORD cb_in = 0, returned = 0, rc
    cdef bytes out = PyBytes_FromStringAndSize(NULL, out_size) if out_size else b""
    cdef void *outp = <void *>PyBytes_AS_STRING(out) if out_size else NULL
    if in_buffer is not None:
        PyObject_GetBuffer(in_buffer, &view, PyBUF_SIMPLE)
        if view.len > 0xFFFFFFFF:
            PyBuffer_Release(&view)
            raise _InvalidParameterError(f"{what}: the input buffer is over 4 GiB")
        inp = view.buf
        cb_in = <DWORD>view.len
    try:
        with nogil:
            if is_resource:
                rc = ClusterResourceControl(<HRESOURCE>h, NULL, code, inp, cb_in, outp, out_size,
                                            &returned)
            else:
                rc = ClusterControl(<HCLUSTER>h, NULL, code, inp, cb_in, outp, out_size,
                                    &returned)
    finally:
        if in_buffer is not None:
            PyBuffer_Release(&view)
    return rc, out, returned


cdef bytes _control_grow(void *h, bint is_resource, DWORD code, in_buffer, str what):
    """The output of a control call, growing the buffer on ERROR_MORE_DATA (234) to the byte
    count the call reports, as many times as it takes (the answer may grow meanwhile)."""
    cdef DWORD size = 4096, rc, returned  # most answers fit: one call, not two
    cdef int attempt
    for attempt in range(8):
        rc, out, returned = _control(h, is_resource, code, in_buffer, size, what)
        if rc == CSVB_ERROR_MORE_DATA and returned > size:
            size = returned
            continue
        _check(rc, what)
        return out[:returned]
    raise _error_for(CSVB_ERROR_MORE_DATA, what, "the output kept growing")


def resource_control(ResourceHandle resource, DWORD code, in_buffer=None):
    """ClusterResourceControl: the output bytes (grown and retried on 234)."""
    return _control_grow(<void *>_resource(resource), True, code, in_buffer,
                         f"ClusterResourceControl({resource.name!r}, 0x{code:08X})")


def cluster_control(ClusterHandle cluster, DWORD code, in_buffer=None):
    """ClusterControl: the output bytes (grown and retried on 234)."""
    return _control_grow(<void *>_cluster(cluster), False, code, in_buffer,
                         f"ClusterControl(0x{code:08X})")


def raw_resource_control(ResourceHandle resource, DWORD code, in_buffer, DWORD out_size):
    """ClusterResourceControl as C sees it: (status, output bytes, bytes returned)."""
    return _control(<void *>_resource(resource), True, code, in_buffer, out_size, "")


def raw_cluster_control(ClusterHandle cluster, DWORD code, in_buffer, DWORD out_size):
    """ClusterControl as C sees it: (status, output bytes, bytes returned)."""
    return _control(<void *>_cluster(cluster), False, code, in_buffer, out_size, "")


def enum_cluster(ClusterHandle cluster, DWORD types):
    """ClusterOpenEnum / ClusterEnum / ClusterCloseEnum: [(type, name)]."""
    cdef HCLUSTER hc = _cluster(cluster)
    cdef HCLUSENUM e
    cdef DWORD err = 0, rc = 0, index = 0, kind = 0, cch
    cdef WCHAR name[260]
    result = []
    with nogil:
        e = ClusterOpenEnum(hc, types)
        if e == NULL:
            err = GetLastError()
    if e == NULL:
        _check(err if err else CSVB_ERROR_INVALID_FUNCTION, f"ClusterOpenEnum(0x{types:X})")
    try:
        while True:
            cch = 260
            with nogil:
                rc = ClusterEnum(e, index, &kind, name, &cch)
            if rc == CSVB_ERROR_NO_MORE_ITEMS:
                break
            _check(rc, f"ClusterEnum({index})")
            result.append((kind, _from_wide(name, cch)))
            index += 1
    finally:
        with nogil:
            ClusterCloseEnum(e)
    return result


# --- ResUtils ---

cdef bytes _path_arg(str path, str argument):
    """A path as NUL-terminated UTF-16; longer than 32,767 characters: 206 before any call."""
    if len(path) > _MAX_LONG_PATH:
        raise _error_for(CSVB_ERROR_FILENAME_EXCED_RANGE, argument, f"{len(path):,} characters; the limit is 32,767")
    return _wide(path, argument)


def is_path_on_shared_volume(str path not None):
    """ClusterIsPathOnSharedVolume(path)."""
    cdef bytes w = _path_arg(path, "path")
    cdef const WCHAR *wp = <const WCHAR *><const char *>w
    cdef BOOL yes
    with nogil:
        yes = ClusterIsPathOnSharedVolume(wp)
    return yes != 0


def get_volume_path_name(str path not None, DWORD cch):
    """ClusterGetVolumePathName as C sees it: (ok, last error, output)."""
    cdef bytes w = _path_arg(path, "path")
    cdef const WCHAR *wp = <const WCHAR *><const char *>w
    cdef WCHAR *out = <WCHAR *>malloc((cch if cch else 1) * sizeof(WCHAR))
    cdef BOOL ok
    cdef DWORD err = 0
    if out == NULL:
        raise MemoryError()
    try:
        with nogil:
            SetLastError(0)
            ok = ClusterGetVolumePathName(wp, out if cch else NULL,
                                          cch)
            err = GetLastError()
        return ok != 0, (0 if ok else err), (_from_wide(out, _wlen(out, cch)) if ok else None)
    finally:
        free(out)


def get_volume_name_for_mount_point(str mount_point not None, DWORD cch):
    """ClusterGetVolumeNameForVolumeMountPoint as C sees it: (ok, last error, output)."""
    cdef bytes w = _path_arg(mount_point, "mount_point")
    cdef const WCHAR *wp = <const WCHAR *><const char *>w
    cdef WCHAR *out = <WCHAR *>malloc((cch if cch else 1) * sizeof(WCHAR))
    cdef BOOL ok
    cdef DWORD err = 0
    if out == NULL:
        raise MemoryError()
    try:
        with nogil:
            SetLastError(0)
            ok = ClusterGetVolumeNameForVolumeMountPoint(wp,
                                                         out if cch else NULL, cch)
            err = GetLastError()
        return ok != 0, (0 if ok else err), (_from_wide(out, _wlen(out, cch)) if ok else None)
    finally:
        free(out)


def prepare_shared_volume_for_backup(str path not None, DWORD cch_volume_path,
                                     DWORD cch_volume_name):
    """ClusterPrepareSharedVolumeForBackup as C sees it: (status, volume path, cch1, volume
    name, cch2); the strings are None unless the status is 0."""
    cdef bytes w = _path_arg(path, "path")
    cdef const WCHAR *wp = <const WCHAR *><const char *>w
    cdef WCHAR *vp = <WCHAR *>malloc((cch_volume_path if cch_volume_path else 1) * sizeof(WCHAR))
    cdef WCHAR *vn = <WCHAR *>malloc((cch_volume_name if cch_volume_name else 1) * sizeof(WCHAR))
    cdef DWORD rc, c1 = cch_volume_path, c2 = cch_volume_name
    if vp == NULL or vn == NULL:
        free(vp)
        free(vn)
        raise MemoryError()
    try:
        with nogil:
            rc = ClusterPrepareSharedVolumeForBackup(
                wp, vp if cch_volume_path else NULL, &c1,
                vn if cch_volume_name else NULL, &c2)
        if rc != CSVB_ERROR_SUCCESS:
            return rc, None, c1, None, c2
        return (rc, _from_wide(vp, _wlen(vp, cch_volume_path)), c1,
                _from_wide(vn, _wlen(vn, cch_volume_name)), c2)
    finally:
        free(vp)
        free(vn)


def clear_backup_state(str volume_path not None):
    """ClusterClearBackupStateForSharedVolume(volume_path); raises on failure."""
    cdef bytes w = _path_arg(volume_path, "volume_path")
    cdef const WCHAR *wp = <const WCHAR *><const char *>w
    cdef DWORD rc
    with nogil:
        rc = ClusterClearBackupStateForSharedVolume(wp)
    _check(rc, f"ClusterClearBackupStateForSharedVolume({volume_path!r})")


def check_status(DWORD rc, str what):
    """Raise the Win32Error subclass for `rc` (nothing for 0)."""
    _check(rc, what)
