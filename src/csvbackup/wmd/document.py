"""`WriterMetadata`: one writer's metadata, read from a saved WMD or a ``vshadow -wm2`` listing.

The readers below it (`csvbackup.wmd.xml`, `csvbackup.wmd.text`) return its fields; the
parts it holds are in `csvbackup.wmd.model`.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..vss import BackupSchema
from .model import Component, DataSource, FileSpec, Usage
from .text import read_vshadow_text
from .xml import read_wmd

__all__ = ["WriterMetadata"]


@dataclass(frozen=True)
class WriterMetadata:
    """One writer's metadata: identity, schema, components and excludes.

    Build one with `from_xml` (a saved WMD) or `from_vshadow_text` (a ``vshadow -wm2``
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
    restore_method: str | None = None
    writer_restore: str | None = None
    reboot_required: bool = False
    components: tuple[Component, ...] = ()
    excludes: tuple[FileSpec, ...] = ()
    excludes_from_snapshot: tuple[FileSpec, ...] = ()
    recursive_known: bool = True

    @property
    def files(self) -> list[FileSpec]:
        """Every include file set of every component, in document order."""
        return [f for c in self.components for f in c.files]

    @classmethod
    def from_xml(cls, source, *, max_bytes: int = 64 << 20) -> WriterMetadata:
        """Parse one Writer Metadata Document.

        Parameters
        ----------
        source : bytes, bytearray, memoryview, str, or os.PathLike
            The document's bytes (UTF-8/ASCII, or UTF-16 with or without a BOM), its text,
            or the path of a file holding it. A plain ``str`` is taken as XML text when it
            starts with ``<`` (after whitespace or a BOM), else as a file name: an empty or
            white-space-only ``str`` is a WriterMetadataError, a name of no existing file a
            FileNotFoundError, each saying it expected one or the other.
        max_bytes : int
            Larger inputs are refused before parsing.

        Raises
        ------
        WriterMetadataError
            Malformed XML (with ``.line`` and ``.column``), a DTD or entity declaration, a
            missing required attribute, a non-numeric number, or a document that is not a WMD.
        InvalidParameterError
            `max_bytes` is negative (a ValueError).
        """
        return cls(**read_wmd(source, max_bytes=max_bytes))

    @classmethod
    def from_vshadow_text(cls, text: str) -> list[WriterMetadata]:
        """Parse the ``vshadow -wm2`` listing: one `WriterMetadata` per ``* WRITER`` block.

        vshadow never prints a file set's recursion flag, so every file set is returned with
        ``recursive=False`` and each writer with ``recursive_known=False``.
        """
        return [cls(**fields) for fields in read_vshadow_text(text)]
