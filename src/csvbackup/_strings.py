"""String columns for the matchers: every accepted input as chunks the C code reads in place.

Accepted: a list or tuple of str; a 1-D numpy array of dtype ``U`` (read in place) or
``object``; a pyarrow ``StringArray``, ``LargeStringArray`` or ``ChunkedArray`` of them (read
through their buffers, no copy; dictionary-encoded and string_view arrays are cast to
large_string first). ``None`` (in a sequence or object array) and Arrow nulls are null rows.
"""
import bisect
import itertools

import numpy as np

from . import _csvcore
from ._arrays import CHUNK_ROWS

__all__ = ["StringColumn"]


def _arrow_chunks(obj):
    """The pyarrow arrays of `obj` when it is a pyarrow array or chunked array, else None."""
    if not type(obj).__module__.startswith("pyarrow"):
        return None
    import pyarrow as pa

    if isinstance(obj, pa.ChunkedArray):
        return [_as_arrow_strings(c, pa) for c in obj.chunks]
    if isinstance(obj, pa.Array):
        return [_as_arrow_strings(obj, pa)]
    raise TypeError(f"paths is a {type(obj).__name__}; pass an Array or ChunkedArray of strings")


def _as_arrow_strings(arr, pa):
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return arr
    if (pa.types.is_dictionary(t) and (pa.types.is_string(t.value_type)
                                       or pa.types.is_large_string(t.value_type))) \
            or getattr(pa.types, "is_string_view", lambda _t: False)(t):
        return arr.cast(pa.large_string())
    raise TypeError(f"paths is an Arrow array of {t}; it must hold strings")


def _arrow_source(arr):
    validity, offsets, data = arr.buffers()[:3]
    return _csvcore.strings_arrow(
        arr.type.id == _large_string_id(),
        validity.address if (validity is not None and arr.null_count) else 0,
        arr.offset,
        offsets.address,
        data.address if data is not None else 0,
        data.size if data is not None else 0,
        len(arr),
        arr,
    )


def _large_string_id():
    import pyarrow as pa

    return pa.large_string().id


class StringColumn:
    """One column of paths: `len(column)` rows, read chunk by chunk with `chunks()`."""

    def __init__(self, paths, name="paths"):
        self.name = name
        self._bounds = None
        self._arrow = _arrow_chunks(paths)
        if self._arrow is not None:
            self.n = sum(len(c) for c in self._arrow)
            return
        if isinstance(paths, (str, bytes)):
            raise TypeError(f"{name} must be a sequence of paths, not a single "
                            f"{type(paths).__name__}")
        if isinstance(paths, np.ndarray):
            if paths.ndim != 1:
                raise ValueError(f"{name} must be one-dimensional, got shape {paths.shape}")
            if paths.dtype.kind not in "UO":
                raise TypeError(f"{name} has dtype {paths.dtype}; use a str ('U') or object "
                                "array (decode bytes first)")
            self._values = paths
        elif isinstance(paths, (list, tuple)):
            self._values = paths
        else:
            self._values = list(paths)
        self.n = len(self._values)

    def __len__(self):
        return self.n

    def bounds(self):
        """The row numbers where this column's chunks start, and n."""
        if self._bounds is None:
            if self._arrow is not None:
                self._bounds = [0, *itertools.accumulate(len(arr) for arr in self._arrow)]
            else:
                self._bounds = [*range(0, self.n, CHUNK_ROWS), self.n]
        return self._bounds

    def source(self, start, stop):
        """A source of rows [start, stop), which lie in one chunk (see `bounds`)."""
        if self._arrow is not None:
            edges = self.bounds()
            k = bisect.bisect_right(edges, start) - 1  # the chunk holding row `start`
            return _arrow_source(self._arrow[k].slice(start - edges[k], stop - start))
        v = self._values
        if isinstance(v, np.ndarray):
            part = np.ascontiguousarray(v[start:stop])
            if part.dtype.kind == "U":
                return _csvcore.strings_ucs4(part)
            return _csvcore.strings_objects(part, 0, stop - start, start)
        return _csvcore.strings_objects(v, start, stop)

    def chunks_with(self, other):
        """Yield (start, stop, source, other's source) covering rows [0, n) of this column and
        `other` (as long) in order, cut where either's chunks are."""
        edges = sorted(set(self.bounds()) | set(other.bounds()))
        for start, stop in zip(edges, edges[1:], strict=False):
            if stop > start:
                yield start, stop, self.source(start, stop), other.source(start, stop)

    def chunks(self):
        """Yield (start, stop, source) covering rows [0, n) in order."""
        if self._arrow is not None:
            start = 0
            for arr in self._arrow:
                if len(arr):
                    yield start, start + len(arr), _arrow_source(arr)
                start += len(arr)
            return
        v = self._values
        for start in range(0, self.n, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, self.n)
            if isinstance(v, np.ndarray):
                part = np.ascontiguousarray(v[start:stop])
                if part.dtype.kind == "U":
                    yield start, stop, _csvcore.strings_ucs4(part)
                else:
                    yield start, stop, _csvcore.strings_objects(part, 0, stop - start, start)
            else:
                yield start, stop, _csvcore.strings_objects(v, start, stop)
