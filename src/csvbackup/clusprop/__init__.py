"""CLUSPROP property lists and value lists, byte-exact with Windows.

Modules, each importing only those before it: `syntax` (the PropType, Format and Syntax
constants), `values` (one class per format), `lists` (`PropertyList`, `ValueList`), `table`
(property tables: ResUtil's RESUTIL_PROPERTY_ITEM) and `batch` (N single-property lists at
once). The encoding and the checks are the Cython core's, over include/csvbackup/clusprop.h.
"""
from .batch import FIXED_FORMAT_DTYPES, build_property_lists, read_property
from .lists import PropertyList, ValueList
from .syntax import Format, PropType, Syntax, syntax_value
from .table import (
    BACKUP_IN_PROGRESS,
    CLUSTER_COMMON_PROPERTIES,
    CLUSTER_CSA_VSS_STATE,
    PropertyItem,
    PropertyTable,
)
from .values import (
    Binary,
    Dword,
    ExpandedSz,
    ExpandSz,
    FileTime,
    LargeInteger,
    Long,
    MultiSz,
    PropertyListValue,
    SecurityDescriptor,
    Sz,
    ULargeInteger,
    Value,
    Word,
    as_value,
)

__all__ = [
    "BACKUP_IN_PROGRESS",
    "Binary",
    "build_property_lists",
    "CLUSTER_COMMON_PROPERTIES",
    "CLUSTER_CSA_VSS_STATE",
    "Dword",
    "ExpandedSz",
    "ExpandSz",
    "FileTime",
    "FIXED_FORMAT_DTYPES",
    "Format",
    "LargeInteger",
    "Long",
    "MultiSz",
    "PropertyItem",
    "PropertyList",
    "PropertyListValue",
    "PropertyTable",
    "PropType",
    "read_property",
    "SecurityDescriptor",
    "Syntax",
    "syntax_value",
    "Sz",
    "ULargeInteger",
    "Value",
    "ValueList",
    "Word",
    "as_value",
]
