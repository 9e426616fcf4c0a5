"""N single-property lists at once, for benchmark suites and catalogers.

:func:`build_property_lists` packs one property list per array element back to back (from
one template: no Python object per list); :func:`read_property` reads one property back
across N lists, every list checked in full by the C reader. Lists are addressed Arrow-style:
list ``i`` is ``buffer[offsets[i]:offsets[i + 1]]``.
"""
import numpy as np

from .. import _csvcore as _core
from ..build_info import resolve_threads
from ..errors import (
    InvalidDataError,
    InvalidParameterError,
    InvalidRowError,
    MoreDataError,
    PropertyNotFoundError,
    PropertyTypeMismatchError,
)
from ..filetime import datetime64_to_filetime
from .lists import PropertyList, check_name
from .syntax import Format
from .values import Value

__all__ = ["build_property_lists", "read_property", "FIXED_FORMAT_DTYPES"]

#: Lists per thread below which building stays on one thread (thread start-up costs more).
GRAIN_LISTS = 1 << 15

#: The numpy dtype of each fixed-size format (a LONG is int32, a FILETIME its uint64 ticks).
FIXED_FORMAT_DTYPES = {
    Format.DWORD: np.dtype(np.uint32),
    Format.LONG: np.dtype(np.int32),
    Format.WORD: np.dtype(np.uint16),
    Format.ULARGE_INTEGER: np.dtype(np.uint64),
    Format.LARGE_INTEGER: np.dtype(np.int64),
    Format.FILETIME: np.dtype(np.uint64),
}


def _fixed_format(fmt):
    try:
        fmt = Format(fmt)
    except ValueError:
        raise InvalidParameterError(f"{fmt} is not a CLUSPROP format") from None
    if fmt not in FIXED_FORMAT_DTYPES:
        raise InvalidParameterError(
            f"build_property_lists packs fixed-size formats "
            f"({', '.join(f.name for f in FIXED_FORMAT_DTYPES)}), not {fmt.name}")
    return fmt


def _values_as(values, fmt):
    """`values` as a contiguous array of the format's dtype; a value that does not fit
    raises InvalidRowError naming its index."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise InvalidParameterError(f"values must be one-dimensional, got shape {arr.shape}")
    if fmt == Format.FILETIME and arr.dtype.kind == "M":
        arr = datetime64_to_filetime(arr)
    if arr.dtype.kind == "b":
        arr = arr.view(np.uint8)
    dtype = FIXED_FORMAT_DTYPES[fmt]
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{fmt.name} values must be integers, got dtype {arr.dtype}")
    info = np.iinfo(dtype)
    if arr.size and not np.can_cast(arr.dtype, dtype, "safe"):
        bad = np.flatnonzero((arr < info.min) | (arr > info.max))
        if bad.size:
            i = int(bad[0])
            raise InvalidRowError(f"values[{i}] = {arr[i]} does not fit a {fmt.name} "
                                  f"[{info.min}, {info.max}]", argument="values", index=i,
                                  value=arr[i].item())
    return np.ascontiguousarray(arr, dtype=dtype)


def build_property_lists(name, values, format=Format.DWORD, *, endmark=True, out=None,
                         threads=None):
    """Pack ``len(values)`` property lists, each ``{name: values[i]}``, back to back.

    `format` is a fixed-size format (DWORD, LONG, WORD, ULARGE_INTEGER, LARGE_INTEGER,
    FILETIME; FILETIME also takes datetime64). Each list is byte-identical to
    ``PropertyList({name: Value(LIST_VALUE | format, v)}, endmark=endmark).to_bytes()``.
    Returns ``(buffer, offsets)``: a uint8 array and int64 offsets (N + 1 of them). With
    `out` (a writable 1-D uint8 array) the lists are written there and `buffer` is a view
    of it; MoreDataError(.required) when it is too small. `threads` as for classify
    (None: all cores).
    """
    check_name(name)
    fmt = _fixed_format(format)
    arr = _values_as(values, fmt)
    template = PropertyList({name: Value((1 << 16) | fmt, 0)}, endmark=endmark).to_bytes()
    tsize = len(template)
    vsize = arr.dtype.itemsize
    # the value entry is last before the property ENDMARK (and the list ENDMARK)
    value_at = tsize - 4 * bool(endmark) - 4 - ((vsize + 3) & ~3)
    n = arr.shape[0]
    need = n * tsize
    if out is None:
        out = np.empty(need, dtype=np.uint8)
    else:
        if not (isinstance(out, np.ndarray) and out.dtype == np.uint8 and out.ndim == 1
                and out.flags.c_contiguous and out.flags.writeable):
            raise TypeError("out must be a writable C-contiguous 1-D uint8 array")
        if out.shape[0] < need:
            raise MoreDataError(f"out has {out.shape[0]} bytes, the lists need {need}",
                                required=need)
    _core.fill_templates(np.frombuffer(template, np.uint8), value_at, arr.view(np.uint8),
                         vsize, out, resolve_threads(threads), GRAIN_LISTS)
    offsets = np.arange(n + 1, dtype=np.int64)
    offsets *= tsize
    return out[:need], offsets


def _as_bytes_array(buffer):
    """`buffer`'s bytes as a 1-D contiguous uint8 array: itself when it is one, else its bytes
    in C order (a copy when it is strided, a memoryview with a step say)."""
    arr = buffer if isinstance(buffer, np.ndarray) else np.asarray(memoryview(buffer))
    return np.ascontiguousarray(arr).reshape(-1).view(np.uint8)


def _offsets(offsets):
    """`offsets` as int64, refusing what a cast would change: floats, and values past int64."""
    arr = np.asarray(offsets)
    if arr.ndim != 1 or arr.shape[0] < 1:
        raise InvalidParameterError("offsets must be a 1-D array of N + 1 byte offsets")
    if arr.dtype.kind not in "iuO" or (arr.dtype.kind == "O" and not all(
            isinstance(v, int) and not isinstance(v, bool) for v in arr.tolist())):
        raise TypeError(f"offsets must be integers, not {arr.dtype}")
    if arr.dtype.kind == "u":
        too_big = np.flatnonzero(arr > np.iinfo(np.int64).max)
    elif arr.dtype.kind == "O":
        too_big = [i for i, v in enumerate(arr.tolist()) if not -(1 << 63) <= v < (1 << 63)]
    else:
        too_big = ()
    if len(too_big):
        i = int(too_big[0])
        raise InvalidRowError(f"offsets[{i}] = {int(arr[i])} is past any buffer",
                              argument="offsets", index=i, value=int(arr[i]))
    return np.ascontiguousarray(arr, dtype=np.int64)


def _format(format):
    """`format` (a Format, its name, or its number) as the number of a CLUSPROP_FORMAT."""
    if isinstance(format, str):
        try:
            return int(Format[format.upper()])
        except KeyError:
            raise InvalidParameterError(
                f"format: {format!r} is not a CLUSPROP_FORMAT name "
                f"({', '.join(f.name for f in Format)})") from None
    if isinstance(format, bool) or not isinstance(format, (int, np.integer)):
        raise TypeError(f"format: a Format, its name or its number, not {type(format).__name__}")
    if not 0 <= int(format) <= 0xFFFF:
        raise InvalidParameterError(f"format: {int(format)} is not a 16-bit CLUSPROP_FORMAT")
    return int(format)


def read_property(buffer, offsets, name, *, format=None, missing="raise"):
    """The value of property `name` in each of the N lists ``buffer[offsets[i]:offsets[i+1]]``.

    Fixed-size formats give a numpy array of FIXED_FORMAT_DTYPES[format]; other formats an
    object array (str, tuple of str, bytes). The format is that of the first list holding
    the property unless `format` (a Format, its name such as ``"DWORD"``, or its number) is
    given; a list holding it in another format raises
    PropertyTypeMismatchError (5895). A malformed list raises InvalidDataError whose
    ``.offset`` is the byte in `buffer`. A list without the property raises
    PropertyNotFoundError (``.index``) with ``missing="raise"``, or is masked in the
    numpy.ma.MaskedArray returned with ``missing="mask"``.
    """
    if missing not in ("raise", "mask"):
        raise InvalidParameterError(f"missing must be 'raise' or 'mask', not {missing!r}")
    check_name(name)
    buf = _as_bytes_array(buffer)
    offs = _offsets(offsets)
    fmt = None if format is None else _format(format)
    bad = _core.check_offsets(offs, buf.shape[0])
    if bad >= 0:
        raise InvalidRowError(
            f"offsets[{bad}] = {offs[bad]} is not a non-decreasing offset within the "
            f"{buf.shape[0]}-byte buffer", argument="offsets", index=bad, value=int(offs[bad]))
    n = offs.shape[0] - 1
    wire_name = name.encode("utf-16-le", "surrogatepass") + b"\0\0"
    if format is None:
        i, syntax, where = _core.first_format(buf, offs, wire_name)
        if i >= 0 and syntax < 0:
            _raise_list_error(i, -syntax, where)
        if i < 0:
            if missing == "raise" and n:
                raise PropertyNotFoundError(f"no list has property {name!r}", property=name,
                                            index=0)
            return np.ma.MaskedArray(np.full(n, None, dtype=object), mask=np.ones(n, bool))
        fmt = syntax & 0xFFFF
    present = np.empty(n, dtype=np.uint8)
    dtype = FIXED_FORMAT_DTYPES.get(fmt)
    if dtype is not None:
        out = np.empty(n, dtype=dtype)
        i, code, where = _core.read_fixed(buf, offs, wire_name, fmt, out.view(np.uint8), present)
    else:
        out = np.empty(n, dtype=object)
        i, code, where = _core.read_objects(buf, offs, wire_name, fmt, out, present)
    if i >= 0:
        if code == -1:
            raise PropertyTypeMismatchError(
                f"list {i} holds property {name!r} in another format than "
                f"{_format_name(fmt)} (byte {where})", property=name)
        _raise_list_error(i, code, where)
    if missing == "mask":
        return np.ma.MaskedArray(out, mask=present == 0)
    if n and not present.all():
        i = int(np.argmin(present))
        raise PropertyNotFoundError(f"list {i} has no property {name!r}", property=name, index=i)
    return out


def _format_name(fmt):
    try:
        return Format(fmt).name
    except ValueError:
        return f"format 0x{fmt:04X}"


def _raise_list_error(index, code, where):
    raise InvalidDataError(f"list {index} is malformed at byte {where} "
                           f"({_core.clusprop_strerror(code)})", offset=where)
