# CLUSPROP property lists and value lists: sizing, packing into any writable buffer, and
# parsing any buffer with every entry checked by include/csvbackup/clusprop.h. Included by
# _csvcore.pyx. Property lists arrive here as the facade's dict name -> Value | tuple.


def clusprop_strerror(int code):
    """What a csvb_clusprop_error code means (csvb_clusprop_strerror)."""
    return csvb_clusprop_strerror(code).decode("ascii")


def clusprop_types():
    """[(name, value, in mingw's clusapi.h)] of CLUSPROP_TYPE_* (clusprop.h), in its order."""
    return named_rows(csvb_clusprop_types_, csvb_clusprop_types_len_)


def clusprop_formats():
    """[(name, value, in mingw's clusapi.h)] of CLUSPROP_FORMAT_* (clusprop.h), in its order."""
    return named_rows(csvb_clusprop_formats_, csvb_clusprop_formats_len_)


def clusprop_syntaxes():
    """[(name, value, in mingw's clusapi.h)] of CLUSPROP_SYNTAX_* (clusprop.h), in its order."""
    return named_rows(csvb_clusprop_syntaxes_, csvb_clusprop_syntaxes_len_)


# === Sizes ===

cdef inline Py_ssize_t _name_entry_size(str name):
    return 8 + CSVB_ALIGN_CLUSPROP(<size_t>(_utf16_units(name) + 1) * 2)


cdef int _check_depth(int depth) except -1:
    if depth > CSVB_CLUSPROP_MAX_DEPTH:
        raise _InvalidParameterError(
            f"property lists nested deeper than {CSVB_CLUSPROP_MAX_DEPTH} (a list that "
            "contains itself?)")
    return 0


cdef Py_ssize_t _value_length(Value v, int depth=0) except -1:
    cdef Py_ssize_t n
    if (v.syntax & 0xFFFF) != CSVB_CLUSPROP_FORMAT_PROPERTY_LIST:
        return v._length
    _check_depth(depth + 1)
    pl = v._value
    n = _list_size(pl._props, pl.endmark, depth + 1)
    if n > 0xFFFFFFFC:
        raise _InvalidParameterError(f"a nested property list of {n} bytes does not fit cbLength")
    return n


cdef Py_ssize_t _list_size(dict props, bint endmark, int depth=0) except -1:
    cdef Py_ssize_t size = 4 + (4 if endmark else 0)
    for name, values in props.items():
        size += _name_entry_size(<str>name) + 4
        if type(values) is tuple:
            for v in <tuple>values:
                size += 8 + CSVB_ALIGN_CLUSPROP(<size_t>_value_length(<Value>v, depth))
        else:
            size += 8 + CSVB_ALIGN_CLUSPROP(<size_t>_value_length(<Value>values, depth))
    return size


cdef Py_ssize_t _value_list_size(list values) except -1:
    cdef Py_ssize_t size = 4
    for v in values:
        size += 8 + CSVB_ALIGN_CLUSPROP(<size_t>_value_length(<Value>v))
    return size


# === Packing (the caller checked that the size fits) ===

cdef int _room(Py_ssize_t off, Py_ssize_t need, Py_ssize_t end) except -1:
    """Every write is bounded by the buffer end: a PropertyList subclass whose Python code
    changes the list between sizing and packing gets an error, never an overflow."""
    if need > end - off:
        raise RuntimeError("the property list changed while it was being packed")
    return 0


cdef Py_ssize_t _put_value(Value v, uint8_t *buf, Py_ssize_t off, Py_ssize_t end) except -1:
    cdef uint32_t fmt = v.syntax & 0xFFFF
    cdef uint8_t *p
    cdef Py_ssize_t n
    cdef const uint8_t[::1] raw
    cdef Py_ssize_t off_next
    if fmt != CSVB_CLUSPROP_FORMAT_PROPERTY_LIST:
        _room(off, 8 + CSVB_ALIGN_CLUSPROP(v._length), end)
    if fmt == CSVB_CLUSPROP_FORMAT_DWORD or fmt == CSVB_CLUSPROP_FORMAT_LONG:
        csvb_store_u32(buf + off, v.syntax)
        csvb_store_u32(buf + off + 4, 4)
        csvb_store_u32(buf + off + 8, <uint32_t>v._bits)
        return off + 12
    if (fmt == CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER or fmt == CSVB_CLUSPROP_FORMAT_LARGE_INTEGER
            or fmt == CSVB_CLUSPROP_FORMAT_FILETIME):
        csvb_store_u32(buf + off, v.syntax)
        csvb_store_u32(buf + off + 4, 8)
        csvb_store_u64(buf + off + 8, v._bits)
        return off + 16
    if fmt == CSVB_CLUSPROP_FORMAT_WORD:
        csvb_store_u32(buf + off, v.syntax)
        csvb_store_u32(buf + off + 4, 2)
        csvb_store_u32(buf + off + 8, <uint32_t>v._bits)  # value + two zero padding bytes
        return off + 12
    if fmt == CSVB_CLUSPROP_FORMAT_PROPERTY_LIST:
        pl = v._value
        n = _value_length(v)
        _room(off, 8 + n, end)
        csvb_store_u32(buf + off, v.syntax)
        csvb_store_u32(buf + off + 4, <uint32_t>n)
        return _put_list(pl._props, pl.endmark, buf, off + 8, off + 8 + n)  # whole DWORDs
    off_next = csvb_clusprop_write_header(buf, off, v.syntax, v._length)
    p = buf + off + 8
    if (fmt == CSVB_CLUSPROP_FORMAT_SZ or fmt == CSVB_CLUSPROP_FORMAT_EXPAND_SZ
            or fmt == CSVB_CLUSPROP_FORMAT_EXPANDED_SZ):
        p = _put_utf16(<str>v._value, p)
        csvb_store_u16(p, 0)
    elif fmt == CSVB_CLUSPROP_FORMAT_MULTI_SZ:
        for s in <tuple>v._value:
            p = _put_utf16(<str>s, p)
            csvb_store_u16(p, 0)
            p += 2
        csvb_store_u16(p, 0)
    elif v._length:
        if type(v._value) is bytes:
            memcpy(p, PyBytes_AS_STRING(v._value), v._length)
        else:
            raw = v._value
            memcpy(p, &raw[0], v._length)
    return off_next


cdef Py_ssize_t _put_name(str name, uint8_t *buf, Py_ssize_t off, Py_ssize_t end) except -1:
    cdef Py_ssize_t units = _utf16_units(name), off_next
    cdef uint8_t *p
    _room(off, 8 + CSVB_ALIGN_CLUSPROP(<size_t>(units + 1) * 2), end)
    off_next = csvb_clusprop_write_header(buf, off, CSVB_CLUSPROP_SYNTAX_NAME,
                                          <uint32_t>((units + 1) * 2))
    p = _put_utf16(name, buf + off + 8)
    csvb_store_u16(p, 0)
    return off_next


cdef Py_ssize_t _put_list(dict props, bint endmark, uint8_t *buf, Py_ssize_t off,
                          Py_ssize_t end) except -1:
    _room(off, 4, end)
    csvb_store_u32(buf + off, <uint32_t>len(props))
    off += 4
    for name, values in props.items():
        off = _put_name(<str>name, buf, off, end)
        if type(values) is tuple:
            for v in <tuple>values:
                off = _put_value(<Value>v, buf, off, end)
        else:
            off = _put_value(<Value>values, buf, off, end)
        _room(off, 4, end)
        off = csvb_clusprop_put_endmark(buf, off)
    if endmark:
        _room(off, 4, end)
        off = csvb_clusprop_put_endmark(buf, off)
    return off


cdef Py_ssize_t _put_value_list(list values, uint8_t *buf, Py_ssize_t off,
                                Py_ssize_t end) except -1:
    for v in values:
        off = _put_value(<Value>v, buf, off, end)
    _room(off, 4, end)
    return csvb_clusprop_put_endmark(buf, off)


cdef Py_ssize_t _pack(object obj, bint is_list, bint endmark, object buf,
                      Py_ssize_t offset) except -1:
    """Pack a property list (`obj` is its dict) or a value list (a list) into `buf` at
    `offset`; returns the bytes written."""
    cdef Py_buffer view
    cdef Py_ssize_t size = _list_size(<dict>obj, endmark) if is_list else _value_list_size(<list>obj)
    PyObject_GetBuffer(buf, &view, PyBUF_WRITABLE)
    try:
        if offset < 0 or offset > view.len:
            raise _InvalidParameterError(f"offset {offset} is outside the {view.len}-byte buffer")
        if size > view.len - offset:
            raise _MoreDataError(
                f"the list needs {size} bytes at offset {offset}: a buffer of {offset + size} "
                f"bytes, got {view.len}", required=offset + size)
        if is_list:
            _put_list(<dict>obj, endmark, <uint8_t *>view.buf, offset, offset + size)
        else:
            _put_value_list(<list>obj, <uint8_t *>view.buf, offset, offset + size)
    finally:
        PyBuffer_Release(&view)
    return size


def property_list_size(dict props, bint endmark):
    """Bytes the property list needs."""
    return _list_size(props, endmark)


def value_list_size(list values):
    """Bytes the value list (its ENDMARK included) needs."""
    return _value_list_size(values)


def pack_property_list(dict props, bint endmark, buf, Py_ssize_t offset):
    """Write the property list into writable `buf` at `offset`; returns the bytes written.
    _MoreDataError(.required = offset + size) when it does not fit."""
    return _pack(props, True, endmark, buf, offset)


def pack_value_list(list values, buf, Py_ssize_t offset):
    """Write the value list into writable `buf` at `offset`; returns the bytes written."""
    return _pack(values, False, False, buf, offset)


def property_list_bytes(dict props, bint endmark):
    """The property list as a new bytes object."""
    cdef Py_ssize_t size = _list_size(props, endmark)
    cdef bytes out = PyBytes_FromStringAndSize(NULL, size)
    _put_list(props, endmark, <uint8_t *>PyBytes_AS_STRING(out), 0, size)
    return out


def value_list_bytes(list values):
    """The value list as a new bytes object."""
    cdef Py_ssize_t size = _value_list_size(values)
    cdef bytes out = PyBytes_FromStringAndSize(NULL, size)
    _put_value_list(values, <uint8_t *>PyBytes_AS_STRING(out), 0, size)
    return out


# === Parsing ===

cdef class _Source:
    """The buffer being parsed: its bytes, and (zero-copy parses) a byte memoryview of it
    to slice BINARY-like values from, made when the first such value is met."""
    cdef const uint8_t *p
    cdef size_t n
    cdef object obj
    cdef object view
    cdef bint copy

    cdef object byte_view(self):
        if self.view is None:
            mv = memoryview(self.obj)
            if mv.ndim != 1 or mv.format != "B":
                mv = mv.cast("B")
            self.view = mv
        return self.view


cdef Value _read_value(_Source src, size_t at, const csvb_clusprop_entry *e, int depth):
    """The value of entry e (already checked by the C reader)."""
    cdef uint32_t fmt = e.syntax & 0xFFFF
    cdef Value v = _new_value(e.syntax)
    cdef const uint8_t *d = src.p + e.data
    cdef uint64_t x
    cdef size_t k, start, units
    cdef uint32_t trailing
    v.syntax = e.syntax
    v._length = e.length
    if fmt == CSVB_CLUSPROP_FORMAT_DWORD:
        x = csvb_load_u32(d)
        v._bits = x
    elif fmt == CSVB_CLUSPROP_FORMAT_SZ or fmt == CSVB_CLUSPROP_FORMAT_EXPAND_SZ \
            or fmt == CSVB_CLUSPROP_FORMAT_EXPANDED_SZ:
        v._value = _get_utf16(d, e.length // 2 - 1)
    elif fmt == CSVB_CLUSPROP_FORMAT_LONG:
        x = csvb_load_u32(d)
        v._bits = x
    elif fmt == CSVB_CLUSPROP_FORMAT_WORD:
        x = csvb_load_u16(d)
        v._bits = x
    elif fmt == CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER or fmt == CSVB_CLUSPROP_FORMAT_FILETIME:
        x = csvb_load_u64(d)
        v._bits = x
    elif fmt == CSVB_CLUSPROP_FORMAT_LARGE_INTEGER:
        x = csvb_load_u64(d)
        v._bits = x
    elif fmt == CSVB_CLUSPROP_FORMAT_MULTI_SZ:
        items = []
        units = e.length // 2
        start = 0
        for k in range(units):
            if csvb_load_u16(d + 2 * k) == 0:
                if k == start:  # the final NUL (checked: nothing but a NUL may follow)
                    break
                items.append(_get_utf16(d + 2 * start, k - start))
                start = k + 1
        v._value = tuple(items)
        v._length = 2 + sum([(_utf16_units(s) + 1) * 2 for s in items])  # "\0\0" -> 2
    elif fmt == CSVB_CLUSPROP_FORMAT_PROPERTY_LIST:
        props = _read_list(src, e.data, e.length, depth + 1, &trailing)
        v._value = _new_property_list(_PropertyList, props, trailing)
        v._length = 0
    elif src.copy:
        v._value = PyBytes_FromStringAndSize(<const char *>d, e.length)
    else:
        v._value = src.byte_view()[e.data:e.data + e.length]
    return v


# Property names repeat across the lists a cataloger parses: a small cache from a name's
# UTF-16 bytes to its str (whose hash is then cached too) saves decoding and hashing each
# time. Four-way set associative, a set (four 64-bit tags and str pointers) per cache line;
# a hit is confirmed against the str's own characters, which the dict insert reads next
# anyway. A miss evicts the set's oldest name. Only touched with the GIL held.
cdef enum:
    _NAME_SETS = 1024
    _NAME_WAYS = 4

ctypedef struct _NameSlot:
    uint64_t tag
    PyObject *s

cdef _NameSlot _name_cache[_NAME_SETS][_NAME_WAYS]


cdef inline void _remember_position(PyObject *s, size_t position) noexcept:
    if position < _NAME_POSITIONS:
        Py_INCREF(<object>s)
        Py_XDECREF(_name_at[position])
        _name_at[position] = s


cdef inline uint64_t _mix(uint64_t h, uint64_t w) noexcept nogil:
    return (h ^ w) * 0x9E3779B97F4A7C15u


cdef inline uint64_t _name_hash(const uint8_t *p, size_t nbytes) noexcept nogil:
    """64-bit hash of a name's bytes: 8 a step, the tail as the last 8 (overlapping), then
    MurmurHash3's fmix64 so names differing only in their last digits spread over the sets."""
    cdef uint64_t h = nbytes, w = 0
    cdef size_t k = 0
    if nbytes < 8:
        memcpy(&w, p, nbytes)
        h = _mix(h, w)
    else:
        while k + 8 <= nbytes:
            h = _mix(h, csvb_load_u64(p + k))
            k += 8
        if k < nbytes:
            h = _mix(h, csvb_load_u64(p + nbytes - 8))
    h ^= h >> 33
    h *= 0xFF51AFD7ED558CCDu
    h ^= h >> 33
    h *= 0xC4CEB9FE1A85EC53u
    return h ^ (h >> 33)


cdef inline bint _same_name(PyObject *s, const uint8_t *p, size_t units) noexcept:
    """Whether the (1- or 2-byte kind) str s is the UTF-16LE text of `units` units at p."""
    cdef size_t k
    cdef uint32_t diff = 0
    cdef const uint8_t *d1
    cdef const uint16_t *d2
    if <size_t>PyUnicode_GET_LENGTH(<object>s) != units:
        return False
    if PyUnicode_KIND(<object>s) == PyUnicode_1BYTE_KIND:
        d1 = <const uint8_t *>PyUnicode_DATA(<object>s)
        for k in range(units):  # no early exit: the compiler vectorizes it
            diff |= csvb_load_u16(p + 2 * k) ^ d1[k]
    else:
        d2 = <const uint16_t *>PyUnicode_DATA(<object>s)
        for k in range(units):
            diff |= csvb_load_u16(p + 2 * k) ^ d2[k]
    return diff == 0


# Lists of one kind (a resource type's common properties, say) come in the same order each
# time: the name at position k of the last top-level list parsed is tried first, which skips
# hashing when it matches.
cdef enum:
    _NAME_POSITIONS = 1024

cdef PyObject *_name_at[_NAME_POSITIONS]


cdef str _get_name(const uint8_t *p, size_t nbytes, size_t position):
    """The str of a UTF-16LE name of nbytes bytes (without its NUL), through the caches."""
    cdef PyObject *seen = _name_at[position] if position < _NAME_POSITIONS else NULL
    cdef uint64_t tag
    cdef _NameSlot *ways
    cdef int k
    cdef str s
    if seen != NULL and _same_name(seen, p, nbytes // 2):
        return <str>seen
    tag = _name_hash(p, nbytes)
    ways = _name_cache[tag & (_NAME_SETS - 1)]
    for k in range(_NAME_WAYS):
        if ways[k].tag == tag and ways[k].s != NULL and _same_name(ways[k].s, p, nbytes // 2):
            _remember_position(ways[k].s, position)
            return <str>ways[k].s
    s = _get_utf16(p, nbytes // 2)
    if PyUnicode_KIND(s) == PyUnicode_4BYTE_KIND:
        return s  # surrogate pairs: rare in names, and _same_name compares code units
    _remember_position(<PyObject *>s, position)
    Py_XDECREF(ways[_NAME_WAYS - 1].s)
    memmove(&ways[1], &ways[0], (_NAME_WAYS - 1) * sizeof(_NameSlot))
    Py_INCREF(s)
    ways[0].tag = tag
    ways[0].s = <PyObject *>s
    return s


cdef dict _read_list(_Source src, size_t start, size_t size, int depth, uint32_t *trailing):
    """dict name -> Value | tuple of the list at src[start:+size]; its count of list-level
    ENDMARKs goes to *trailing."""
    cdef csvb_clusprop_reader r
    cdef csvb_clusprop_property p
    cdef csvb_clusprop_entry e
    cdef const uint8_t *base = src.p + start
    cdef int rc = csvb_clusprop_begin_list(&r, base, size, depth)
    cdef dict props
    cdef uint32_t k
    cdef size_t at
    cdef list several
    cdef Value dword
    if rc != CSVB_CLUSPROP_OK:
        raise _data_error(rc, start + r.where)
    props = _PyDict_NewPresized(r.count)  # the count was checked against the buffer size
    while True:
        rc = csvb_clusprop_next_property(&r, &p)
        if rc == CSVB_CLUSPROP_END:
            break
        if rc != CSVB_CLUSPROP_OK:
            raise _data_error(rc, start + r.where)
        name = _get_name(base + p.name.data, p.name.length - 2,
                         len(props) if depth == 0 else _NAME_POSITIONS)
        at = p.first_value
        csvb_clusprop_read_entry(base, size, at, &e)
        if p.value_count == 1 and (e.syntax & 0xFFFF) == CSVB_CLUSPROP_FORMAT_DWORD:
            dword = Dword.__new__(Dword)  # inline: the most common value by far
            dword.syntax, dword._bits, dword._length = e.syntax, csvb_load_u32(base + e.data), 4
            value = dword
        elif p.value_count == 1:
            value = _read_value(src, start + at, _shift(&e, start), depth)
        else:
            several = []
            for k in range(p.value_count):
                several.append(_read_value(src, start + at, _shift(&e, start), depth))
                at = e.next - start
                csvb_clusprop_read_entry(base, size, at, &e)
            value = tuple(several)
        if PyDict_SetDefault(props, name, value) != <PyObject *>value:  # (borrowed)
            raise _InvalidDataError(
                f"malformed CLUSPROP list at byte {start + p.name.data - 8}: property "
                f"{name!r} appears twice", offset=start + p.name.data - 8)
    trailing[0] = r.trailing
    return props


cdef inline const csvb_clusprop_entry *_shift(csvb_clusprop_entry *e, size_t start) noexcept:
    """Make an entry read relative to a nested list's start absolute in the source."""
    e.data += start
    e.next += start
    return e


cdef _Source _source(object buf, bint copy, Py_buffer *view):
    cdef _Source src = _Source.__new__(_Source)
    try:
        PyObject_GetBuffer(buf, view, PyBUF_SIMPLE)
    except (BufferError, ValueError):  # not contiguous: its bytes, in order, from a copy
        buf = memoryview(buf).tobytes()
        PyObject_GetBuffer(buf, view, PyBUF_SIMPLE)
    src.p = <const uint8_t *>view.buf
    src.n = <size_t>view.len
    src.copy = copy
    src.obj = buf
    return src


cdef class PropertyListCore:
    """The storage of :class:`csvbackup.PropertyList` (its dict of name -> Value or tuple
    of Values, and whether a list-level ENDMARK follows), kept in C so that parsing builds
    lists, nested ones included, without a Python call."""
    cdef public dict _props
    cdef public bint endmark

    @classmethod
    def from_buffer(cls, buf, *, copy=False):
        """Parse the property list that fills `buf` (any buffer; slice it to the bytes the
        server returned). A strided buffer is read through a copy of its bytes.

        With ``copy=False`` BINARY, SECURITY_DESCRIPTOR and user-defined values are
        memoryview slices of `buf` (zero-copy: they see later changes to it); with
        ``copy=True`` they are bytes. Raises InvalidDataError with ``.offset`` when the list
        is malformed (see include/csvbackup/clusprop.h for every check).
        """
        cdef Py_buffer view
        cdef _Source src = _source(buf, copy, &view)
        cdef uint32_t trailing
        try:
            props = _read_list(src, 0, src.n, 0, &trailing)
        finally:
            PyBuffer_Release(&view)
        return _new_property_list(cls, props, trailing)


cdef PropertyListCore _new_property_list(object cls, dict props, Py_ssize_t trailing):
    cdef PropertyListCore pl = PropertyListCore.__new__(cls)
    pl._props = props
    pl.endmark = trailing > 0
    return pl


def parse_value_list(buf, bint copy):
    """The Values of the value list filling `buf` (values, ENDMARK, then only zero DWORDs)."""
    cdef Py_buffer view
    cdef _Source src = _source(buf, copy, &view)
    cdef csvb_clusprop_reader r
    cdef csvb_clusprop_entry e
    cdef list values = []
    cdef int rc
    cdef size_t at
    try:
        csvb_clusprop_begin_value_list(&r, src.p, src.n)
        while True:
            at = r.offset
            rc = csvb_clusprop_next_value(&r, &e)
            if rc == CSVB_CLUSPROP_END:
                return values
            if rc != CSVB_CLUSPROP_OK:
                raise _data_error(rc, r.where)
            values.append(_read_value(src, at, &e, 0))
    finally:
        PyBuffer_Release(&view)
