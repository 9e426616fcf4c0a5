"""Writer Metadata Documents: what a VSS writer says it backs up, as Python objects.

A Writer Metadata Document (WMD) is the XML a writer's metadata is saved as
(``IVssExamineWriterMetadata::SaveAsXML``). Its schema is proprietary and observed, not
specified (shared/reference/vss-filespec.md section 4), so the parser accepts any element
order and treats a WMD as untrusted input. `WriterMetadata.from_xml` reads one;
`WriterMetadata.from_vshadow_text` reads the text listing of ``vshadow -wm``.

The file sets (`FileSpec`) feed `csvbackup.FileSpecSet`, which matches them against catalogs.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from .vss import DEFAULT_FILESPEC_MASK, BackupSchema

__all__ = [
    "ComponentType",
    "DataSource",
    "FileRole",
    "FileSpec",
    "Component",
    "Usage",
    "WriterMetadata",
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
    alternate_path: Optional[str] = None
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
    files: Tuple[FileSpec, ...] = ()


@dataclass(frozen=True)
class WriterMetadata:
    """One writer's metadata: identity, schema, components and excludes.

    Build one with `from_xml` (a saved WMD) or `from_vshadow_text` (a ``vshadow -wm``
    listing, which does not print the recursion flag: every file set read from it has
    ``recursive=False`` and ``recursive_known`` is False).
    """

    writer_id: str
    instance_id: str
    friendly_name: str
    instance_name: str = ""
    usage: Usage = Usage.UNDEFINED
    data_source: DataSource = DataSource.UNDEFINED
    backup_schema: BackupSchema = BackupSchema.UNDEFINED
    version: str = ""
    major_version: int = 0
    minor_version: int = 0
    restore_method: Optional[str] = None
    writer_restore: Optional[str] = None
    reboot_required: bool = False
    components: Tuple[Component, ...] = ()
    excludes: Tuple[FileSpec, ...] = ()
    excludes_from_snapshot: Tuple[FileSpec, ...] = ()
    recursive_known: bool = True

    @property
    def files(self) -> List[FileSpec]:
        """Every include file set of every component, in document order."""
        return [f for c in self.components for f in c.files]

    @classmethod
    def from_xml(cls, source, *, max_bytes: int = 64 << 20) -> "WriterMetadata":
        """Parse one Writer Metadata Document.

        Parameters
        ----------
        source : bytes, bytearray, memoryview, str, or os.PathLike
            The document's bytes (UTF-8/ASCII, or UTF-16 with or without a BOM), its text,
            or the path of a file holding it. A plain ``str`` is taken as XML text when it
            starts with ``<`` (after whitespace or a BOM), else as a file name.
        max_bytes : int
            Larger inputs are refused before parsing.

        Raises
        ------
        WriterMetadataError
            Malformed XML (with ``.line`` and ``.column``), a DTD or entity declaration, a
            missing required attribute, a non-numeric number, or a document that is not a WMD.
        """
        from .wmd_xml import parse_wmd

        return parse_wmd(source, max_bytes=max_bytes)

    @classmethod
    def from_vshadow_text(cls, text: str) -> "List[WriterMetadata]":
        """Parse the ``vshadow -wm`` listing: one `WriterMetadata` per ``* WRITER`` block.

        vshadow never prints a file set's recursion flag, so every file set is returned with
        ``recursive=False`` and each writer with ``recursive_known=False``.
        """
        from .wmd_text import parse_vshadow_text

        return parse_vshadow_text(text)
