"""CLUSPROP values: one class per CLUSPROP_FORMAT, each holding its syntax and its Python value.

The classes are the Cython core's (src/core/clusprop/values.pxi); :func:`as_value` says which
one a plain Python value becomes in a property list or a value list.
"""
from .. import _csvcore as _core

Value = _core.Value
Dword = _core.Dword
Long = _core.Long
Word = _core.Word
ULargeInteger = _core.ULargeInteger
LargeInteger = _core.LargeInteger
FileTime = _core.FileTime
Sz = _core.Sz
ExpandSz = _core.ExpandSz
ExpandedSz = _core.ExpandedSz
MultiSz = _core.MultiSz
Binary = _core.Binary
SecurityDescriptor = _core.SecurityDescriptor
PropertyListValue = _core.PropertyListValue
as_value = _core.as_value

__all__ = [
    "Binary",
    "Dword",
    "ExpandSz",
    "ExpandedSz",
    "FileTime",
    "LargeInteger",
    "Long",
    "MultiSz",
    "PropertyListValue",
    "SecurityDescriptor",
    "Sz",
    "ULargeInteger",
    "Value",
    "Word",
    "as_value",
]
