"""VSS enumerations (values exactly as Windows' vss.h) and the effective backup type.

Sources: docs/reference/spec-pages.md section 5 (VSS_FILE_SPEC_BACKUP_TYPE), mingw-w64 vss.h
(VSS_BACKUP_TYPE, VSS_BACKUP_SCHEMA); docs/reference/vss-filespec.md sections 0, 1 and 3.4.
"""
import enum

import numpy as np

from . import _csvcore
from ._arrays import as_int_array, scalar_int
from .errors import InvalidParameterError

__all__ = [
    "FileSpecBackupType",
    "BackupType",
    "BackupSchema",
    "DEFAULT_FILESPEC_MASK",
    "effective_backup_type",
    "flag_names",
    "supported_backup_types",
]


class FileSpecBackupType(enum.IntFlag):
    """VSS_FILE_SPEC_BACKUP_TYPE: a file set's copy and shadow-copy requirements."""

    FULL_BACKUP_REQUIRED = 0x1
    DIFFERENTIAL_BACKUP_REQUIRED = 0x2
    INCREMENTAL_BACKUP_REQUIRED = 0x4
    LOG_BACKUP_REQUIRED = 0x8
    FULL_SNAPSHOT_REQUIRED = 0x100
    DIFFERENTIAL_SNAPSHOT_REQUIRED = 0x200
    INCREMENTAL_SNAPSHOT_REQUIRED = 0x400
    LOG_SNAPSHOT_REQUIRED = 0x800
    CREATED_DURING_BACKUP = 0x10000
    ALL_BACKUP_REQUIRED = 0xF
    ALL_SNAPSHOT_REQUIRED = 0xF00


#: The mask of a file set whose writer gives none: ALL_BACKUP_REQUIRED | ALL_SNAPSHOT_REQUIRED
#: (docs/reference/spec-pages.md section 5, Remarks): always copied, always from a shadow copy.
DEFAULT_FILESPEC_MASK = FileSpecBackupType.ALL_BACKUP_REQUIRED | FileSpecBackupType.ALL_SNAPSHOT_REQUIRED

#: Every bit a valid mask may have.
VALID_MASK_BITS = 0x10F0F
#: Bits express writers may not use (docs/reference/spec-pages.md section 5: "not supported for
#: express writers").
EXPRESS_FORBIDDEN_BITS = 0xE


class BackupType(enum.IntEnum):
    """VSS_BACKUP_TYPE. UNDEFINED "indicates an application error" and is rejected."""

    UNDEFINED = 0
    FULL = 1
    INCREMENTAL = 2
    DIFFERENTIAL = 3
    LOG = 4
    COPY = 5
    OTHER = 6


class BackupSchema(enum.IntFlag):
    """VSS_BACKUP_SCHEMA: the backup types and features a writer supports."""

    UNDEFINED = 0x0
    DIFFERENTIAL = 0x1
    INCREMENTAL = 0x2
    EXCLUSIVE_INCREMENTAL_DIFFERENTIAL = 0x4
    LOG = 0x8
    COPY = 0x10
    TIMESTAMPED = 0x20
    LAST_MODIFY = 0x40
    LSN = 0x80
    WRITER_SUPPORTS_NEW_TARGET = 0x100
    WRITER_SUPPORTS_RESTORE_WITH_MOVE = 0x200
    INDEPENDENT_SYSTEM_STATE = 0x400
    ROLLFORWARD_RESTORE = 0x1000
    RESTORE_RENAME = 0x2000
    AUTHORITATIVE_RESTORE = 0x4000
    WRITER_SUPPORTS_PARALLEL_RESTORES = 0x8000


def flag_names(value, flags=FileSpecBackupType):
    """`value`'s bits by name, as vss.h spells them: ``"FULL_BACKUP_REQUIRED |
    ALL_SNAPSHOT_REQUIRED"``. A group whose bits are all set (ALL_BACKUP_REQUIRED, ...) is
    named once; bits `flags` does not define are shown in hex; 0 is ``"0"``."""
    value = int(value)
    names, left = [], value
    members = sorted((m for m in flags.__members__.values() if m.value),
                     key=lambda m: -m.value.bit_count())
    for m in members:  # groups (more bits) first, then the single bits
        if left & m.value == m.value:
            names.append(m)
            left &= ~m.value
    names.sort(key=lambda m: (m.value & -m.value))
    text = [m.name for m in names] + ([f"0x{left:X}"] if left else [])
    return " | ".join(text) or "0"


def supported_backup_types(backup_schema):
    """The requested backup types a writer with `backup_schema` takes as they are (the others
    it turns into FULL: `effective_backup_type`)."""
    return [t for t in BackupType if t != BackupType.UNDEFINED
            and effective_backup_type(t, backup_schema) == t]


def _bad_requested(value, where):
    return InvalidParameterError(
        f"{where} = {value!r}: the requested backup type must be a VSS_BACKUP_TYPE from "
        "FULL (1) to OTHER (6); UNDEFINED (0) is an application error"
    )


def effective_backup_type(requested, backup_schema):
    """The backup type a requester applies to one writer's data.

    The requested type when the writer's schema supports it, else FULL: INCREMENTAL needs
    ``BackupSchema.INCREMENTAL``, DIFFERENTIAL needs ``DIFFERENTIAL``, LOG needs ``LOG``, COPY
    needs ``COPY``; FULL and OTHER need nothing (sdk-api VSS_BACKUP_TYPE: "the requester will
    always perform a full (VSS_BT_FULL) backup on that writer's data").

    Parameters
    ----------
    requested : BackupType or int, or an integer array
    backup_schema : BackupSchema or int (a DWORD), or an integer array

    Returns
    -------
    BackupType for scalar arguments; otherwise a ``uint8`` array of the broadcast shape,
    ready to pass as ``classify(..., backup_type=...)``.
    """
    if np.ndim(requested) == 0 and np.ndim(backup_schema) == 0:
        req = scalar_int(requested, "requested")
        schema = scalar_int(backup_schema, "backup_schema")
        if not 0 <= schema <= 0xFFFFFFFF:
            raise InvalidParameterError(f"backup_schema = {schema}: not a DWORD")
        if not 1 <= req <= 6:
            raise _bad_requested(req, "requested")
        return BackupType(_csvcore.effective_backup_type(req, schema))
    req = as_int_array(np.atleast_1d(requested), "requested")
    schema = as_int_array(np.atleast_1d(backup_schema), "backup_schema")
    req, schema = np.broadcast_arrays(req, schema)
    if req.ndim != 1:
        raise ValueError(f"effective_backup_type works on 1-D arrays, got shape {req.shape}")
    if schema.size and (schema.min() < 0 or schema.max() > 0xFFFFFFFF):
        i = int(np.flatnonzero((schema < 0) | (schema > 0xFFFFFFFF))[0])
        raise InvalidParameterError(f"backup_schema[{i}] = {schema[i]}: not a DWORD")
    req32 = np.where((req < 0) | (req > 0xFFFFFFFF), 0, req).astype(np.uint32)
    out = np.empty(req.shape[0], dtype=np.uint8)
    bad = _csvcore.effective_types_into(req32, np.ascontiguousarray(schema, dtype=np.uint32), out)
    if bad >= 0:
        raise _bad_requested(req[bad].item(), f"requested[{bad}]")
    return out
