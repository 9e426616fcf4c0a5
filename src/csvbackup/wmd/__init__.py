"""Writer Metadata Documents: what a VSS writer says it backs up, as Python objects.

A Writer Metadata Document (WMD) is the XML a writer's metadata is saved as
(``IVssExamineWriterMetadata::SaveAsXML``). Its schema is proprietary and observed, not
specified (docs/reference/vss-filespec.md section 4), so the parser accepts any element
order and treats a WMD as untrusted input. `WriterMetadata.from_xml` reads one;
`WriterMetadata.from_vshadow_text` reads the detailed text listing of ``vshadow -wm2``.

The file sets (`FileSpec`) feed `csvbackup.FileSpecSet`, which matches them against catalogs.

Modules, each importing only those before it: `model` (the enumerations, `FileSpec`,
`Component`), `xml` and `text` (the readers, which return a writer's fields), `document`
(`WriterMetadata`), `files` (`load_writers`: files and folders of them).
"""
from ..errors import WriterMetadataError
from .document import WriterMetadata
from .files import load_writers
from .model import Component, ComponentType, DataSource, FileRole, FileSpec, Usage

__all__ = [
    "ComponentType",
    "DataSource",
    "FileRole",
    "FileSpec",
    "Component",
    "Usage",
    "WriterMetadata",
    "WriterMetadataError",
    "load_writers",
]
