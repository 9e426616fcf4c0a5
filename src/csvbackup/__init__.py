"""csvbackup: Windows Failover Cluster Shared Volume (CSV) backup for Python.

"CSV" always means Cluster Shared Volume. csvbackup decides, for catalogs of millions to
billions of files, what a VSS backup must copy and from where (this release), and will
coordinate the cluster's CSV backup mode.
"""
from ._version import __version__

# === Public API ===
from .build_info import get_include, kernel_isa, openmp_enabled, resolve_threads
from .clusprop import Format, PropType, Syntax, syntax_value
from .decision import Decision, EntryFlag, classify, decide, validate_masks
from .errors import (
    InvalidDataError,
    InvalidParameterError,
    InvalidRowError,
    MoreDataError,
    Win32Error,
)
from .filetime import datetime64_to_filetime, filetime_to_datetime, to_filetime
from .vss import (
    DEFAULT_FILESPEC_MASK,
    BackupSchema,
    BackupType,
    FileSpecBackupType,
    effective_backup_type,
)

__all__ = [
    "__version__",
    "BackupSchema",
    "BackupType",
    "DEFAULT_FILESPEC_MASK",
    "Decision",
    "EntryFlag",
    "FileSpecBackupType",
    "Format",
    "InvalidDataError",
    "InvalidParameterError",
    "InvalidRowError",
    "MoreDataError",
    "PropType",
    "Syntax",
    "Win32Error",
    "classify",
    "datetime64_to_filetime",
    "decide",
    "effective_backup_type",
    "filetime_to_datetime",
    "get_include",
    "kernel_isa",
    "openmp_enabled",
    "resolve_threads",
    "syntax_value",
    "to_filetime",
    "validate_masks",
]
