"""csvbackup: Windows Failover Cluster Shared Volume (CSV) backup for Python.

"CSV" always means Cluster Shared Volume. csvbackup decides, for catalogs of millions to
billions of files, what a VSS backup must copy and from where (this release), and will
reads and writes cluster properties as CLUSPROP property lists, byte-exact with Windows, and
will coordinate the cluster's CSV backup mode.
"""
from ._version import __version__

# === Public API ===
from . import controls
from .backup_mode import BackupState, SharedVolumeBackupMode
from .build_info import get_include, kernel_isa, openmp_enabled, resolve_threads
from .clusprop import Format, PropType, Syntax, syntax_value
from .decision import Decision, EntryFlag, classify, decide, validate_masks
from .errors import (
    InvalidDataError,
    InvalidParameterError,
    InvalidRowError,
    MoreDataError,
    PropertyError,
    PropertyNotFoundError,
    PropertyTypeMismatchError,
    PropertyValueError,
    ReadOnlyPropertyError,
    UnknownPropertyError,
    Win32Error,
)
from .propbatch import FIXED_FORMAT_DTYPES, build_property_lists, read_property
from .proplist import (
    Binary,
    Dword,
    ExpandedSz,
    ExpandSz,
    FileTime,
    LargeInteger,
    Long,
    MultiSz,
    PropertyList,
    PropertyListValue,
    SecurityDescriptor,
    Sz,
    ULargeInteger,
    Value,
    ValueList,
    Word,
    as_value,
)
from .proptable import (
    BACKUP_IN_PROGRESS,
    CLUSTER_COMMON_PROPERTIES,
    CLUSTER_CSA_VSS_STATE,
    PropertyItem,
    PropertyTable,
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
    "BackupState",
    "controls",
    "SharedVolumeBackupMode",
    "as_value",
    "BACKUP_IN_PROGRESS",
    "BackupSchema",
    "BackupType",
    "Binary",
    "build_property_lists",
    "classify",
    "CLUSTER_COMMON_PROPERTIES",
    "CLUSTER_CSA_VSS_STATE",
    "datetime64_to_filetime",
    "decide",
    "Decision",
    "DEFAULT_FILESPEC_MASK",
    "Dword",
    "effective_backup_type",
    "EntryFlag",
    "ExpandedSz",
    "ExpandSz",
    "FileSpecBackupType",
    "FileTime",
    "filetime_to_datetime",
    "FIXED_FORMAT_DTYPES",
    "Format",
    "get_include",
    "InvalidDataError",
    "InvalidParameterError",
    "InvalidRowError",
    "kernel_isa",
    "LargeInteger",
    "Long",
    "MoreDataError",
    "MultiSz",
    "openmp_enabled",
    "PropertyError",
    "PropertyItem",
    "PropertyList",
    "PropertyListValue",
    "PropertyNotFoundError",
    "PropertyTable",
    "PropertyTypeMismatchError",
    "PropertyValueError",
    "PropType",
    "read_property",
    "ReadOnlyPropertyError",
    "resolve_threads",
    "SecurityDescriptor",
    "Syntax",
    "syntax_value",
    "Sz",
    "to_filetime",
    "ULargeInteger",
    "UnknownPropertyError",
    "validate_masks",
    "Value",
    "ValueList",
    "Win32Error",
    "Word",
]
