"""Property tables: ResUtil's RESUTIL_PROPERTY_ITEM, in Python.

A :class:`PropertyTable` says which properties an object has, their format, range, default
and whether they may be set; it checks a property list against that, the way
``ResUtilVerifyPropertyTable`` does, and reads one into typed Python values.

Error codes (docs/reference/cluster-formats.md section 5.2):

* malformed list -> InvalidDataError (13);
* value out of range -> PropertyValueError (13, as the CLUSCTL_*_SET_COMMON_PROPERTIES pages
  document for "an out-of-range value");
* unknown property, unless allowed -> UnknownPropertyError (87, ResUtilVerifyPropertyTable);
* value of the wrong format -> PropertyTypeMismatchError (5895,
  ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
* read-only property set -> ReadOnlyPropertyError (5089; UNVERIFIED, see its docstring);
* required property missing (parse) -> PropertyNotFoundError (1168, ERROR_NOT_FOUND; no
  document states Windows' code for this either).

Property names compare case-insensitively: "A property name is a case-insensitive, non-null
Unicode string and is unique within its schema" ([MS-CMRP], Object Properties,
https://msdn.microsoft.com/en-us/library/cc225035.aspx). Case-insensitive means here what it
means everywhere in csvbackup, the simulated cluster's C included: equal after the simple
uppercase of each UTF-16 code unit (csvb_fold_unit, include/csvbackup/filespec.h). A
PropertyList keeps names as given.
"""
import dataclasses
from typing import Any

from .._csvcore import fold_name as _fold
from ..errors import (
    PropertyNotFoundError,
    PropertyTypeMismatchError,
    PropertyValueError,
    ReadOnlyPropertyError,
    UnknownPropertyError,
)
from .lists import PropertyList
from .syntax import Format
from .values import Dword, Value, as_value

__all__ = [
    "BACKUP_IN_PROGRESS",
    "CLUSTER_COMMON_PROPERTIES",
    "CLUSTER_CSA_VSS_STATE",
    "PropertyItem",
    "PropertyTable",
]

_NUMERIC_BITS = {
    Format.DWORD: 32,
    Format.LONG: 32,
    Format.WORD: 16,
    Format.ULARGE_INTEGER: 64,
    Format.LARGE_INTEGER: 64,
    Format.FILETIME: 64,
}
_SIGNED_FORMATS = (Format.LONG, Format.LARGE_INTEGER)


@dataclasses.dataclass(frozen=True)
class PropertyItem:
    """One row of a property table (RESUTIL_PROPERTY_ITEM, SDK Resapi.h 704-727).

    ``minimum``/``maximum`` bound numeric formats (None: unbounded on that side);
    ``signed`` compares a DWORD, WORD or ULARGE_INTEGER as the signed number of its bits
    (RESUTIL_PROPITEM_SIGNED); ``read_only`` properties may be read, never set
    (RESUTIL_PROPITEM_READ_ONLY); ``required`` ones must be present when a list is parsed
    (RESUTIL_PROPITEM_REQUIRED). ``default`` is a plain value or a Value of ``format``.
    """

    name: str
    format: Format
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    read_only: bool = False
    required: bool = False
    signed: bool = False

    def __post_init__(self):
        object.__setattr__(self, "format", Format(self.format))
        if self.default is not None:
            object.__setattr__(self, "default", self._as_format(self.default))
            self.check_value(self.default)

    def _as_format(self, value):
        """`value` as a Value of this item's format (plain values are wrapped)."""
        if isinstance(value, Value):
            return value
        try:
            if self.format in _NUMERIC_BITS or self.format == Format.MULTI_SZ:
                return Value((1 << 16) | self.format, value)
            return as_value(value)
        except TypeError as e:
            raise PropertyTypeMismatchError(f"default of property {self.name!r}: {e}",
                                            property=self.name) from None

    def number(self, value):
        """The number a numeric value stands for under this item (signedness applied)."""
        n = value.value
        bits = _NUMERIC_BITS[self.format]
        if self.signed and self.format not in _SIGNED_FORMATS and n >= 1 << (bits - 1):
            n -= 1 << bits
        return n

    def check_value(self, value):
        """Raise unless `value` (a Value) has this item's format and lies in its range."""
        if value.format != self.format:
            raise PropertyTypeMismatchError(
                f"property {self.name!r} is {self.format.name}, got {_format_name(value)}",
                property=self.name)
        if self.format in _NUMERIC_BITS and (self.minimum is not None or self.maximum is not None):
            n = self.number(value)
            if (self.minimum is not None and n < self.minimum) or (
                    self.maximum is not None and n > self.maximum):
                raise PropertyValueError(
                    f"property {self.name!r} = {n} is outside [{self.minimum}, {self.maximum}]",
                    property=self.name)

    def check_values(self, values):
        """Check a property's values: one of this format, or (for EXPAND_SZ, as servers
        return it) the EXPAND_SZ followed by its EXPANDED_SZ."""
        self.check_value(values[0])
        extra = values[1:]
        if extra and not (self.format == Format.EXPAND_SZ and len(extra) == 1
                          and extra[0].format == Format.EXPANDED_SZ):
            raise PropertyTypeMismatchError(
                f"property {self.name!r} carries {len(values)} values "
                f"({', '.join(_format_name(v) for v in values)})", property=self.name)


def _format_name(value):
    f = value.format
    return f.name if isinstance(f, Format) else f"format 0x{f:04X}"


class PropertyTable:
    """An ordered set of :class:`PropertyItem` (a RESUTIL_PROPERTY_ITEM array)."""

    def __init__(self, items):
        self.items = tuple(items)
        self._by_name = {}  # folded name -> item
        for item in self.items:
            key = _fold(item.name)
            if key in self._by_name:
                raise ValueError(f"property {item.name!r} is in the table twice"
                                 + ("" if self._by_name[key].name == item.name
                                    else f" (as {self._by_name[key].name!r})"))
            self._by_name[key] = item

    def _item(self, name):
        return self._by_name.get(_fold(name)) if isinstance(name, str) else None

    def __getitem__(self, name):
        item = self._item(name)
        if item is None:
            raise KeyError(name)
        return item

    def __contains__(self, name):
        return self._item(name) is not None

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __repr__(self):
        return f"PropertyTable({[item.name for item in self.items]!r})"

    @staticmethod
    def _as_list(pl):
        return pl if isinstance(pl, PropertyList) else PropertyList.from_buffer(pl)

    def validate(self, pl, *, allow_unknown=False):
        """Check a property list about to be set (a PropertyList or its bytes): every
        property known (unless `allow_unknown`), writable, of its format and in range."""
        pl = self._as_list(pl)
        for name in pl:
            item = self._item(name)
            if item is None:
                if allow_unknown:
                    continue
                raise UnknownPropertyError(f"property {name!r} is not in the table",
                                           property=name)
            if item.read_only:
                raise ReadOnlyPropertyError(f"property {name!r} is read-only", property=name)
            item.check_values(pl.values_of(name))

    def defaults(self):
        """A PropertyList of every property that has a default, in table order."""
        return PropertyList({item.name: item.default for item in self.items
                             if item.default is not None})

    def parse(self, buf, *, allow_unknown=True):
        """Read a property list (bytes or a PropertyList) into ``{name: value}`` for every
        property of the table: the list's value (checked), else the default, else None.
        Numbers honour ``signed``; a property with several values gives the first (the
        stored EXPAND_SZ, not its expansion)."""
        pl = self._as_list(buf)
        given = {}  # folded name -> the list's first spelling of it
        for name in pl:
            if not allow_unknown and self._item(name) is None:
                raise UnknownPropertyError(f"property {name!r} is not in the table",
                                           property=name)
            given.setdefault(_fold(name), name)
        out = {}
        for item in self.items:
            name = given.get(_fold(item.name))
            if name is not None:
                values = pl.values_of(name)
                item.check_values(values)
                value = values[0]
            elif item.required:
                raise PropertyNotFoundError(f"required property {item.name!r} is missing",
                                            property=item.name)
            else:
                value = item.default
            if value is None:
                out[item.name] = None
            elif item.format in _NUMERIC_BITS:
                out[item.name] = item.number(value)
            else:
                out[item.name] = value.value
        return out


#: The cluster common property that says a backup is in progress (SDK ClusApi.h 6797:
#: ``#define CLUSTER_CSA_VSS_STATE L"BackupInProgress"``; absent from mingw-w64).
CLUSTER_CSA_VSS_STATE = "BackupInProgress"

#: BackupInProgress: DWORD, read/write, 0..1, default 0 (MSDOC-W backupinprogress.md;
#: docs/reference/cluster-formats.md section 5.3).
BACKUP_IN_PROGRESS = PropertyItem(CLUSTER_CSA_VSS_STATE, Format.DWORD, default=Dword(0),
                                  minimum=0, maximum=1)


def _flag(name, *, default=0, read_only=False):
    return PropertyItem(name, Format.DWORD, default=Dword(default), minimum=0, maximum=1,
                        read_only=read_only)


#: Cluster common properties: BackupInProgress and every name in the real cluster vector
#: (tests/data/samba_cluster_props.bin). Attributes from each property's MSDOC page
#: (previous-versions/windows/desktop/mscs/<name>); where a page gives none, the item
#: checks the format only.
CLUSTER_COMMON_PROPERTIES = PropertyTable([
    BACKUP_IN_PROGRESS,
    _flag("FixQuorum", read_only=True),                      # clusters-fixquorum: RO, 0..1, 0
    _flag("PreventQuorum", read_only=True),                  # clusters-preventquorum: RO, 0..1, 0
    # clusters-ignorepersistentstateonstartup: R/W since 2016 (RO on 2008 R2 - 2012 R2)
    _flag("IgnorePersistentStateOnStartup"),
    _flag("WitnessDynamicWeight"),                           # witnessdynamicweight: R/W, 0..1, 0
    _flag("DynamicQuorum", default=1),                       # clusters-dynamicquorum: R/W, 0..1, 1
    PropertyItem("SharedVolumesRoot", Format.SZ, default="C:\\ClusterStorage"),
    PropertyItem("AdminAccessPoint", Format.DWORD),
    PropertyItem("EnableSharedVolumes", Format.DWORD),
    PropertyItem("SharedVolumeVssWriterOperationTimeout", Format.DWORD),
    PropertyItem("BlockCacheSize", Format.DWORD),
    PropertyItem("Description", Format.SZ),
])
