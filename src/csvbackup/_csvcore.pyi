"""Type stubs for csvbackup._csvcore, the Cython core (src/_csvcore.pyx)."""
from typing import Any, Optional, Self

import numpy as np
import numpy.typing as npt

NO_TIME: int
STATUS_BAD_MASK: int
STATUS_BAD_TYPE: int
STATUS_BAD_ENTRY: int
STATUS_NEGATIVE_MTIME: int
STATUS_NEGATIVE_DIFF_SINCE: int
STATUS_NEEDS_SINCE: int
STATUS_NEEDS_MTIME: int
STATUS_BITS: tuple[int, ...]

def openmp_enabled() -> bool: ...
def kernel_isa() -> str: ...
def select_isa(name: str) -> bool: ...
def effective_backup_type(requested: int, schema: int) -> int: ...
def effective_types_into(
    requested: npt.NDArray[np.uint32], schema: npt.NDArray[np.uint32], out: npt.NDArray[np.uint8]
) -> int: ...
def decide_row(
    mask: int, btype: int, entry: int, mtime: int, have_mtime: bool, differenced_since: int,
    since: int,
) -> tuple[int, int]: ...
def classify_into(
    masks: npt.NDArray[np.uint32],
    types: Optional[npt.NDArray[np.uint8]],
    type0: int,
    entries: Optional[npt.NDArray[np.uint8]],
    mtimes: Optional[npt.NDArray[np.int64]],
    differenced_since: Optional[npt.NDArray[np.int64]],
    differenced_since0: int,
    since: int,
    out: npt.NDArray[np.uint8],
    threads: int,
    grain: int,
) -> tuple[int, dict[int, int]]: ...
def count_invalid_masks(masks: npt.NDArray[np.uint32], express: bool) -> int: ...
def find_invalid_masks(
    masks: npt.NDArray[np.uint32], express: bool, out: npt.NDArray[np.intp]
) -> int: ...
def traffic_probe(
    masks: npt.NDArray[np.uint32], mtimes: npt.NDArray[np.int64], out: npt.NDArray[np.uint8],
    threads: int, grain: int,
) -> None: ...

# --- CLUSPROP values (src/clusprop/values.pxi) ---
class Value:
    syntax: int
    value: Any
    def __init__(self, syntax: int, value: Any) -> None: ...
    @property
    def format(self) -> int: ...
    @property
    def type(self) -> int: ...
    @property
    def length(self) -> int: ...

class Dword(Value):
    value: int
    def __init__(self, value: int, syntax: Optional[int] = None) -> None: ...

class Long(Value):
    value: int
    def __init__(self, value: int, syntax: Optional[int] = None) -> None: ...

class Word(Value):
    value: int
    def __init__(self, value: int, syntax: Optional[int] = None) -> None: ...

class ULargeInteger(Value):
    value: int
    def __init__(self, value: int, syntax: Optional[int] = None) -> None: ...

class LargeInteger(Value):
    value: int
    def __init__(self, value: int, syntax: Optional[int] = None) -> None: ...

class FileTime(Value):
    value: int
    def __init__(self, value: Any, syntax: Optional[int] = None) -> None: ...
    @property
    def datetime(self) -> Any: ...

class Sz(Value):
    value: str
    def __init__(self, value: str, syntax: Optional[int] = None) -> None: ...

class ExpandSz(Value):
    value: str
    def __init__(self, value: str, syntax: Optional[int] = None) -> None: ...

class ExpandedSz(Value):
    value: str
    def __init__(self, value: str, syntax: Optional[int] = None) -> None: ...

class MultiSz(Value):
    value: tuple[str, ...]
    def __init__(self, value: Any, syntax: Optional[int] = None) -> None: ...

class Binary(Value):
    value: bytes | memoryview
    def __init__(self, value: Any, syntax: Optional[int] = None) -> None: ...

class SecurityDescriptor(Value):
    value: bytes | memoryview
    def __init__(self, value: Any, syntax: Optional[int] = None) -> None: ...

class PropertyListValue(Value):
    def __init__(self, value: Any, syntax: Optional[int] = None) -> None: ...

def set_property_list_type(cls: type) -> None: ...
def as_value(obj: Any) -> Value: ...
def as_property_values(obj: Any) -> Value | tuple[Value, ...]: ...

# --- CLUSPROP lists (src/clusprop/codec.pxi) ---
def clusprop_strerror(code: int) -> str: ...
def property_list_size(props: dict[str, Any], endmark: bool) -> int: ...
def value_list_size(values: list[Value]) -> int: ...
def pack_property_list(props: dict[str, Any], endmark: bool, buf: Any, offset: int) -> int: ...
def pack_value_list(values: list[Value], buf: Any, offset: int) -> int: ...
def property_list_bytes(props: dict[str, Any], endmark: bool) -> bytes: ...
def value_list_bytes(values: list[Value]) -> bytes: ...

class PropertyListCore:
    _props: dict[str, Any]
    endmark: bool
    @classmethod
    def from_buffer(cls, buf: Any, *, copy: bool = False) -> Self: ...

def parse_value_list(buf: Any, copy: bool) -> list[Value]: ...

# --- CLUSPROP batches (src/clusprop/batch.pxi) ---
def fill_templates(
    template: npt.NDArray[np.uint8], value_at: int, values: npt.NDArray[np.uint8], vsize: int,
    out: npt.NDArray[np.uint8], threads: int = 1, grain: int = 65536,
) -> int: ...
def check_offsets(offsets: npt.NDArray[np.int64], size: int) -> int: ...
def first_format(
    buffer: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64], name: bytes
) -> tuple[int, int, int]: ...
def read_fixed(
    buffer: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64], name: bytes, fmt: int,
    out: npt.NDArray[np.uint8], present: npt.NDArray[np.uint8],
) -> tuple[int, int, int]: ...
def read_objects(
    buffer: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64], name: bytes, fmt: int,
    out: npt.NDArray[np.object_], present: npt.NDArray[np.uint8],
) -> tuple[int, int, int]: ...
