"""CLUSPROP property lists and value lists, byte-exact with Windows.

A :class:`PropertyList` is an ordered mapping of property name to value. Each value is a
:class:`Value` (``Dword``, ``Sz``, ...); a property with several values (a server returns
an EXPAND_SZ followed by its EXPANDED_SZ) holds them as a tuple. Plain Python values are
turned into values on the way in: ``int`` -> DWORD when it fits, ``str`` -> SZ,
``list[str]`` -> MULTI_SZ, bytes-like -> BINARY, ``datetime`` -> FILETIME, a PropertyList
-> a nested PROPERTY_LIST.

Packing writes into any writable buffer (``bytearray``, ``numpy.uint8`` arrays, ``mmap``);
parsing reads any buffer, checks every entry (docs/reference/cluster-formats.md section 1) and
raises :class:`InvalidDataError` with the byte offset of the first problem. The encoding and
the checks are the Cython core's, over include/csvbackup/clusprop.h.
"""
from collections.abc import MutableMapping, MutableSequence

from .. import _csvcore as _core
from ..errors import InvalidParameterError
from ..filetime import filetime_to_datetime, to_filetime
from .syntax import Format, PropType
from .values import Value, as_value

__all__ = ["PropertyList", "ValueList"]


def check_name(name):
    """A property name: a non-empty str without NUL (it travels NUL-terminated)."""
    if not isinstance(name, str):
        raise TypeError(f"a property name is a str, not {type(name).__name__}")
    if not name or "\0" in name:
        raise InvalidParameterError(f"property name {name!r} is empty or holds a NUL")
    return name


def _plain(value):
    return value.value if isinstance(value, Value) else tuple(v.value for v in value)


class PropertyList(_core.PropertyListCore, MutableMapping):
    """A CLUSPROP property list: name -> :class:`Value` (or a tuple of them), in order.

    ``endmark`` adds the list-level ENDMARK that servers send after the last property
    (docs/reference/cluster-formats.md section 1.3); ``endmark=False`` omits it, as Microsoft's
    sample builder does. Parsing accepts any number of them. Equality compares the properties, not
    ``endmark``.
    """

    __slots__ = ()  # _props and endmark live in the core's PropertyListCore

    def __init__(self, properties=(), /, *, endmark=True):
        self._props = {}
        self.endmark = bool(endmark)
        if properties:
            self.update(properties)

    # --- mapping ---
    def __getitem__(self, name):
        return self._props[name]

    def __setitem__(self, name, value):
        self._props[check_name(name)] = _core.as_property_values(value)

    def __delitem__(self, name):
        del self._props[name]

    def __iter__(self):
        return iter(self._props)

    def __len__(self):
        return len(self._props)

    def __contains__(self, name):
        return name in self._props

    def values_of(self, name):
        """All the values of property `name`, always as a tuple."""
        held = self._props[name]
        return held if isinstance(held, tuple) else (held,)

    def to_dict(self):
        """name -> plain Python value (int, str, tuple of str, bytes, PropertyList), a
        tuple of them for a property with several values."""
        return {name: _plain(held) for name, held in self._props.items()}

    def __eq__(self, other):
        if not isinstance(other, PropertyList):
            return NotImplemented
        return self._props == other._props

    __hash__ = None

    def __repr__(self):
        return f"{type(self).__name__}({self._props!r})"

    def __reduce__(self):
        return _rebuild_property_list, (type(self), list(self._props.items()), self.endmark)

    # --- wire ---
    @property
    def size(self):
        """The bytes :meth:`pack_into` writes."""
        return _core.property_list_size(self._props, self.endmark)

    def pack_into(self, buf, offset=0):
        """Write the list into writable `buf` at `offset`; returns the bytes written.

        Raises MoreDataError (ERROR_MORE_DATA) with ``.required`` = the buffer length needed
        (offset + size) when it does not fit; nothing is written then.
        """
        return _core.pack_property_list(self._props, self.endmark, buf, offset)

    def to_bytes(self):
        """The list as bytes."""
        return _core.property_list_bytes(self._props, self.endmark)

    # from_buffer(buf, *, copy=False) is PropertyListCore's: the parse never leaves C.


def _rebuild_property_list(cls, items, endmark):
    pl = cls(endmark=endmark)
    for name, held in items:
        pl[name] = held
    return pl


class ValueList(MutableSequence):
    """A CLUSPROP value list: values followed by an ENDMARK (the output of many CLUSCTL
    codes, e.g. GET_SHARED_VOLUME_INFO returns one BINARY per CSV)."""

    __slots__ = ("_values",)

    def __init__(self, values=()):
        self._values = [as_value(v) for v in values]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ValueList(self._values[index])
        return self._values[index]

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            self._values[index] = [as_value(v) for v in value]
        else:
            self._values[index] = as_value(value)

    def __delitem__(self, index):
        del self._values[index]

    def __len__(self):
        return len(self._values)

    def insert(self, index, value):
        """Insert a value (plain Python values are converted as for a PropertyList)."""
        self._values.insert(index, as_value(value))

    def __eq__(self, other):
        if not isinstance(other, ValueList):
            return NotImplemented
        return self._values == other._values

    __hash__ = None

    def __repr__(self):
        return f"ValueList({self._values!r})"

    def __reduce__(self):
        return ValueList, (self._values,)

    @property
    def size(self):
        """The bytes :meth:`pack_into` writes (the ENDMARK included)."""
        return _core.value_list_size(self._values)

    def pack_into(self, buf, offset=0):
        """Write the list into writable `buf` at `offset`; returns the bytes written, or
        raises MoreDataError with ``.required``."""
        return _core.pack_value_list(self._values, buf, offset)

    def to_bytes(self):
        """The list as bytes."""
        return _core.value_list_bytes(self._values)

    @classmethod
    def from_buffer(cls, buf, *, copy=False):
        """Parse the value list that fills `buf` (values, an ENDMARK, then only zero
        DWORDs); zero-copy for raw values unless ``copy=True``."""
        vl = cls.__new__(cls)
        vl._values = _core.parse_value_list(buf, copy)
        return vl


_core._bind(property_list=PropertyList, prop_type=PropType, format=Format,
            to_filetime=to_filetime, filetime_to_datetime=filetime_to_datetime)
