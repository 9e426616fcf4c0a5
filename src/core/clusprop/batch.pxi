# Batches of single-property lists, for benchmark suites and catalogers: N lists built from
# one template and a numpy array, and one property read back across N lists, with no Python
# object per list. Included by _csvcore.pyx; csvbackup/clusprop_batch.py checks arguments.


def fill_templates(const uint8_t[::1] template, Py_ssize_t value_at,
                   const uint8_t[::1] values, Py_ssize_t vsize, uint8_t[::1] out,
                   int threads=1, Py_ssize_t grain=65536):
    """out = template repeated len(values) // vsize times, with value i (vsize = 2, 4 or 8
    native-endian bytes) stored little-endian at byte value_at of copy i."""
    cdef size_t n = <size_t>(values.shape[0] // vsize), tsize = <size_t>template.shape[0]
    if vsize not in (2, 4, 8) or values.shape[0] % vsize:
        raise ValueError("fill_templates: values are not whole 2-, 4- or 8-byte items")
    if tsize == 0 or value_at < 0 or <size_t>value_at + vsize > tsize:
        raise ValueError("fill_templates: the value does not lie inside the template")
    if <size_t>out.shape[0] < n * tsize:
        raise ValueError(f"fill_templates: out has {out.shape[0]} bytes, needs {n * tsize}")
    if n == 0:
        return 0
    with nogil:
        csvb_fill_templates_parallel(&out[0], &template[0], tsize, <size_t>value_at,
                                     &values[0], <size_t>vsize, n, threads, <size_t>grain)
    return n * tsize


def check_offsets(const int64_t[::1] offsets, Py_ssize_t size):
    """-1 when offsets are non-decreasing within [0, size], else the first bad index."""
    cdef Py_ssize_t i, n = offsets.shape[0], bad = -1
    with nogil:
        for i in range(n):
            if offsets[i] < 0 or offsets[i] > size or (i and offsets[i] < offsets[i - 1]):
                bad = i
                break
    return bad


def first_format(const uint8_t[::1] buffer, const int64_t[::1] offsets, bytes name):
    """(index, syntax, 0) of the first list that has property `name` (UTF-16LE + NUL);
    (-1, 0, 0) when none has it; (index, -code, byte offset) for a malformed list before it."""
    cdef Py_ssize_t i, n = offsets.shape[0] - 1
    cdef const uint8_t *nm = <const uint8_t *>PyBytes_AS_STRING(name)
    cdef uint32_t nlen = <uint32_t>len(name)
    cdef csvb_clusprop_entry e
    cdef size_t where = 0
    cdef int rc = CSVB_CLUSPROP_END
    if n <= 0:
        return -1, 0, 0
    with nogil:
        for i in range(n):
            rc = csvb_clusprop_find_property(&buffer[0] + offsets[i],
                                             <size_t>(offsets[i + 1] - offsets[i]), nm, nlen,
                                             &e, &where)
            if rc != CSVB_CLUSPROP_END:
                break
    if rc == CSVB_CLUSPROP_END:
        return -1, 0, 0
    if rc != CSVB_CLUSPROP_OK:
        return i, -rc, offsets[i] + <Py_ssize_t>where
    return i, e.syntax, 0


def read_fixed(const uint8_t[::1] buffer, const int64_t[::1] offsets, bytes name,
               uint32_t fmt, uint8_t[::1] out, uint8_t[::1] present):
    """Store the property's value (format `fmt`, a fixed-size one) of each list into `out`
    (native-endian items of the format's size; 0 where absent) and 1/0 into `present`.

    Returns (-1, 0, 0) or the first failure: (index, code, byte offset) where code is a
    csvb_clusprop_error, or -1 for a value of another format."""
    cdef Py_ssize_t i, n = offsets.shape[0] - 1, bad = -1
    cdef const uint8_t *nm = <const uint8_t *>PyBytes_AS_STRING(name)
    cdef uint32_t nlen = <uint32_t>len(name), vsize = csvb_clusprop_fixed_size(fmt)
    cdef csvb_clusprop_entry e
    cdef size_t where = 0
    cdef int rc = 0, code = 0
    cdef const uint8_t *lst
    if n <= 0:
        return -1, 0, 0
    if vsize == 0 or <size_t>out.shape[0] < <size_t>n * vsize or present.shape[0] < n:
        raise ValueError("read_fixed: not a fixed-size format, or outputs too small")
    with nogil:
        for i in range(n):
            lst = &buffer[0] + offsets[i]
            rc = csvb_clusprop_find_property(lst, <size_t>(offsets[i + 1] - offsets[i]), nm,
                                             nlen, &e, &where)
            if rc == CSVB_CLUSPROP_END:
                present[i] = 0
                memset(&out[0] + i * vsize, 0, vsize)
                continue
            if rc != CSVB_CLUSPROP_OK:
                bad, code = i, rc
                break
            if (e.syntax & 0xFFFF) != fmt:
                bad, code, where = i, -1, e.data - 8
                break
            present[i] = 1
            if vsize == 4:
                (<uint32_t *>&out[0])[i] = csvb_load_u32(lst + e.data)
            elif vsize == 8:
                (<uint64_t *>&out[0])[i] = csvb_load_u64(lst + e.data)
            else:
                (<uint16_t *>&out[0])[i] = csvb_load_u16(lst + e.data)
    if bad < 0:
        return -1, 0, 0
    return bad, code, offsets[bad] + <Py_ssize_t>where


def read_objects(const uint8_t[::1] buffer, const int64_t[::1] offsets, bytes name,
                 uint32_t fmt, object[::1] out, uint8_t[::1] present):
    """read_fixed for the other formats: each value as the Python object a Value holds
    (str, tuple of str, bytes), None where absent."""
    cdef Py_ssize_t i, n = offsets.shape[0] - 1
    cdef const uint8_t *nm = <const uint8_t *>PyBytes_AS_STRING(name)
    cdef uint32_t nlen = <uint32_t>len(name)
    cdef csvb_clusprop_entry e
    cdef size_t where = 0
    cdef int rc
    cdef _Source src = _Source.__new__(_Source)
    src.copy = True
    src.p = &buffer[0] if buffer.shape[0] else NULL
    src.n = <size_t>buffer.shape[0]
    for i in range(n):
        rc = csvb_clusprop_find_property(src.p + offsets[i], <size_t>(offsets[i + 1] - offsets[i]),
                                         nm, nlen, &e, &where)
        if rc == CSVB_CLUSPROP_END:
            present[i] = 0
            out[i] = None
            continue
        if rc != CSVB_CLUSPROP_OK:
            return i, rc, offsets[i] + <Py_ssize_t>where
        if (e.syntax & 0xFFFF) != fmt:
            return i, -1, offsets[i] + <Py_ssize_t>(e.data - 8)
        present[i] = 1
        out[i] = _read_value(src, offsets[i] + e.data - 8, _shift(&e, <size_t>offsets[i]), 0)._py()
    return -1, 0, 0
