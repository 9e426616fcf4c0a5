"""The parts of a writer's metadata: its enumerations, file sets (`FileSpec`) and components.

The readers (`csvbackup.wmd.xml`, `csvbackup.wmd.text`) build these; `WriterMetadata`, which
holds them, is in `csvbackup.wmd.document`.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from ..vss import DEFAULT_FILESPEC_MASK

__all__ = [
    "ComponentType",
    "DataSource",
    "FileRole",
    "FileSpec",
    "Component",
    "Usage",
]


class ComponentType(enum.IntEnum):
    """VSS_COMPONENT_TYPE (mingw vss.h): the kind of a writer component."""

    UNDEFINED = 0
    DATABASE = 1  #: a DATABASE element (DATABASE_FILES and DATABASE_LOGFILES)
    FILE_GROUP = 2  #: a FILE_GROUP element (FILE_LIST)


class Usage(enum.IntEnum):
    """VSS_USAGE_TYPE (mingw vss.h): what a writer's data is for (``usage`` attribute)."""

    UNDEFINED = 0
    BOOTABLE_SYSTEM_STATE = 1
    SYSTEM_SERVICE = 2
    USER_DATA = 3
    OTHER = 4


class DataSource(enum.IntEnum):
    """VSS_SOURCE_TYPE (mingw vss.h): the kind of store a writer keeps (``dataSource``)."""

    UNDEFINED = 0
    TRANSACTION_DB = 1
    NONTRANSACTION_DB = 2
    OTHER = 3


class FileRole(str, enum.Enum):
    """Which WMD element a file set came from; its value is the element name."""

    FILE_LIST = "FILE_LIST"  #: a file group's files (include)
    DATABASE_FILES = "DATABASE_FILES"  #: a database's data files (include)
    DATABASE_LOGFILES = "DATABASE_LOGFILES"  #: a database's log files (include)
    EXCLUDE = "EXCLUDE_FILES"  #: writer-level exclude: never backed up
    EXCLUDE_FROM_SNAPSHOT = "EXCLUDE_FILES_FROM_SNAPSHOT"  #: deleted from the shadow copy

    @property
    def is_include(self) -> bool:
        """True for the roles that put files into a backup."""
        return self in (FileRole.FILE_LIST, FileRole.DATABASE_FILES, FileRole.DATABASE_LOGFILES)


@dataclass(frozen=True)
class FileSpec:
    """One file set (IVssWMFiledesc): a directory, a filespec, and how they apply.

    Attributes
    ----------
    path : str
        The directory, as the writer wrote it (may hold ``%SystemRoot%``-style variables,
        a ``\\\\?\\`` prefix, a trailing separator, or be volume-relative: ``\\System Volume
        Information``).
    filespec : str
        File-name pattern with ``*`` and ``?`` (DOS rules: vss-filespec.md section 2.3).
    recursive : bool
        True: every subdirectory too. An absent ``recursive`` attribute means False (section 2.4).
    alternate_path : str or None
        Where the files are read from during backup instead of ``path`` (section 2.6).
    mask : int
        VSS_FILE_SPEC_BACKUP_TYPE; 0xF0F (`DEFAULT_FILESPEC_MASK`) when the writer gave none.
        0 for excludes, which have no mask.
    role : FileRole
        The element the file set came from.
    """

    path: str
    filespec: str
    recursive: bool = False
    alternate_path: str | None = None
    mask: int = int(DEFAULT_FILESPEC_MASK)
    role: FileRole = FileRole.FILE_LIST


@dataclass(frozen=True)
class Component:
    """One writer component (FILE_GROUP or DATABASE) and its file sets."""

    logical_path: str
    name: str
    kind: ComponentType
    caption: str = ""
    selectable: bool = False
    selectable_for_restore: bool = False
    restore_metadata: bool = False
    notify_on_backup_complete: bool = False
    flags: int = 0  #: VSS_COMPONENT_FLAGS (componentFlags)
    files: tuple[FileSpec, ...] = ()
