# CLUS_SHARED_VOLUME_BACKUP_MODE and the cluster control codes (include/csvbackup/csv_backup.h).
# Included by _csvcore.pyx. Every check is the C header's, on the exact bytes that go on the
# wire: packing builds the 528 bytes on the stack, checks them as a receiver would, and only
# then copies them to the caller's buffer.


def clus_objects():
    """[(name, value, in mingw's clusapi.h)] of CLUS_OBJECT_* (csv_backup.h)."""
    return named_rows(csvb_objects_, csvb_objects_len_)


def clctl_codes():
    """[(name, value, in mingw's clusapi.h)] of the CLCTL_* base codes (csv_backup.h)."""
    return named_rows(csvb_clctls_, csvb_clctls_len_)


def clusctl_codes():
    """[(name, value, in mingw's clusapi.h)] of the CLUSCTL_* codes (csv_backup.h)."""
    return named_rows(csvb_clusctls_, csvb_clusctls_len_)


def decode_control_code(uint32_t code):
    """(object, function, access, modify, internal, user, global) of a control code."""
    cdef csvb_clusctl_fields f = csvb_clusctl_decode(code)
    return (f.object, f.function, f.access, bool(f.modify), bool(f.internal), bool(f.user),
            bool(f.global_))


BACKUP_MODE_SIZE = CSVB_BACKUP_MODE_SIZE


cdef str _backup_mode_text(int rc):
    return csvb_backup_mode_strerror(rc).decode("ascii")


cdef int _build_backup_mode(uint8_t *out, object state, object delay, str name) except -1:
    """Fill the 528 bytes at out from Python values, checked as a receiver checks them."""
    cdef Py_ssize_t units, k
    cdef uint8_t raw[2 * 260 + 4]
    cdef size_t n, where
    cdef int rc
    if not isinstance(state, int) or not 0 <= state <= 0xFFFFFFFF:
        raise _InvalidParameterError(f"BackupState {state!r} is not a DWORD")
    if not isinstance(delay, int) or not 0 <= delay <= 0xFFFFFFFF:
        raise _InvalidParameterError(f"DelayTimerInSecs {delay!r} is not a DWORD")
    k = name.find("\0")
    if k >= 0:
        raise _InvalidParameterError(f"VolumeName holds a NUL at index {k}")
    units = _utf16_units(name)
    if units > CSVB_MAX_PATH - 1:
        raise _InvalidParameterError(
            f"VolumeName is {units} WCHARs: at most {CSVB_MAX_PATH - 1} fit with the NUL "
            f"in WCHAR VolumeName[{CSVB_MAX_PATH}]")
    _put_utf16(name, raw)
    csvb_backup_mode_write(out, <uint32_t>state, <uint32_t>delay, raw, <size_t>units)
    rc = csvb_backup_mode_check(out, CSVB_BACKUP_MODE_SIZE, &n, &where)
    if rc != CSVB_BACKUP_MODE_OK:
        raise _InvalidParameterError(f"invalid CLUS_SHARED_VOLUME_BACKUP_MODE: "
                                     f"{_backup_mode_text(rc)} (got {_mode_repr(state, delay, name)})")
    return 0


cdef str _mode_repr(object state, object delay, str name):
    return f"state {state}, delay {delay} s, name {name!r}"


def check_backup_mode(state, delay, str name):
    """Raise InvalidParameterError naming the rule when (state, delay, name) is not a valid
    CLUS_SHARED_VOLUME_BACKUP_MODE."""
    cdef uint8_t out[528]
    _build_backup_mode(out, state, delay, name)


def backup_mode_bytes(state, delay, str name):
    """The 528 bytes of a CLUS_SHARED_VOLUME_BACKUP_MODE (checked)."""
    cdef bytes b = PyBytes_FromStringAndSize(NULL, CSVB_BACKUP_MODE_SIZE)
    _build_backup_mode(<uint8_t *>PyBytes_AS_STRING(b), state, delay, name)
    return b


def pack_backup_mode(state, delay, str name, buf, Py_ssize_t offset):
    """Write a CLUS_SHARED_VOLUME_BACKUP_MODE into writable `buf` at `offset`; returns 528.
    MoreDataError(.required) when it does not fit; nothing is written on any error."""
    cdef uint8_t out[528]
    cdef Py_buffer view
    _build_backup_mode(out, state, delay, name)
    PyObject_GetBuffer(buf, &view, PyBUF_WRITABLE)
    try:
        if offset < 0 or offset > view.len:
            raise _InvalidParameterError(f"offset {offset} is outside the {view.len}-byte buffer")
        if <Py_ssize_t>CSVB_BACKUP_MODE_SIZE > view.len - offset:
            raise _MoreDataError(
                f"a CLUS_SHARED_VOLUME_BACKUP_MODE needs {CSVB_BACKUP_MODE_SIZE} bytes at offset "
                f"{offset}: a buffer of {offset + CSVB_BACKUP_MODE_SIZE} bytes, got {view.len}",
                required=offset + CSVB_BACKUP_MODE_SIZE)
        memcpy(<uint8_t *>view.buf + offset, out, CSVB_BACKUP_MODE_SIZE)
    finally:
        PyBuffer_Release(&view)
    return CSVB_BACKUP_MODE_SIZE


def unpack_backup_mode(buf, Py_ssize_t offset):
    """(state, delay, name) of the CLUS_SHARED_VOLUME_BACKUP_MODE at buf[offset:offset+528].
    InvalidParameterError naming the rule (and the byte offset) when it breaks one."""
    cdef Py_buffer view
    cdef const uint8_t *p
    cdef size_t n, where
    cdef int rc
    PyObject_GetBuffer(buf, &view, PyBUF_SIMPLE)
    try:
        if offset < 0 or offset > view.len:
            raise _InvalidParameterError(f"offset {offset} is outside the {view.len}-byte buffer")
        p = <const uint8_t *>view.buf + offset
        rc = csvb_backup_mode_check(p, <size_t>(view.len - offset), &n, &where)
        if rc != CSVB_BACKUP_MODE_OK:
            raise _InvalidParameterError(
                f"invalid CLUS_SHARED_VOLUME_BACKUP_MODE at byte {offset + <Py_ssize_t>where}: "
                f"{_backup_mode_text(rc)}" + (f" ({view.len - offset} bytes)" if rc == 1 else ""))
        return (csvb_load_u32(p), csvb_load_u32(p + 4),
                _get_utf16(p + CSVB_BACKUP_MODE_NAME_OFFSET, <Py_ssize_t>n))
    finally:
        PyBuffer_Release(&view)
