"""Writer metadata from files and folders: what ``csvbackup plan --writers`` reads."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import WriterMetadataError
from .document import WriterMetadata
from .xml import _decode, _looks_like_xml

__all__ = ["load_writers"]

#: File names a folder is searched for: saved documents and ``vshadow -wm2`` listings.
_SUFFIXES = (".xml", ".txt")


def _files(path):
    path = Path(path)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES and p.is_file())
        if not found:
            raise WriterMetadataError(f"{path}: a folder with no .xml or .txt file")
        return found
    if not path.exists():
        raise FileNotFoundError(2, "no such writer metadata file", str(path))
    return [path]


def load_writers(paths, *, max_bytes: int = 64 << 20) -> list[WriterMetadata]:
    """Every writer described by `paths`: files, or folders whose ``.xml`` and ``.txt`` files
    are read in name order. A file holding XML is one Writer Metadata Document
    (`WriterMetadata.from_xml`); any other is a ``vshadow -wm2`` listing of one or more
    writers (`WriterMetadata.from_vshadow_text`), in UTF-8 or UTF-16.

    Raises FileNotFoundError for a missing path and `WriterMetadataError` naming the file
    for one that cannot be read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    writers = []
    for p in paths:
        for f in _files(p):
            try:
                with open(f, "rb") as fh:
                    data = fh.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise WriterMetadataError(f"over max_bytes={max_bytes:,}")
                text = _decode(data)
                if _looks_like_xml(text):
                    writers.append(WriterMetadata.from_xml(data, max_bytes=max_bytes))
                else:
                    found = WriterMetadata.from_vshadow_text(text)
                    if not found:
                        raise WriterMetadataError("neither XML nor a vshadow -wm2 listing "
                                                  "(no '* WRITER' block)")
                    writers.extend(found)
            except WriterMetadataError as e:
                raise WriterMetadataError(f"{f}: {e.args[0]}", e.winerror) from None
    return writers
