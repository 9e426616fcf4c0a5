# File-spec sets and CSV mount maps (src/kernels/specset.h, include/csvbackup/filespec.h).
# The facade (csvbackup/filespec.py, volume_map.py, _strings.py) expands variables, checks the
# specs and picks the string source; this layer builds the C objects, wraps a column of strings
# in a csvb_strings without copying it, and runs the batch without the GIL.
# Included by _csvcore.pyx.
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_GET_SIZE
from libc.stdint cimport uintptr_t
from libc.stdlib cimport malloc, free

cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(object o)

PATH_NULL = CSVB_PATH_NULL
PATH_HAS_NUL = CSVB_PATH_HAS_NUL
PATH_TOO_LONG = CSVB_PATH_TOO_LONG
PATH_BAD_ENCODING = CSVB_PATH_BAD_ENCODING
PATH_BAD_SHORT_NAME = CSVB_PATH_BAD_SHORT_NAME
PATH_MAX_UNITS = CSVB_PATH_MAX_UNITS
FILESPEC_MAX_UNITS = CSVB_FILESPEC_MAX_UNITS
ROLE_INCLUDE = CSVB_ROLE_INCLUDE
ROLE_EXCLUDE = CSVB_ROLE_EXCLUDE
ROLE_SNAPSHOT_EXCLUDE = CSVB_ROLE_SNAPSHOT_EXCLUDE
SPEC_EMPTY_DIR = CSVB_SPEC_EMPTY_DIR
SPEC_LONG_FILESPEC = CSVB_SPEC_LONG_FILESPEC
SPEC_DUPLICATE_MOUNT = CSVB_SPEC_DUPLICATE_MOUNT

cdef bytes _upcase_bytes = None


cdef const uint16_t *_upcase() except NULL:
    """The 65,536-entry simple-uppercase table of csvb_fold_unit, built on first use.

    For each UTF-16 code unit u: surrogates map to themselves; otherwise the uppercase of
    chr(u) when it is exactly one BMP character (Python's Unicode database), else u. This is
    the simple uppercase of each UTF-16 code unit that Windows compares names with
    (docs/reference/vss-filespec.md section 2.2, "Case"); NTFS keeps its own $UpCase table
    from the Unicode version the volume was formatted with.
    """
    global _upcase_bytes
    cdef int u
    if _upcase_bytes is None:
        import array
        t = array.array("H", range(65536))
        for u in range(0x80, 0x10000):
            if 0xD800 <= u <= 0xDFFF:
                continue
            up = chr(u).upper()
            if len(up) == 1 and ord(up) <= 0xFFFF:
                t[u] = ord(up)
        for u in range(0x61, 0x7B):
            t[u] = u - 0x20
        _upcase_bytes = t.tobytes()  # native uint16, as the C reads it
    return <const uint16_t *>PyBytes_AS_STRING(_upcase_bytes)


def upcase_table():
    """The fold table as bytes of native uint16 (tests compare it with the oracle)."""
    _upcase()
    return _upcase_bytes


def fold_name(str name):
    """`name` as csvbackup compares names (and Windows, with NTFS's upcase table): each UTF-16
    code unit through csvb_fold_unit, so characters outside the BMP stay as they are."""
    if PyUnicode_IS_ASCII(name):
        return name.upper()
    cdef bytes b = _units(name)
    cdef Py_ssize_t n = len(b) // 2, k
    cdef const uint16_t *src = <const uint16_t *>PyBytes_AS_STRING(b)
    cdef const uint16_t *up = _upcase()
    cdef bytes out = PyBytes_FromStringAndSize(NULL, 2 * n)
    cdef uint16_t *dst = <uint16_t *>PyBytes_AS_STRING(out)
    for k in range(n):
        dst[k] = csvb_fold_unit(src[k], up)
    return _from_units(dst, n)


cdef bytes _units(str s):
    """UTF-16 code units of s as the C reads them (native order: the extension is built for
    little-endian targets only, like Windows); lone surrogates are single units."""
    return s.encode("utf-16-le", "surrogatepass")


cdef str _from_units(const uint16_t *p, size_t n):
    cdef int order = -1  # explicit little-endian: a leading U+FEFF is a character, not a BOM
    return PyUnicode_DecodeUTF16(<const char *>p, 2 * n, "surrogatepass", &order)


cdef class SpecSet:
    """A compiled file-spec set (csvb_specset). Build with build_specset."""

    cdef csvb_specset *ptr
    cdef readonly Py_ssize_t size

    def __cinit__(self):
        self.ptr = NULL

    def __dealloc__(self):
        csvb_specset_free(self.ptr)

    @property
    def directories(self):
        """Distinct canonical directories in the set."""
        return csvb_specset_dirs(self.ptr)

    @property
    def exact_names(self):
        """Distinct (directory, exact file name) keys."""
        return csvb_specset_exact_names(self.ptr)


cdef class MountMap:
    """A compiled mount map (csvb_mountmap). Build with build_mounts."""

    cdef csvb_mountmap *ptr
    cdef readonly Py_ssize_t size

    def __cinit__(self):
        self.ptr = NULL

    def __dealloc__(self):
        csvb_mountmap_free(self.ptr)

    @property
    def directories(self):
        """Distinct canonical mount points in the map."""
        return csvb_mountmap_dirs(self.ptr)


def build_specset(list rows):
    """Compile rows of (dir, filespec, default_dir or None, index, mask, role, recursive).

    Returns (SpecSet, -1, 0), or (None, position, CSVB_SPEC_* reason) when a row is refused.
    """
    cdef Py_ssize_t n = len(rows), i
    cdef csvb_spec_in *specs = <csvb_spec_in *>malloc((n if n else 1) * sizeof(csvb_spec_in))
    cdef const uint16_t *up = _upcase()
    cdef size_t bad = 0
    cdef int why = 0
    cdef bytes d, f, dd
    cdef SpecSet out = SpecSet()
    keep = []
    if specs == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            dir_, filespec, default_dir, index, mask, role, recursive = rows[i]
            d = _units(dir_)
            f = _units(filespec)
            keep.append(d)
            keep.append(f)
            specs[i].dir = <const uint16_t *>PyBytes_AS_STRING(d)
            specs[i].dir_len = len(d) // 2
            specs[i].filespec = <const uint16_t *>PyBytes_AS_STRING(f)
            specs[i].filespec_len = len(f) // 2
            if default_dir is None:
                specs[i].default_dir = NULL
                specs[i].default_dir_len = 0
            else:
                dd = _units(default_dir)
                keep.append(dd)
                specs[i].default_dir = <const uint16_t *>PyBytes_AS_STRING(dd)
                specs[i].default_dir_len = len(dd) // 2
            specs[i].index = index
            specs[i].mask = mask
            specs[i].role = role
            specs[i].recursive = 1 if recursive else 0
        out.ptr = csvb_specset_build(specs, n, up, &bad, &why)
    finally:
        free(specs)
    if out.ptr == NULL:
        if why == CSVB_SPEC_NOMEM:
            raise MemoryError()
        return None, <Py_ssize_t>bad, why
    out.size = n
    return out, -1, 0


def build_mounts(list dirs, list index):
    """Compile a mount map: dirs[i] (str) belongs to CSV index[i]. Same return contract."""
    cdef Py_ssize_t n = len(dirs), i
    cdef const uint16_t **ptrs = <const uint16_t **>malloc((n if n else 1) * sizeof(void *))
    cdef size_t *lens = <size_t *>malloc((n if n else 1) * sizeof(size_t))
    cdef int32_t *idx = <int32_t *>malloc((n if n else 1) * sizeof(int32_t))
    cdef size_t bad = 0
    cdef int why = 0
    cdef bytes b
    cdef MountMap out = MountMap()
    keep = []
    try:
        if ptrs == NULL or lens == NULL or idx == NULL:
            raise MemoryError()
        for i in range(n):
            b = _units(dirs[i])
            keep.append(b)
            ptrs[i] = <const uint16_t *>PyBytes_AS_STRING(b)
            lens[i] = len(b) // 2
            idx[i] = index[i]
        out.ptr = csvb_mountmap_build(ptrs, lens, idx, n, _upcase(), &bad, &why)
    finally:
        free(ptrs)
        free(lens)
        free(idx)
    if out.ptr == NULL:
        if why == CSVB_SPEC_NOMEM:
            raise MemoryError()
        return None, <Py_ssize_t>bad, why
    out.size = n
    return out, -1, 0


cdef class Strings:
    """A column of n strings as the C matcher reads it (csvb_strings), with the Python
    objects that own the memory."""

    cdef csvb_strings s
    cdef readonly Py_ssize_t n
    cdef object keep

    def __cinit__(self):
        memset(&self.s, 0, sizeof(csvb_strings))
        self.n = 0


def strings_arrow(bint large, uintptr_t validity, Py_ssize_t offset, uintptr_t offsets,
                  uintptr_t data, size_t data_len, Py_ssize_t n, keep):
    """An Arrow string (large=False) or large_string array, by buffer address; `keep` holds
    the array alive."""
    cdef Strings out = Strings()
    out.s.kind = CSVB_STR_UTF8_I64 if large else CSVB_STR_UTF8_I32
    out.s.validity = <const uint8_t *>validity
    out.s.offset = offset
    out.s.offsets = <const void *>offsets
    out.s.data = <const uint8_t *>data
    out.s.data_len = data_len
    out.n = n
    out.keep = keep
    return out


def strings_ucs4(arr):
    """A C-contiguous 1-D numpy 'U' array, read in place."""
    cdef const uint8_t[::1] view = arr.view("u1").reshape(-1) if arr.size else None
    cdef Strings out = Strings()
    out.s.kind = CSVB_STR_UCS4
    out.s.itemsize = arr.dtype.itemsize
    out.s.data = &view[0] if arr.size else NULL
    out.n = arr.shape[0]
    out.keep = (arr, view)
    return out


def strings_objects(seq, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t base=0):
    """Rows [start, stop) of a list, tuple or object array of str (None = a null row).

    Raises TypeError naming the first index (plus `base`) that holds anything else.
    """
    cdef Py_ssize_t n = stop - start, i
    cdef Strings out = Strings()
    cdef object ptrs = _np.empty(n, dtype=_np.uintp)
    cdef object lens = _np.empty(n, dtype=_np.int64)
    cdef object kinds = _np.empty(n, dtype=_np.uint8)
    cdef uintptr_t[::1] pv = ptrs
    cdef int64_t[::1] lv = lens
    cdef uint8_t[::1] kv = kinds
    cdef PyObject *o
    cdef PyObject **objs = NULL
    cdef int mode
    if isinstance(seq, list):
        mode = 0
        if stop > PyList_GET_SIZE(seq):
            raise IndexError("the list changed size")
    elif isinstance(seq, tuple):
        mode = 1
    else:
        mode = 2  # a C-contiguous object ndarray: an array of PyObject*
        objs = <PyObject **><uintptr_t>seq.ctypes.data
    for i in range(n):
        if mode == 0:
            o = <PyObject *>PyList_GET_ITEM(seq, start + i)
        elif mode == 1:
            o = <PyObject *>PyTuple_GET_ITEM(seq, start + i)
        else:
            o = objs[start + i]
        if o == <PyObject *>None:
            pv[i] = 0
            lv[i] = 0
            kv[i] = 1
        elif isinstance(<object>o, str):
            pv[i] = <uintptr_t>PyUnicode_DATA(<object>o)
            lv[i] = PyUnicode_GET_LENGTH(<object>o)
            kv[i] = 0 if PyUnicode_IS_ASCII(<object>o) else PyUnicode_KIND(<object>o)
        else:
            raise TypeError(f"paths[{base + start + i}] is {type(<object>o).__name__}, not str "
                            f"(None marks a missing path)")
    out.s.kind = CSVB_STR_PYSTR
    out.s.ptrs = <const void *const *>&pv[0] if n else NULL
    out.s.lens = &lv[0] if n else NULL
    out.s.kinds = &kv[0] if n else NULL
    out.n = n
    out.keep = (seq, ptrs, lens, kinds)
    return out


def specset_match(SpecSet s, Strings src, uint32_t[::1] mask, int32_t[::1] spec,
                  uint8_t[::1] excluded, uint8_t[::1] not_in_snapshot, uint8_t[::1] status,
                  int nthreads, Strings shorts=None):
    """Match every row of src (with its short name in `shorts`, when given); the five outputs
    have src.n rows."""
    cdef csvb_match_out out
    cdef int rc
    cdef Py_ssize_t n = src.n
    cdef const csvb_strings *sp = NULL
    if s.ptr == NULL:
        raise ValueError("empty SpecSet")
    if shorts is not None:
        if shorts.n != n:
            raise ValueError(f"short names have {shorts.n} rows, paths {n}")
        sp = &shorts.s
    if (mask.shape[0] != n or spec.shape[0] != n or excluded.shape[0] != n
            or not_in_snapshot.shape[0] != n or status.shape[0] != n):
        raise ValueError(f"an output's rows differ from the input's {n}")
    if n == 0:
        return
    out.mask = &mask[0]
    out.spec = &spec[0]
    out.excluded = &excluded[0]
    out.not_in_snapshot = &not_in_snapshot[0]
    out.status = &status[0]
    with nogil:
        rc = csvb_specset_match(s.ptr, &src.s, sp, <size_t>n, &out, nthreads)
    if rc < 0:
        raise MemoryError()


def specset_set_level(int level):
    """Run the match and lookup row loops at instruction-set `level` (0: baseline, 3:
    x86-64-v3 where built and supported; -1: the best) and return the level now in use. For
    tests that compare the levels; not thread-safe against a running match."""
    return csvb_specset_set_level(level)


def specset_level():
    """The instruction-set level the match and lookup row loops run at (0 or 3)."""
    return csvb_specset_level()


def mounts_lookup(MountMap m, Strings src, int32_t[::1] out, uint8_t[::1] status, int nthreads):
    """The deepest mount of every row of src (-1 for none); status may be None."""
    cdef int rc
    cdef Py_ssize_t n = src.n
    cdef uint8_t *st = NULL
    if m.ptr == NULL:
        raise ValueError("empty MountMap")
    if out.shape[0] != n or (status is not None and status.shape[0] != n):
        raise ValueError(f"output rows differ from the input's {n}")
    if n == 0:
        return
    if status is not None:
        st = &status[0]
    with nogil:
        rc = csvb_mountmap_lookup(m.ptr, &src.s, <size_t>n, &out[0], st, nthreads)
    if rc < 0:
        raise MemoryError()


def canonical_path(str path):
    """(status, canonical folded path) as the matcher loads `path`: the one form csvbackup
    compares paths in (status 0, else a CSVB_PATH_* bit and "")."""
    cdef Strings src = strings_objects([path], 0, 1)
    cdef uint16_t *buf = <uint16_t *>malloc(CSVB_LOAD_UNITS * sizeof(uint16_t))
    cdef size_t k = 0
    cdef unsigned st
    if buf == NULL:
        raise MemoryError()
    try:
        st = csvb_load_path(&src.s, 0, _upcase(), buf, &k)
        return st, _from_units(buf, k)
    finally:
        free(buf)


def translate_filespec(str filespec):
    """csvb_translate_filespec: the filespec as FindFirstFileExW prepares it (trailing '.' and
    ' ' removed, the DOS wildcards '<', '>', '"'); "" for one of dots and spaces only."""
    cdef bytes b = _units(filespec)
    cdef Py_ssize_t n = len(b) // 2
    cdef uint16_t *out = <uint16_t *>malloc((n + 1) * sizeof(uint16_t))
    cdef size_t m
    if out == NULL:
        raise MemoryError()
    try:
        m = csvb_translate_filespec(<const uint16_t *>PyBytes_AS_STRING(b), n, out)
        return _from_units(out, m)
    finally:
        free(out)


def dos_match(str expression, str name):
    """csvb_dos_match on an already translated and folded expression and folded name."""
    cdef bytes e = _units(expression), s = _units(name)
    cdef size_t m = len(e) // 2
    cdef uint8_t *states = <uint8_t *>malloc(2 * (m + 1))
    if states == NULL:
        raise MemoryError()
    try:
        return bool(csvb_dos_match(<const uint16_t *>PyBytes_AS_STRING(e), m,
                                   <const uint16_t *>PyBytes_AS_STRING(s), len(s) // 2, states))
    finally:
        free(states)
