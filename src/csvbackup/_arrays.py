"""Argument coercion shared by the batch APIs: integer scalars, 1-D integer arrays, and the
chunk-wise conversion of arrays the kernels cannot read in place."""
import operator

import numpy as np

from .filetime import datetime64_to_filetime

__all__ = ["scalar_int", "as_int_array", "as_rows", "is_native", "convert_chunk", "CHUNK_ROWS"]

#: Rows converted at a time when an input is strided, of another dtype, or datetime64: the
#: conversion buffers stay this size whatever the catalog size.
CHUNK_ROWS = 1 << 20


def scalar_int(value, name):
    """An integer argument (int, numpy integer, IntEnum); TypeError for anything else."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, not bool")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}") from None


def as_int_array(value, name, *, allow_datetime=False):
    """A 1-D numpy integer (or datetime64) view of `value`, without copying when possible."""
    arr = np.asarray(value)
    kind = arr.dtype.kind
    if not (kind in "iu" or (allow_datetime and kind == "M")):
        if arr.size == 0 and kind == "f" and not isinstance(value, np.ndarray):
            # an empty Python list arrives as float64: it holds no floats
            arr = arr.astype(np.int64)
        else:
            want = "an integer or datetime64 array" if allow_datetime else "an integer array"
            raise TypeError(f"{name} must be {want}, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def as_rows(value, name, n, *, allow_datetime=False):
    """`value` as a per-row array of length `n`."""
    arr = as_int_array(value, name, allow_datetime=allow_datetime)
    if arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} rows but masks has {n}")
    return arr


def is_native(arr, dtype):
    """True when the kernels can read `arr` in place as `dtype`."""
    return arr.dtype == dtype and arr.flags.c_contiguous


def convert_chunk(arr, dtype, invalid):
    """`arr` (a chunk) as a contiguous array of `dtype`. Values `dtype` cannot hold become
    `invalid`, a value the kernel rejects, so the row is reported with its original value.
    datetime64 becomes FILETIME (int64)."""
    if arr.dtype.kind == "M":
        return datetime64_to_filetime(arr, invalid=invalid)
    if is_native(arr, dtype):
        return arr
    if np.can_cast(arr.dtype, dtype, "safe"):
        return np.ascontiguousarray(arr, dtype=dtype)
    info = np.iinfo(dtype)
    out = arr.astype(dtype)
    bad = (arr < info.min) | (arr > info.max)
    if bad.any():
        out[bad] = invalid
    return out
