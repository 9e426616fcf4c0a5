"""CLUSPROP property lists: the wire constants (values as in Windows' ClusApi.h; the same
numbers as include/csvbackup/clusprop.h, which CI checks against mingw-w64's clusapi.h).

Sources: SDK ClusApi.h 3285-3371 and shared/reference/cluster-formats.md section 1.4.
"""
import enum

__all__ = ["PropType", "Format", "Syntax", "syntax_value"]


class PropType(enum.IntEnum):
    """CLUSPROP_TYPE: the high word of a syntax (what a value means)."""

    UNKNOWN = -1
    ENDMARK = 0
    LIST_VALUE = 1
    RESCLASS = 2
    RESERVED1 = 3
    NAME = 4
    SIGNATURE = 5
    SCSI_ADDRESS = 6
    DISK_NUMBER = 7
    PARTITION_INFO = 8
    FTSET_INFO = 9
    DISK_SERIALNUMBER = 10
    DISK_GUID = 11
    DISK_SIZE = 12
    PARTITION_INFO_EX = 13
    PARTITION_INFO_EX2 = 14
    STORAGE_DEVICE_ID_DESCRIPTOR = 15
    USER = 0x8000  #: this and above: user-defined


class Format(enum.IntEnum):
    """CLUSPROP_FORMAT: the low word of a syntax (how a value is encoded)."""

    UNKNOWN = 0
    BINARY = 1
    DWORD = 2
    SZ = 3
    EXPAND_SZ = 4
    MULTI_SZ = 5
    ULARGE_INTEGER = 6
    LONG = 7
    EXPANDED_SZ = 8
    SECURITY_DESCRIPTOR = 9
    LARGE_INTEGER = 10
    WORD = 11
    FILETIME = 12
    VALUE_LIST = 13
    PROPERTY_LIST = 14
    USER = 0x8000  #: this and above: user-defined


class Syntax(enum.IntEnum):
    """CLUSPROP_SYNTAX = (type << 16) | format: the first DWORD of every list entry."""

    ENDMARK = 0x00000000
    NAME = 0x00040003
    RESCLASS = 0x00020002
    LIST_VALUE_SZ = 0x00010003
    LIST_VALUE_EXPAND_SZ = 0x00010004
    LIST_VALUE_DWORD = 0x00010002
    LIST_VALUE_BINARY = 0x00010001
    LIST_VALUE_MULTI_SZ = 0x00010005
    LIST_VALUE_LONG = 0x00010007
    LIST_VALUE_EXPANDED_SZ = 0x00010008
    LIST_VALUE_SECURITY_DESCRIPTOR = 0x00010009
    LIST_VALUE_LARGE_INTEGER = 0x0001000A
    LIST_VALUE_ULARGE_INTEGER = 0x00010006
    LIST_VALUE_WORD = 0x0001000B
    LIST_VALUE_PROPERTY_LIST = 0x0001000E
    LIST_VALUE_FILETIME = 0x0001000C
    DISK_SIGNATURE = 0x00050002
    SCSI_ADDRESS = 0x00060002
    DISK_NUMBER = 0x00070002
    PARTITION_INFO = 0x00080001
    FTSET_INFO = 0x00090001
    DISK_SERIALNUMBER = 0x000A0003
    DISK_GUID = 0x000B0003
    DISK_SIZE = 0x000C0006
    PARTITION_INFO_EX = 0x000D0001
    PARTITION_INFO_EX2 = 0x000E0001
    STORAGE_DEVICE_ID_DESCRIPTOR = 0x000F0001

    @property
    def type(self):
        """The PropType half (high word), as an int when it is not a known type."""
        return _known(PropType, (self.value >> 16) & 0xFFFF)

    @property
    def format(self):
        """The Format half (low word), as an int when it is not a known format."""
        return _known(Format, self.value & 0xFFFF)


def _known(enum_type, value):
    try:
        return enum_type(value)
    except ValueError:
        return value


def syntax_value(prop_type, fmt):
    """CLUSPROP_SYNTAX_VALUE(type, format): ``(type << 16) | format`` as a DWORD."""
    return ((int(prop_type) & 0xFFFF) << 16) | (int(fmt) & 0xFFFF)
