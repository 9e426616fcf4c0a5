# CLUSPROP property lists and value lists: sizing, packing into any writable buffer, and
# parsing any buffer with every entry checked by include/csvbackup/clusprop.h. Included by
# _csvcore.pyx. Property lists arrive here as the facade's dict name -> Value | tuple.


def clusprop_strerror(int code):
    """What a csvb_clusprop_error code means (csvb_clusprop_strerror)."""
    return csvb_clusprop_strerror(code).decode("ascii")


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
    pl = v.value
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
        pl = v.value
        n = _value_length(v)
        _room(off, 8 + n, end)
        csvb_store_u32(buf + off, v.syntax)
        csvb_store_u32(buf + off + 4, <uint32_t>n)
        return _put_list(pl._props, pl.endmark, buf, off + 8, off + 8 + n)  # whole DWORDs
    off_next = csvb_clusprop_write_header(buf, off, v.syntax, v._length)
    p = buf + off + 8
    if (fmt == CSVB_CLUSPROP_FORMAT_SZ or fmt == CSVB_CLUSPROP_FORMAT_EXPAND_SZ
            or fmt == CSVB_CLUSPROP_FORMAT_EXPANDED_SZ):
        p = _put_utf16(<str>v.value, p)
        csvb_store_u16(p, 0)
    elif fmt == CSVB_CLUSPROP_FORMAT_MULTI_SZ:
        for s in <tuple>v.value:
            p = _put_utf16(<str>s, p)
            csvb_store_u16(p, 0)
            p += 2
        csvb_store_u16(p, 0)
    elif v._length:
        if type(v.value) is bytes:
            memcpy(p, PyBytes_AS_STRING(v.value), v._length)
        else:
            raw = v.value
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
    v.syntax = e.syntax
    v._length = e.length
    if fmt == CSVB_CLUSPROP_FORMAT_DWORD:
        x = csvb_load_u32(d)
        v._bits, v.value = x, <uint32_t>x
    elif fmt == CSVB_CLUSPROP_FORMAT_SZ or fmt == CSVB_CLUSPROP_FORMAT_EXPAND_SZ \
            or fmt == CSVB_CLUSPROP_FORMAT_EXPANDED_SZ:
        v.value = _get_utf16(d, e.length // 2 - 1)
    elif fmt == CSVB_CLUSPROP_FORMAT_LONG:
        x = csvb_load_u32(d)
        v._bits, v.value = x, <int32_t>x
    elif fmt == CSVB_CLUSPROP_FORMAT_WORD:
        x = csvb_load_u16(d)
        v._bits, v.value = x, <uint16_t>x
    elif fmt == CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER or fmt == CSVB_CLUSPROP_FORMAT_FILETIME:
        x = csvb_load_u64(d)
        v._bits, v.value = x, x
    elif fmt == CSVB_CLUSPROP_FORMAT_LARGE_INTEGER:
        x = csvb_load_u64(d)
        v._bits, v.value = x, <int64_t>x
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
        v.value = tuple(items)
        v._length = 2 + sum([(_utf16_units(s) + 1) * 2 for s in items])  # "\0\0" -> 2
    elif fmt == CSVB_CLUSPROP_FORMAT_PROPERTY_LIST:
        props, trailing = _read_list(src, e.data, e.length, depth + 1)
        v.value = _hooks.property_list._adopt(props, trailing > 0)
        v._length = 0
    elif src.copy:
        v.value = PyBytes_FromStringAndSize(<const char *>d, e.length)
    else:
        v.value = src.byte_view()[e.data:e.data + e.length]
    return v


# Property names repeat across the lists a cataloger parses: a small direct-mapped cache
# from a name's UTF-16 bytes to its str (whose hash is then cached too) saves decoding and
# hashing each time. Only touched with the GIL held.
cdef enum:
    _NAME_SLOTS = 4096
    _NAME_MAX_BYTES = 128

cdef PyObject *_name_str[_NAME_SLOTS]
cdef uint32_t _name_len[_NAME_SLOTS]
cdef uint8_t _name_raw[_NAME_SLOTS][_NAME_MAX_BYTES]


cdef str _get_name(const uint8_t *p, size_t nbytes):
    """The str of a UTF-16LE name of nbytes bytes (without its NUL), through the cache."""
    cdef uint64_t h = nbytes, w
    cdef size_t k, slot
    cdef str s
    if nbytes > _NAME_MAX_BYTES:
        return _get_utf16(p, nbytes // 2)
    for k in range(0, nbytes, 8):  # 8 bytes a step: multiply-xorshift
        w = 0
        memcpy(&w, p + k, 8 if nbytes - k >= 8 else nbytes - k)
        h = (h ^ w) * 0x9E3779B97F4A7C15u
        h ^= h >> 29
    slot = (h ^ (h >> 32)) & (_NAME_SLOTS - 1)
    if (_name_str[slot] != NULL and _name_len[slot] == nbytes
            and memcmp(_name_raw[slot], p, nbytes) == 0):
        return <str>_name_str[slot]
    s = _get_utf16(p, nbytes // 2)
    Py_XDECREF(_name_str[slot])
    Py_INCREF(s)
    _name_str[slot] = <PyObject *>s
    _name_len[slot] = <uint32_t>nbytes
    memcpy(_name_raw[slot], p, nbytes)
    return s


cdef tuple _read_list(_Source src, size_t start, size_t size, int depth):
    """(dict name -> Value | tuple, trailing ENDMARK count) of the list at src[start:+size]."""
    cdef csvb_clusprop_reader r
    cdef csvb_clusprop_property p
    cdef csvb_clusprop_entry e
    cdef const uint8_t *base = src.p + start
    cdef int rc = csvb_clusprop_begin_list(&r, base, size, depth)
    cdef dict props
    cdef Py_ssize_t before
    cdef uint32_t k
    cdef size_t at
    cdef list several
    if rc != CSVB_CLUSPROP_OK:
        raise _data_error(rc, start + r.where)
    props = _PyDict_NewPresized(r.count)  # the count was checked against the buffer size
    while True:
        rc = csvb_clusprop_next_property(&r, &p)
        if rc == CSVB_CLUSPROP_END:
            break
        if rc != CSVB_CLUSPROP_OK:
            raise _data_error(rc, start + r.where)
        name = _get_name(base + p.name.data, p.name.length - 2)
        at = p.first_value
        csvb_clusprop_read_entry(base, size, at, &e)
        if p.value_count == 1:
            value = _read_value(src, start + at, _shift(&e, start), depth)
        else:
            several = []
            for k in range(p.value_count):
                several.append(_read_value(src, start + at, _shift(&e, start), depth))
                at = e.next - start
                csvb_clusprop_read_entry(base, size, at, &e)
            value = tuple(several)
        before = len(props)
        props[name] = value
        if len(props) == before:
            raise _InvalidDataError(
                f"malformed CLUSPROP list at byte {start + p.name.data - 8}: property "
                f"{name!r} appears twice", offset=start + p.name.data - 8)
    return props, r.trailing


cdef inline const csvb_clusprop_entry *_shift(csvb_clusprop_entry *e, size_t start) noexcept:
    """Make an entry read relative to a nested list's start absolute in the source."""
    e.data += start
    e.next += start
    return e


cdef _Source _source(object buf, bint copy, Py_buffer *view):
    cdef _Source src = _Source.__new__(_Source)
    PyObject_GetBuffer(buf, view, PyBUF_SIMPLE)
    src.p = <const uint8_t *>view.buf
    src.n = <size_t>view.len
    src.copy = copy
    src.obj = buf
    return src


def parse_property_list(buf, bint copy):
    """(dict name -> Value | tuple of Values, trailing list-level ENDMARK count) of the
    property list filling `buf`. InvalidDataError (with .offset) when it is malformed."""
    cdef Py_buffer view
    cdef _Source src = _source(buf, copy, &view)
    try:
        return _read_list(src, 0, src.n, 0)
    finally:
        PyBuffer_Release(&view)


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
