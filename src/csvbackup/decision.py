"""The VSS file-spec decision: for every catalogued file, copy it or not, and from where.

The rules are those of docs/reference/spec-pages.md section 5 (VSS_FILE_SPEC_BACKUP_TYPE) as laid
out in docs/reference/vss-filespec.md section 0; the kernel that applies them, with the citation of
each rule, is csvb_decide_row() in include/csvbackup/vss.h. This module checks and converts
arguments and turns the kernel's status bits into exceptions.
"""
import enum

import numpy as np

from . import _csvcore
from ._arrays import CHUNK_ROWS, as_int_array, as_rows, convert_chunk, is_native, scalar_int
from .build_info import resolve_threads
from .errors import InvalidRowError
from .filetime import to_filetime
from .vss import VALID_MASK_BITS, BackupType

__all__ = ["Decision", "EntryFlag", "decide", "classify", "validate_masks"]

#: Rows below which a batch runs on one thread (thread start-up costs more than it saves).
GRAIN_ROWS = 1 << 16


class Decision(enum.IntFlag):
    """What to do with one file: one uint8 per file in `classify`'s output.

    ``Decision(0)`` means: not copied in this backup.
    """

    COPY = 0x01  #: copy the whole file
    SNAPSHOT = 0x02  #: read it from the shadow copy, never from the live volume
    PARTIAL = 0x04  #: copy only the byte ranges the writer listed (AddPartialFile)
    EXCLUDED = 0x08  #: a writer excludes it: never copied
    CREATED_DURING_BACKUP = 0x10  #: may not exist before the snapshot: absence is no error
    BY_MTIME = 0x20  #: copied because it changed since the threshold time


class EntryFlag(enum.IntFlag):
    """What the writers say of one file beyond its mask (input to `classify`)."""

    EXCLUDED = 0x1  #: matches a writer's exclude list
    DIFFERENCED = 0x2  #: listed by AddDifferencedFilesByLastModifyTime
    PARTIAL = 0x4  #: listed by AddPartialFile


# The copy bit whose absence makes an INCREMENTAL/DIFFERENTIAL row depend on its mtime.
_TYPE_RULE = {
    BackupType.INCREMENTAL: "INCREMENTAL_BACKUP_REQUIRED",
    BackupType.DIFFERENTIAL: "DIFFERENTIAL_BACKUP_REQUIRED",
}


def _scalar_backup_type(value):
    t = scalar_int(value, "backup_type")
    if not 1 <= t <= 6:
        raise InvalidRowError(
            f"backup_type = {value!r}: not a VSS_BACKUP_TYPE from FULL (1) to OTHER (6); "
            "UNDEFINED (0) is an application error",
            argument="backup_type", value=value)
    return t


def _time_or_rows(value, name, n):
    """(scalar FILETIME, None) or (0, per-row array) for an argument that may be either."""
    if np.ndim(value) == 0:
        return to_filetime(value, name), None
    return 0, as_rows(value, name, n, allow_datetime=True)


class _Rows:
    """The caller's inputs as given, to quote offending values in error messages."""

    def __init__(self, **inputs):
        self.inputs = inputs

    def value(self, name, index):
        v = self.inputs[name]
        if isinstance(v, np.ndarray) and v.ndim == 1:
            if index is None:
                return v
            return v[index] if v.dtype.kind == "M" else v[index].item()
        return v

    def where(self, name, index):
        return name if index is None else f"{name}[{index}]"


def _needs_reason(rows, index):
    mask, btype = rows.value("masks", index), rows.value("backup_type", index)
    entry = rows.value("entry_flags", index) or 0
    if entry & EntryFlag.DIFFERENCED:
        return "it is a DIFFERENCED entry, copied iff modified since its threshold"
    rule = _TYPE_RULE.get(btype)
    if rule is None:  # only INCREMENTAL/DIFFERENTIAL rows reach here; say so if not
        return f"its backup type {btype} and mask 0x{mask:X} make it depend on a time"
    return (f"its effective backup type is {BackupType(btype).name} and its mask 0x{mask:X} "
            f"lacks {rule}, so it is copied iff modified since `since`")


def _row_error(bit, index, rows, *, scalar=False):
    """The exception for status `bit` at row `index` (None for a scalar call)."""
    row = "the file" if index is None else f"row {index}"

    def bad(name, text, fmt=repr):
        v = rows.value(name, index)
        return InvalidRowError(f"{rows.where(name, index)} = {fmt(v)}: {text}",
                               argument=name, index=index, value=v)

    def hex_or_repr(v):
        return f"0x{v:X}" if isinstance(v, int) and v >= 0 else repr(v)

    if bit == _csvcore.STATUS_BAD_MASK:
        return bad("masks" if not scalar else "mask",
                   f"not a VSS_FILE_SPEC_BACKUP_TYPE mask (valid bits: 0x{VALID_MASK_BITS:X})",
                   hex_or_repr)
    if bit == _csvcore.STATUS_BAD_TYPE:
        return bad("backup_type", "not a VSS_BACKUP_TYPE from FULL (1) to OTHER (6); "
                                  "UNDEFINED (0) is an application error")
    if bit == _csvcore.STATUS_BAD_ENTRY:
        return bad("entry_flags" if not scalar else "entry",
                   "not an EntryFlag combination (valid bits: 0x7)")
    if bit == _csvcore.STATUS_NEGATIVE_MTIME:
        return bad("mtimes" if not scalar else "mtime",
                   "not a FILETIME (negative, NaT or out of range)")
    if bit == _csvcore.STATUS_NEGATIVE_DIFF_SINCE:
        return bad("differenced_since", "not a FILETIME (negative, NaT or out of range)")
    if bit == _csvcore.STATUS_NEEDS_SINCE:
        return InvalidRowError(
            f"{row} needs `since` (the requester's reference time) and none was given: "
            f"{_needs_reason(rows, index)} (a zero differenced_since also means `since`)",
            argument="since", index=index)
    return InvalidRowError(
        f"{row} needs its modification time and {'mtime' if scalar else 'mtimes'} was not "
        f"given: {_needs_reason(rows, index)}",
        argument="mtime" if scalar else "mtimes", index=index)


def _raise_for(status, firsts, rows, *, scalar=False):
    for bit in _csvcore.STATUS_BITS:  # the order errors are reported in
        if status & bit:
            raise _row_error(bit, firsts.get(bit), rows, scalar=scalar)


def decide(mask, backup_type, *, mtime=None, since=None, entry=0, differenced_since=0):
    """The decision for one file.

    Parameters
    ----------
    mask : int
        The file set's VSS_FILE_SPEC_BACKUP_TYPE mask (``FileSpecBackupType``).
    backup_type : BackupType or int
        The effective backup type for the file's writer (see `effective_backup_type`).
    mtime : int, datetime or datetime64, optional
        The file's last-modify time (FILETIME). Needed by differenced files and by
        INCREMENTAL/DIFFERENTIAL files whose mask lacks the type's backup bit.
    since : int, datetime or datetime64, optional
        The requester's reference time: the previous backup this one builds on.
    entry : EntryFlag or int
        EXCLUDED, DIFFERENCED, PARTIAL.
    differenced_since : int, datetime or datetime64
        A differenced file's threshold; 0 means `since`.

    Returns
    -------
    Decision

    Raises
    ------
    InvalidRowError (a ValueError)
        For an invalid mask, type, entry or time, or when `since` or `mtime` is needed and
        missing; the message names the rule.
    """
    m = scalar_int(mask, "mask")
    t = _scalar_backup_type(backup_type)
    e = scalar_int(entry, "entry")
    mt = None if mtime is None else to_filetime(mtime, "mtime")
    s = _csvcore.NO_TIME if since is None else to_filetime(since, "since")
    ds = to_filetime(differenced_since, "differenced_since")
    rows = _Rows(mask=mask, masks=m, backup_type=t, entry=entry, entry_flags=e, mtime=mtime,
                 differenced_since=differenced_since)
    if not 0 <= m <= 0xFFFFFFFF:
        raise _row_error(_csvcore.STATUS_BAD_MASK, None, rows, scalar=True)
    if not 0 <= e <= 0xFF:
        raise _row_error(_csvcore.STATUS_BAD_ENTRY, None, rows, scalar=True)
    d, status = _csvcore.decide_row(m, t, e, 0 if mt is None else mt, mt is not None, ds, s)
    if status:
        _raise_for(status, {}, rows, scalar=True)
    return Decision(d)


def _check_out(out, n):
    if out is None:
        return np.empty(n, dtype=np.uint8)
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a numpy uint8 array, not {type(out).__name__}")
    if out.dtype != np.uint8:
        raise TypeError(f"out must have dtype uint8, got {out.dtype}")
    if out.shape != (n,):
        raise ValueError(f"out has shape {out.shape}, expected ({n},)")
    if not out.flags.writeable:
        raise ValueError("out is read-only")
    return out


def classify(masks, backup_type, *, mtimes=None, since=None, entry_flags=None,
             differenced_since=None, threads=None, out=None):
    """Decide every file of a catalog: one `Decision` (uint8) per row.

    Parameters
    ----------
    masks : integer array
        VSS_FILE_SPEC_BACKUP_TYPE mask per file (uint32 is read in place; any integer dtype,
        strided or read-only, works).
    backup_type : BackupType or int, or an integer array
        The effective backup type of every row, or one per row (rows of different writers
        have different effective types: see `effective_backup_type`).
    mtimes : integer (FILETIME) or datetime64 array, optional
        Last-modify time per file; needed only by rows that are decided by time.
    since : int, datetime or datetime64, optional
        The requester's reference time; needed by INCREMENTAL/DIFFERENTIAL rows whose mask
        lacks the type's backup bit and by differenced rows with a zero threshold.
    entry_flags : integer array, optional
        `EntryFlag` per file.
    differenced_since : FILETIME scalar or array, optional
        Threshold per differenced file; 0 (the default) means `since`.
    threads : int, optional
        Threads to use; default ``OMP_NUM_THREADS``, then the CPU count.
    out : numpy uint8 array, optional
        Where to write the decisions (checked before any work).

    Returns
    -------
    numpy.ndarray of uint8 (`out` when given)

    Raises
    ------
    TypeError
        Non-integer inputs (floats, objects) or a wrong `out` dtype.
    ValueError
        Mismatched lengths, wrong `out` shape or read-only `out`; and, as `InvalidRowError`
        naming the first offending row and value, invalid masks, types, entry flags,
        negative FILETIMEs, or rows that need a missing `since`/`mtimes`. After such a row
        error the contents of `out` are unspecified.

    Notes
    -----
    Memory is the inputs plus the output: inputs that are not read in place are converted
    `CHUNK_ROWS` at a time. An input that overlaps `out` is copied first.
    """
    masks = as_int_array(masks, "masks")
    n = masks.shape[0]
    if np.ndim(backup_type) == 0:
        type0, types = _scalar_backup_type(backup_type), None
    else:
        type0, types = 0, as_rows(backup_type, "backup_type", n)
    entries = None if entry_flags is None else as_rows(entry_flags, "entry_flags", n)
    mt = None if mtimes is None else as_rows(mtimes, "mtimes", n, allow_datetime=True)
    if differenced_since is None:
        ds0, ds = 0, None
    else:
        ds0, ds = _time_or_rows(differenced_since, "differenced_since", n)
    since_ft = _csvcore.NO_TIME if since is None else to_filetime(since, "since")
    nthreads = resolve_threads(threads)
    out = _check_out(out, n)
    if n == 0:
        return out

    # (name, array, kernel dtype, the value standing for "cannot be represented"); an input
    # that overlaps `out` is copied first, so that the kernel and the error messages read
    # what the caller passed, not decisions written over it
    inputs = [("masks", masks, np.uint32, 0xFFFFFFFF), ("types", types, np.uint8, 0xFF),
              ("entries", entries, np.uint8, 0xFF), ("mtimes", mt, np.int64, -1),
              ("ds", ds, np.int64, -1)]
    inputs = [(name, np.array(a, copy=True) if a is not None and np.may_share_memory(a, out)
               else a, dt, inv) for name, a, dt, inv in inputs]
    read = {name: a for name, a, _, _ in inputs}
    rows = _Rows(masks=read["masks"],
                 backup_type=backup_type if types is None else read["types"],
                 entry_flags=read["entries"], mtimes=read["mtimes"],
                 differenced_since=read["ds"] if ds is not None else ds0)

    def run(lo, hi, target):
        conv = {name: None if a is None else convert_chunk(a[lo:hi], dt, inv)
                for name, a, dt, inv in inputs}
        return _csvcore.classify_into(conv["masks"], conv["types"], type0, conv["entries"],
                                      conv["mtimes"], conv["ds"], ds0, since_ft, target,
                                      nthreads, GRAIN_ROWS)

    if out.flags.c_contiguous and all(a is None or is_native(a, dt) for _, a, dt, _ in inputs):
        status, firsts = run(0, n, out)
    else:
        status, firsts = 0, {}
        scratch = None if out.flags.c_contiguous else np.empty(min(n, CHUNK_ROWS), np.uint8)
        for lo in range(0, n, CHUNK_ROWS):
            hi = min(n, lo + CHUNK_ROWS)
            target = out[lo:hi] if scratch is None else scratch[:hi - lo]
            st, fi = run(lo, hi, target)
            if scratch is not None:
                out[lo:hi] = target
            status |= st
            for bit, i in fi.items():
                firsts.setdefault(bit, lo + i)
    if status:
        _raise_for(status, firsts, rows)
    return out


def validate_masks(masks, *, express=False):
    """Indices of the masks that are not valid VSS_FILE_SPEC_BACKUP_TYPE combinations.

    A mask is invalid with bits outside 0x10F0F (ALL_BACKUP | ALL_SNAPSHOT |
    CREATED_DURING_BACKUP). With ``express=True`` the DIFFERENTIAL, INCREMENTAL and LOG
    backup bits (0x2, 0x4, 0x8) are invalid too: express writers may not use them
    (docs/reference/spec-pages.md section 5; VSS_E_NOT_SUPPORTED).

    Returns
    -------
    numpy.ndarray of intp, ascending (empty when every mask is valid).
    """
    masks = as_int_array(masks, "masks")
    express = bool(express)
    found = []
    step = masks.shape[0] if is_native(masks, np.uint32) else CHUNK_ROWS
    for lo in range(0, masks.shape[0], max(step, 1)):
        chunk = convert_chunk(masks[lo:lo + step], np.uint32, 0xFFFFFFFF)
        count = _csvcore.count_invalid_masks(chunk, express)
        if count:
            idx = np.empty(count, dtype=np.intp)
            _csvcore.find_invalid_masks(chunk, express, idx)
            found.append(idx + lo)
    return np.concatenate(found) if found else np.empty(0, dtype=np.intp)

