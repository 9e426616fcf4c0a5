# CLUSPROP values: one class per CLUSPROP_FORMAT, each holding its syntax and its Python
# value, plus what packing needs without touching Python objects again (the wire bits of
# fixed-size formats, the cbLength of the others). Included by _csvcore.pyx.
#
# Encodings are docs/reference/cluster-formats.md section 1.2:
# DWORD/LONG 4 bytes, WORD 2 (+2 padding), (U)LARGE_INTEGER and FILETIME 8 (only 4-byte aligned on
# the wire), strings UTF-16LE with their NUL counted in cbLength, MULTI_SZ with one more NUL, BINARY
# / SECURITY_DESCRIPTOR / user formats raw.


# === UTF-16 without the codec machinery ===
# Names and string values are written straight from the str's own storage (latin-1, UCS-2
# or UCS-4): no temporary bytes object per string. Lone surrogates pass through both ways
# (like the "surrogatepass" error handler) so any wire string round-trips byte for byte.

cdef inline Py_ssize_t _utf16_units(str s):
    """UTF-16 code units of `s` (its length plus one per character above U+FFFF)."""
    cdef Py_ssize_t k, n = PyUnicode_GET_LENGTH(s), extra = 0
    cdef const uint32_t *d4
    if PyUnicode_KIND(s) != PyUnicode_4BYTE_KIND:
        return n
    d4 = <const uint32_t *>PyUnicode_DATA(s)
    for k in range(n):
        extra += d4[k] > 0xFFFF
    return n + extra


cdef inline uint8_t *_put_utf16(str s, uint8_t *p) noexcept:
    """Write `s` as UTF-16LE at p (no NUL); returns the end."""
    cdef Py_ssize_t k, n = PyUnicode_GET_LENGTH(s)
    cdef unsigned int kind = PyUnicode_KIND(s)
    cdef const uint8_t *d1
    cdef const uint16_t *d2
    cdef const uint32_t *d4
    cdef uint32_t c
    if kind == PyUnicode_1BYTE_KIND:
        d1 = <const uint8_t *>PyUnicode_DATA(s)
        for k in range(n):
            p[2 * k] = d1[k]
            p[2 * k + 1] = 0
        return p + 2 * n
    if kind == PyUnicode_2BYTE_KIND:
        d2 = <const uint16_t *>PyUnicode_DATA(s)
        for k in range(n):
            csvb_store_u16(p + 2 * k, d2[k])
        return p + 2 * n
    d4 = <const uint32_t *>PyUnicode_DATA(s)
    for k in range(n):
        c = d4[k]
        if c > 0xFFFF:
            c -= 0x10000
            csvb_store_u16(p, <uint16_t>(0xD800 + (c >> 10)))
            csvb_store_u16(p + 2, <uint16_t>(0xDC00 + (c & 0x3FF)))
            p += 4
        else:
            csvb_store_u16(p, <uint16_t>c)
            p += 2
    return p


cdef str _get_utf16(const uint8_t *p, Py_ssize_t n):
    """`n` UTF-16LE code units at p (no NUL among them) as a str."""
    cdef Py_ssize_t k
    cdef uint16_t u, top = 0
    cdef bint surrogates = False
    cdef str s
    cdef uint8_t *d1
    cdef uint16_t *d2
    cdef int byteorder = -1
    for k in range(n):
        u = csvb_load_u16(p + 2 * k)
        if u > top:
            top = u
        if 0xD800 <= u <= 0xDFFF:
            surrogates = True
    if surrogates:
        return PyUnicode_DecodeUTF16(<char *>p, 2 * n, "surrogatepass", &byteorder)
    s = PyUnicode_New(n, top)  # the exact maximum keeps the str in its canonical kind
    if top < 0x100:
        d1 = <uint8_t *>PyUnicode_DATA(s)
        for k in range(n):
            d1[k] = p[2 * k]
    else:
        d2 = <uint16_t *>PyUnicode_DATA(s)
        for k in range(n):
            d2[k] = csvb_load_u16(p + 2 * k)
    return s


# === Errors (messages are the facade's; these only carry the code and where) ===

cdef object _data_error(int code, size_t where, str what=None):
    text = csvb_clusprop_strerror(code).decode("ascii")
    if what:
        text = f"{what}: {text}"
    return _InvalidDataError(f"malformed CLUSPROP list at byte {where}: {text}", offset=where)


cdef str _syntax_text(uint32_t syntax):
    return f"0x{syntax:08X}"


cdef int _check_value_syntax(uint32_t syntax) except -1:
    cdef int rc = csvb_clusprop_check_value_syntax(syntax)
    if rc == CSVB_CLUSPROP_BAD_VALUE_SYNTAX:
        raise _InvalidParameterError(f"syntax {_syntax_text(syntax)} is NAME or ENDMARK, not a value")
    if rc != CSVB_CLUSPROP_OK:
        raise _InvalidParameterError(
            f"syntax {_syntax_text(syntax)} is reserved: neither its type nor its format is "
            "defined or user-defined (>= 0x8000)")
    return 0


# === Value classes ===

cdef uint32_t _LIST_VALUE = 0x00010000


# Values are not tracked by the cycle collector (@no_gc): they hold only ints, strs, tuples
# of str, bytes, memoryviews and PropertyLists, and packing refuses a PropertyList that
# contains itself; parsing then creates no GC-tracked object per value.
@cython.no_gc
@cython.freelist(1024)
cdef class Value:
    """One CLUSPROP value: ``syntax`` (CLUSPROP_SYNTAX, a DWORD) and ``value`` (Python).

    ``Value(syntax, value)`` builds any value; the format half of the syntax decides how
    ``value`` is encoded. The subclasses (``Dword``, ``Sz``, ...) fix the format and default
    to the LIST_VALUE type. User-defined syntaxes (type or format >= 0x8000) hold raw bytes.

    Values are immutable and behave like what they hold:

    * a fixed-size number (DWORD, LONG, WORD, (U)LARGE_INTEGER, FILETIME) supports
      ``int()``, ``operator.index`` (so it slices, formats with ``%x``, converts to
      ``float``), ``bool`` and ``== int``; a FILETIME also has ``.datetime``;
    * a string (SZ, EXPAND_SZ, EXPANDED_SZ) is ``== str`` and ``str()`` gives its text;
    * a MULTI_SZ is ``==`` a list or tuple of its strings; raw bytes (BINARY,
      SECURITY_DESCRIPTOR, user formats) are ``==`` bytes-like data.

    Each hashes as the plain value it equals, so ``a == b`` implies ``hash(a) == hash(b)``.
    Two *values* are equal only when their syntaxes are equal too: ``Dword(1) == 1`` and
    ``Long(1) == 1``, but ``Dword(1) != Long(1)`` (their bytes on the wire differ).
    """
    cdef readonly uint32_t syntax
    cdef object _value       # None for fixed-size formats: their int is made from _bits
    cdef uint64_t _bits      # fixed-size formats: the wire value
    cdef uint32_t _length    # cbLength (for PROPERTY_LIST: computed when packed)

    @property
    def value(self):
        """The Python value: int, str, tuple of str, bytes (or memoryview), PropertyList."""
        return self._py()

    cdef inline object _py(self):
        # Parsing makes no int object per fixed-size value (most of a DWORD-heavy list):
        # the int is made when asked for.
        if self._value is not None:
            return self._value
        return _fixed_int(self.syntax & 0xFFFF, self._bits)

    def __init__(self, syntax, value):
        _init_value(self, _as_syntax(syntax), value)

    @property
    def format(self):
        """The Format half of the syntax (an int when it is user-defined)."""
        return _enum_or_int(_Format, self.syntax & 0xFFFF)

    @property
    def type(self):
        """The PropType half of the syntax (an int when it is user-defined)."""
        return _enum_or_int(_PropType, self.syntax >> 16)

    @property
    def length(self):
        """cbLength: the bytes of data this value takes on the wire, without padding."""
        return _value_length(self)

    def __eq__(self, other):
        if isinstance(other, Value):
            return (self.syntax == (<Value>other).syntax
                    and _plain(self._py()) == _plain((<Value>other)._py()))
        return _equals_plain(self, other)

    def __hash__(self):
        # The plain value's hash: a value equal to an int, str, tuple or bytes hashes as it.
        # Values of other syntaxes holding the same thing collide, which equality allows.
        return hash(_plain(self._py()))

    def __index__(self):
        if not _is_fixed_int(self.syntax & 0xFFFF):
            raise TypeError(f"a {_format_name(self.syntax)} value is not an integer")
        return _fixed_int(self.syntax & 0xFFFF, self._bits)

    def __int__(self):
        return self.__index__()

    def __bool__(self):
        # Numbers are false at zero, like int; every other value is a thing that is there.
        if _is_fixed_int(self.syntax & 0xFFFF):
            return self._bits != 0
        return True

    def __str__(self):
        if _is_string_format(self.syntax & 0xFFFF):
            return self._value
        return repr(self)

    def __format__(self, spec):
        # f"{v:08X}" formats the number, f"{v:>20}" the text: as the plain value would.
        if spec and (_is_fixed_int(self.syntax & 0xFFFF)
                     or _is_string_format(self.syntax & 0xFFFF)):
            return format(self._py(), spec)
        return format(str(self), spec)

    def __repr__(self):
        shown = _plain(self._py())
        name = type(self).__name__
        if type(self) is Value:
            return f"Value({_syntax_text(self.syntax)}, {shown!r})"
        if self.syntax >> 16 != 1:
            return f"{name}({shown!r}, syntax={_syntax_text(self.syntax)})"
        return f"{name}({shown!r})"

    def __reduce__(self):
        return _rebuild_value, (self.syntax, _plain(self._py()))


def _rebuild_value(syntax, value):
    """Unpickle a value as the class its format decodes to."""
    cdef Value v = _new_value(syntax)
    _init_value(v, syntax, value)
    return v


cdef object _plain(object value):
    """Memoryviews (zero-copy parses) compare and hash as the bytes they show."""
    return value.tobytes() if isinstance(value, memoryview) else value


from numbers import Integral as _Integral


cdef inline bint _is_string_format(uint32_t fmt) noexcept:
    return (fmt == CSVB_CLUSPROP_FORMAT_SZ or fmt == CSVB_CLUSPROP_FORMAT_EXPAND_SZ
            or fmt == CSVB_CLUSPROP_FORMAT_EXPANDED_SZ)


cdef str _format_name(uint32_t syntax):
    f = _enum_or_int(_Format, syntax & 0xFFFF)
    return getattr(f, "name", f"format 0x{syntax & 0xFFFF:04X}")


cdef object _equals_plain(Value v, object other):
    """``v == other`` for a plain Python `other`: the number, text, strings or bytes v holds
    (NotImplemented for anything else, so Python falls back to identity)."""
    cdef uint32_t fmt = v.syntax & 0xFFFF
    if _is_fixed_int(fmt):
        if isinstance(other, _Integral):  # int, bool and numpy's integers, as int does
            return _fixed_int(fmt, v._bits) == other
        return NotImplemented
    if _is_string_format(fmt):
        return v._value == other if isinstance(other, str) else NotImplemented
    if fmt == CSVB_CLUSPROP_FORMAT_MULTI_SZ:
        if isinstance(other, (list, tuple)):
            return v._value == tuple(other)
        return NotImplemented
    if fmt == CSVB_CLUSPROP_FORMAT_PROPERTY_LIST:
        return NotImplemented
    if isinstance(other, (bytes, bytearray, memoryview)):
        return _plain(v._value) == _plain(other)
    return NotImplemented


# The facade's classes and conversions the core builds or calls, given once by _bind: the core
# imports nothing of the facade but csvbackup.errors.
cdef object _PropertyList = None
cdef object _PropType = None
cdef object _Format = None
cdef object _to_filetime = None
cdef object _filetime_to_datetime = None


def _bind(*, property_list, prop_type, format, to_filetime, filetime_to_datetime):
    """Give the core the facade's pieces it needs (called once, at import, by the facade
    module that defines PropertyList).

    Parameters
    ----------
    property_list : type
        The PropertyList class: nested PROPERTY_LIST values are parsed into instances of it
        and only its instances are accepted as such values.
    prop_type, format : type
        The PropType and Format enums `Value.type` and `Value.format` return.
    to_filetime : callable
        Converts a datetime or datetime64 given for a FILETIME into its ticks.
    filetime_to_datetime : callable
        Converts ticks into the datetime `FileTime.datetime` returns.
    """
    global _PropertyList, _PropType, _Format, _to_filetime, _filetime_to_datetime
    _PropertyList, _PropType, _Format = property_list, prop_type, format
    _to_filetime, _filetime_to_datetime = to_filetime, filetime_to_datetime


cdef object _enum_or_int(object enum_type, uint32_t v):
    try:
        return enum_type(v)
    except ValueError:
        return v


cdef uint32_t _as_syntax(object syntax) except? 0xFFFFFFFF:
    s = _operator.index(syntax)
    if not 0 <= s <= 0xFFFFFFFF:
        raise _InvalidParameterError(f"syntax {s} is not a DWORD")
    return <uint32_t>s


cdef uint32_t _pick_syntax(object syntax, uint32_t fmt) except? 0xFFFFFFFF:
    """The syntax a subclass constructor uses: LIST_VALUE of its format, or the caller's,
    which must have that format."""
    cdef uint32_t s
    if syntax is None:
        return _LIST_VALUE | fmt
    s = _as_syntax(syntax)
    if (s & 0xFFFF) != fmt:
        raise _InvalidParameterError(
            f"syntax {_syntax_text(s)} has format {s & 0xFFFF}, this class encodes format {fmt}")
    return s


cdef object _int_in(object value, object lo, object hi, str what):
    if isinstance(value, float):
        raise TypeError(f"a {what} takes an integer, not {value!r}")
    x = _operator.index(value)
    if not lo <= x <= hi:
        raise _InvalidParameterError(f"{x} does not fit a {what} [{lo}, {hi}]")
    return x


cdef bytes _as_bytes(object value, str what):
    if isinstance(value, bytes):
        return value
    if isinstance(value, (str, int)):
        raise TypeError(f"a {what} takes bytes-like data, not {type(value).__name__}")
    return memoryview(value).tobytes()


cdef str _as_string(object value, str what):
    if not isinstance(value, str):
        raise TypeError(f"a {what} takes str, not {type(value).__name__}")
    if "\0" in <str>value:
        raise _InvalidParameterError(f"a {what} cannot hold a NUL character: {value!r}")
    return <str>value


cdef uint32_t _string_length(str s, str what) except? 0:
    cdef Py_ssize_t n = (_utf16_units(s) + 1) * 2
    if n > 0xFFFFFFFC:
        raise _InvalidParameterError(f"a {what} of {n} bytes does not fit cbLength")
    return <uint32_t>n


cdef int _init_value(Value v, uint32_t syntax, object value) except -1:
    """Check `value` for the format of `syntax` and fill v."""
    cdef uint32_t fmt = syntax & 0xFFFF
    cdef Py_ssize_t total
    _check_value_syntax(syntax)
    v.syntax = syntax
    if fmt == CSVB_CLUSPROP_FORMAT_DWORD:
        x = _int_in(value, 0, 0xFFFFFFFF, "DWORD")
        v._bits, v._length = <uint64_t>x, 4
    elif fmt == CSVB_CLUSPROP_FORMAT_LONG:
        x = _int_in(value, -0x80000000, 0x7FFFFFFF, "LONG")
        v._bits, v._length = <uint64_t>(x & 0xFFFFFFFF), 4
    elif fmt == CSVB_CLUSPROP_FORMAT_WORD:
        x = _int_in(value, 0, 0xFFFF, "WORD")
        v._bits, v._length = <uint64_t>x, 2
    elif fmt == CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER:
        x = _int_in(value, 0, 0xFFFFFFFFFFFFFFFF, "ULARGE_INTEGER")
        v._bits, v._length = <uint64_t>x, 8
    elif fmt == CSVB_CLUSPROP_FORMAT_LARGE_INTEGER:
        x = _int_in(value, -0x8000000000000000, 0x7FFFFFFFFFFFFFFF, "LARGE_INTEGER")
        v._bits, v._length = <uint64_t>(x & 0xFFFFFFFFFFFFFFFF), 8
    elif fmt == CSVB_CLUSPROP_FORMAT_FILETIME:
        if not isinstance(value, int) and not hasattr(value, "__index__"):
            value = _to_filetime(value)
        x = _int_in(value, 0, 0xFFFFFFFFFFFFFFFF, "FILETIME")
        v._bits, v._length = <uint64_t>x, 8
    elif (fmt == CSVB_CLUSPROP_FORMAT_SZ or fmt == CSVB_CLUSPROP_FORMAT_EXPAND_SZ
          or fmt == CSVB_CLUSPROP_FORMAT_EXPANDED_SZ):
        x = _as_string(value, "string value")
        v._length = _string_length(x, "string value")
    elif fmt == CSVB_CLUSPROP_FORMAT_MULTI_SZ:
        if isinstance(value, (str, bytes)):
            raise TypeError("a MULTI_SZ takes a sequence of str, not a single string")
        x = tuple(value)
        total = 2
        for s in x:
            if not s:
                raise _InvalidParameterError(
                    "a MULTI_SZ cannot hold an empty string (it would end the list)")
            total += _string_length(_as_string(s, "MULTI_SZ string"), "MULTI_SZ string")
        if total > 0xFFFFFFFC:
            raise _InvalidParameterError(f"a MULTI_SZ of {total} bytes does not fit cbLength")
        v._length = <uint32_t>total
    elif fmt == CSVB_CLUSPROP_FORMAT_PROPERTY_LIST:
        if not isinstance(value, _PropertyList):
            raise TypeError(f"a PROPERTY_LIST value takes a PropertyList, not {type(value).__name__}")
        x = value
        v._length = 0
    else:  # BINARY, SECURITY_DESCRIPTOR, VALUE_LIST and user formats: raw bytes
        x = _as_bytes(value, "binary value")
        if len(x) > 0xFFFFFFFC:
            raise _InvalidParameterError(f"{len(x)} bytes do not fit cbLength")
        if (fmt == CSVB_CLUSPROP_FORMAT_SECURITY_DESCRIPTOR
                and not csvb_clusprop_check_security_descriptor(<const uint8_t *><const char *>x,
                                                                <uint32_t>len(x))):
            raise _InvalidParameterError(
                "not a well-formed self-relative security descriptor (revision 1, "
                "SE_SELF_RELATIVE, owner/group SIDs and present ACLs inside the data)")
        v._length = <uint32_t>len(x)
    if not _is_fixed_int(fmt):
        v._value = x
    return 0


cdef inline bint _is_fixed_int(uint32_t fmt) noexcept:
    return (fmt == CSVB_CLUSPROP_FORMAT_DWORD or fmt == CSVB_CLUSPROP_FORMAT_LONG
            or fmt == CSVB_CLUSPROP_FORMAT_WORD or fmt == CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER
            or fmt == CSVB_CLUSPROP_FORMAT_LARGE_INTEGER or fmt == CSVB_CLUSPROP_FORMAT_FILETIME)


cdef object _fixed_int(uint32_t fmt, uint64_t bits):
    """The int of a fixed-size value's wire bits (LONG and LARGE_INTEGER are signed)."""
    if fmt == CSVB_CLUSPROP_FORMAT_LONG:
        return <int32_t><uint32_t>bits
    if fmt == CSVB_CLUSPROP_FORMAT_LARGE_INTEGER:
        return <int64_t>bits
    return bits


cdef class Dword(Value):
    """CLUSPROP_FORMAT_DWORD: an unsigned 32-bit integer."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_DWORD), value)


cdef class Long(Value):
    """CLUSPROP_FORMAT_LONG: a signed 32-bit integer."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_LONG), value)


cdef class Word(Value):
    """CLUSPROP_FORMAT_WORD: an unsigned 16-bit integer (cbLength 2, then 2 padding bytes)."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_WORD), value)


cdef class ULargeInteger(Value):
    """CLUSPROP_FORMAT_ULARGE_INTEGER: an unsigned 64-bit integer (4-byte aligned on the wire)."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER), value)


cdef class LargeInteger(Value):
    """CLUSPROP_FORMAT_LARGE_INTEGER: a signed 64-bit integer (4-byte aligned on the wire)."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_LARGE_INTEGER), value)


cdef class FileTime(Value):
    """CLUSPROP_FORMAT_FILETIME: 100-ns ticks since 1601-01-01 UTC (an int, or a datetime /
    numpy.datetime64, converted exactly)."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_FILETIME), value)

    @property
    def datetime(self):
        """The time as an aware UTC datetime (truncated to microseconds)."""
        return _filetime_to_datetime(self._py())


cdef class Sz(Value):
    """CLUSPROP_FORMAT_SZ: a str (UTF-16LE with its NUL on the wire)."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_SZ), value)


cdef class ExpandSz(Value):
    """CLUSPROP_FORMAT_EXPAND_SZ: a str holding unexpanded %VARIABLES%."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_EXPAND_SZ), value)


cdef class ExpandedSz(Value):
    """CLUSPROP_FORMAT_EXPANDED_SZ: the expanded form a server returns after an EXPAND_SZ
    (clients must not send it: docs/reference/cluster-formats.md section 1.1)."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_EXPANDED_SZ), value)


cdef class MultiSz(Value):
    """CLUSPROP_FORMAT_MULTI_SZ: a tuple of non-empty str."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_MULTI_SZ), value)


cdef class Binary(Value):
    """CLUSPROP_FORMAT_BINARY: bytes (a memoryview into the source after a zero-copy parse)."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_BINARY), value)


cdef class SecurityDescriptor(Value):
    """CLUSPROP_FORMAT_SECURITY_DESCRIPTOR: a self-relative security descriptor, checked for
    minimal structure (revision 1, SE_SELF_RELATIVE, SIDs and ACLs inside the data)."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_SECURITY_DESCRIPTOR), value)


cdef class PropertyListValue(Value):
    """CLUSPROP_FORMAT_PROPERTY_LIST: a nested PropertyList (Windows Server 2016 and later)."""

    def __init__(self, value, syntax=None):
        _init_value(self, _pick_syntax(syntax, CSVB_CLUSPROP_FORMAT_PROPERTY_LIST), value)


cdef Value _new_value(uint32_t syntax):
    """An empty instance of the class that decodes `syntax`'s format."""
    cdef uint32_t fmt = syntax & 0xFFFF
    if fmt == CSVB_CLUSPROP_FORMAT_DWORD:
        return Dword.__new__(Dword)
    if fmt == CSVB_CLUSPROP_FORMAT_SZ:
        return Sz.__new__(Sz)
    if fmt == CSVB_CLUSPROP_FORMAT_LONG:
        return Long.__new__(Long)
    if fmt == CSVB_CLUSPROP_FORMAT_WORD:
        return Word.__new__(Word)
    if fmt == CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER:
        return ULargeInteger.__new__(ULargeInteger)
    if fmt == CSVB_CLUSPROP_FORMAT_LARGE_INTEGER:
        return LargeInteger.__new__(LargeInteger)
    if fmt == CSVB_CLUSPROP_FORMAT_FILETIME:
        return FileTime.__new__(FileTime)
    if fmt == CSVB_CLUSPROP_FORMAT_EXPAND_SZ:
        return ExpandSz.__new__(ExpandSz)
    if fmt == CSVB_CLUSPROP_FORMAT_EXPANDED_SZ:
        return ExpandedSz.__new__(ExpandedSz)
    if fmt == CSVB_CLUSPROP_FORMAT_MULTI_SZ:
        return MultiSz.__new__(MultiSz)
    if fmt == CSVB_CLUSPROP_FORMAT_BINARY:
        return Binary.__new__(Binary)
    if fmt == CSVB_CLUSPROP_FORMAT_SECURITY_DESCRIPTOR:
        return SecurityDescriptor.__new__(SecurityDescriptor)
    if fmt == CSVB_CLUSPROP_FORMAT_PROPERTY_LIST:
        return PropertyListValue.__new__(PropertyListValue)
    return Value.__new__(Value)


# === Plain Python values ===

cpdef Value as_value(object obj):
    """The Value a plain Python object stands for: int -> DWORD (when it fits), str -> SZ,
    a sequence of str -> MULTI_SZ, bytes-like -> BINARY, datetime -> FILETIME,
    PropertyList -> PROPERTY_LIST. Values are returned as they are."""
    cdef Value v
    if isinstance(obj, Value):
        return <Value>obj
    if isinstance(obj, str):
        v = Sz.__new__(Sz)
        _init_value(v, _LIST_VALUE | CSVB_CLUSPROP_FORMAT_SZ, obj)
        return v
    if isinstance(obj, int) or (hasattr(obj, "__index__") and not isinstance(obj, float)):
        x = _operator.index(obj)
        if not 0 <= x <= 0xFFFFFFFF:
            raise _InvalidParameterError(
                f"{x} does not fit a DWORD; wrap it: Long, LargeInteger or ULargeInteger")
        v = Dword.__new__(Dword)
        v.syntax, v._bits, v._length = _LIST_VALUE | CSVB_CLUSPROP_FORMAT_DWORD, x, 4
        return v
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return Binary(obj)
    if isinstance(obj, (list, tuple)):
        return MultiSz(obj)
    if _PropertyList is not None and isinstance(obj, _PropertyList):
        return PropertyListValue(obj)
    if isinstance(obj, _datetime_types()):
        return FileTime(obj)
    raise TypeError(f"no CLUSPROP format for {type(obj).__name__}; wrap it in a value class "
                    "(Dword, Sz, Binary, ...)")


cdef tuple _DATETIME_TYPES = None


cdef tuple _datetime_types():
    global _DATETIME_TYPES
    if _DATETIME_TYPES is None:
        import datetime
        import numpy
        _DATETIME_TYPES = (datetime.datetime, numpy.datetime64)
    return _DATETIME_TYPES


cpdef object as_property_values(object obj):
    """What a property holds: one Value, or a tuple of two or more (a tuple or list whose
    items are all Values is several values; anything else is one plain value)."""
    if isinstance(obj, (tuple, list)) and len(obj) and _all_values(obj):
        return (<Value>obj[0]) if len(obj) == 1 else tuple(obj)
    return as_value(obj)


cdef bint _all_values(object items):
    for x in items:
        if not isinstance(x, Value):
            return False
    return True
