"""Writer Metadata Document XML -> `WriterMetadata` fields (`WriterMetadata.from_xml`).

A WMD's schema is proprietary and observed, not specified (docs/reference/vss-filespec.md
section 4), so this parser reads the observed element set and is strict only where a mistake
would change what gets backed up:

* The root is WRITER_METADATA; its ``xmlns``, when present (Windows always writes it), must be
  ``x-schema:#VssWriterMetadataInfo``. A Backup Components Document (root BACKUP_COMPONENTS,
  namespace ``x-schema:#VssComponentMetadata``) is refused as such.
* Elements may come in any order (the WMI writer puts RESTORE_METHOD after BACKUP_LOCATIONS);
  unknown elements and attributes are ignored, so a newer Windows' additions do not break it.
  IDENTIFICATION and RESTORE_METHOD may appear once; BACKUP_LOCATIONS any number of times.
* A known element outside its parent (a FILE_LIST outside a FILE_GROUP, a FILE_GROUP outside
  BACKUP_LOCATIONS, ...) is an error: its files would otherwise be dropped or misfiled.
* ``path`` and ``filespec`` of every file element, ``componentName``, ``writerId`` and
  ``instanceId`` are required. Numbers are ASCII decimal digits only, at most 0xFFFFFFFF
  (``int()`` alone would also take Arabic-Indic digits, ``"1_000"`` and surrounding spaces).
* Booleans: Windows writes ``yes``/``no``. ``true``/``false``/``1``/``0`` are accepted too, in
  any case, because they cannot mean anything else; every other value is an error.
* An absent ``recursive`` is False (section 2.4); an absent ``filespecBackupType`` is
  `DEFAULT_FILESPEC_MASK` 0xF0F; an absent ``backupSchema`` is 0. Excludes have no mask
  (0) and no alternate path: ``filespecBackupType`` and ``alternatePath`` on them are
  ignored (excludes match the default path, section 2.5).

A WMD is untrusted input. It is parsed by the standard library's expat, streaming, with no
tree kept. A WMD never has a DTD, so any DOCTYPE, entity declaration or external entity
reference is refused when expat reports it, before anything is expanded (billion laughs,
``file:///etc/passwd``). Encodings: what the bytes are, not what a declaration says (section
4: Windows saves WMDs as plain ASCII, or as raw UTF-16 without a BOM). See `read_wmd`.
"""
from __future__ import annotations

import errno
import operator
import os
import re
import sys
from xml.parsers import expat

from ..errors import ERROR_XML_PARSE_ERROR, InvalidParameterError, WriterMetadataError
from ..vss import DEFAULT_FILESPEC_MASK, BackupSchema
from .model import (
    Component,
    ComponentType,
    DataSource,
    FileRole,
    FileSpec,
    Usage,
)

__all__ = ["ERROR_XML_PARSE_ERROR", "WMD_NAMESPACE", "WriterMetadataError", "read_wmd"]

#: The namespace Windows writes on a WMD's root (section 4).
WMD_NAMESPACE = "x-schema:#VssWriterMetadataInfo"
#: The namespace of a Backup Components Document (section 4), refused with its own message.
BCD_NAMESPACE = "x-schema:#VssComponentMetadata"

_UINT32_MAX = 0xFFFFFFFF
_DECIMAL = re.compile(r"[0-9]+\Z")  # [0-9], not \d: \d also matches non-ASCII digits
_BOOLEANS = {"yes": True, "no": False, "true": True, "false": False, "1": True, "0": False}
_DEFAULT_MASK = int(DEFAULT_FILESPEC_MASK)
_DEFAULT_MASK_TEXT = str(_DEFAULT_MASK)

_USAGES = {u.name: u for u in Usage}
_SOURCES = {s.name: s for s in DataSource}
_COMPONENT_KINDS = {"FILE_GROUP": ComponentType.FILE_GROUP, "DATABASE": ComponentType.DATABASE}
# file element -> (its role, whether it includes files); FileRole's value is the element name
_FILE_ROLES = {role.value: (role, role.is_include) for role in FileRole}

# Each known element below the root: the parent it must have, and its start handler.
_PLACES = {
    "IDENTIFICATION": ("WRITER_METADATA", "_identification"),
    "RESTORE_METHOD": ("WRITER_METADATA", "_restore_method"),
    "BACKUP_LOCATIONS": ("WRITER_METADATA", None),
    "FILE_GROUP": ("BACKUP_LOCATIONS", "_component"),
    "DATABASE": ("BACKUP_LOCATIONS", "_component"),
    "FILE_LIST": ("FILE_GROUP", "_file"),
    "DATABASE_FILES": ("DATABASE", "_file"),
    "DATABASE_LOGFILES": ("DATABASE", "_file"),
    "EXCLUDE_FILES": ("BACKUP_LOCATIONS", "_file"),
    "EXCLUDE_FILES_FROM_SNAPSHOT": ("BACKUP_LOCATIONS", "_file"),
}


# --- bytes -> text ---------------------------------------------------------------------------

def _looks_like_xml(text):
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def _too_large(size, max_bytes):
    return WriterMetadataError(f"the document is {size:,} bytes or more, over "
                               f"max_bytes={max_bytes:,}; refused before parsing")


def _document_text(source, max_bytes):
    """The document as text, whatever form `source` takes (see `read_wmd`)."""
    if isinstance(source, str) and _looks_like_xml(source):
        _check_text(source, max_bytes)
        return source
    if isinstance(source, str) and not source.replace("\ufeff", "").strip():
        raise WriterMetadataError("the text is empty or white space only: expected XML text "
                                  "(which starts with '<') or the name of a file")
    if isinstance(source, str) and not os.path.exists(source):
        shown = source if len(source) <= 260 else source[:80] + "..."
        raise FileNotFoundError(errno.ENOENT, "neither XML text (which starts with '<') nor the "
                                "name of an existing file", shown)
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            data = f.read(max_bytes + 1)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        size = source.nbytes if isinstance(source, memoryview) else len(source)
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        data = bytes(source)
    else:
        raise TypeError("a Writer Metadata Document is bytes, str (XML text or a file name) "
                        f"or os.PathLike, not {type(source).__name__}")
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return _decode(data)


def _check_text(text, max_bytes):
    """Refuse XML text over `max_bytes` (its UTF-8 size) or not encodable (lone surrogates):
    expat reads text as UTF-8."""
    if len(text) > max_bytes:  # UTF-8 never has fewer bytes than characters
        raise _too_large(len(text), max_bytes)
    if text.isascii():
        return
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as e:
        line, column = _position(text[:e.start])
        raise WriterMetadataError(f"character U+{ord(text[e.start]):04X} cannot be encoded "
                                  "(a lone surrogate)", line=line, column=column) from None
    if size > max_bytes:
        raise _too_large(size, max_bytes)


def _encoding_of(data):
    """The codec for `data`: from a BOM, else from the NUL bytes of UTF-16 text (BETest writes
    UTF-16 without a BOM, section 4: ``<`` is ``3C 00`` in UTF-16LE, ``00 3C`` in BE), else
    UTF-8. An XML declaration's ``encoding`` is never consulted: it may be wrong."""
    if data[:3] == b"\xef\xbb\xbf":
        return "utf-8-sig"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"  # the codec reads the BOM, drops it and takes its byte order
    if len(data) >= 2 and data[0] and not data[1]:
        return "utf-16-le"
    if len(data) >= 2 and not data[0] and data[1]:
        return "utf-16-be"
    return "utf-8"


def _decode(data):
    codec = _encoding_of(data)
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        line, column = _position(data[:e.start].decode(codec, "replace"))
        name = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(codec, codec.upper())
        raise WriterMetadataError(f"the document is not valid {name} at byte {e.start}: "
                                  f"{e.reason}", line=line, column=column) from None


def _position(prefix):
    """1-based (line, column) of the character after `prefix`."""
    return prefix.count("\n") + 1, len(prefix) - prefix.rfind("\n")


# --- the expat handlers ----------------------------------------------------------------------

class _Reader:
    """expat start/end handlers that collect one WMD as they go (no tree)."""

    def __init__(self, parser):
        self._parser = parser
        self._open = []  # names of the open elements, the root first
        self._places = {name: (parent, handler and getattr(self, handler))
                        for name, (parent, handler) in _PLACES.items()}
        # decimal text -> int: the same few masks repeat thousands of times
        self._numbers = {_DEFAULT_MASK_TEXT: _DEFAULT_MASK}
        self._component = None  # (Component keywords, its file list) while one is open
        self.root = None
        self.identity = None
        self.restore = None
        self.components = []
        self.excludes = []
        self.snapshot_excludes = []

    # errors, at expat's current position

    def error(self, message, element=None, attribute=None):
        """A WriterMetadataError at the start of the current element (or construct)."""
        return WriterMetadataError(message, line=self._parser.CurrentLineNumber,
                                   column=self._parser.CurrentColumnNumber + 1,
                                   element=element, attribute=attribute)

    def refuse(self, what):
        """A handler that refuses a DTD construct: a WMD never has one."""
        def handler(*_args):
            raise self.error(f"the document has {what}; a Writer Metadata Document has no "
                             "DTD, and DTDs and entities are refused, never expanded")
        return handler

    # typed attributes

    def _required(self, element, attrs, name):
        value = attrs.get(name)
        if value is None:
            raise self.error(f"<{element}> has no {name} attribute, which is required",
                             element, name)
        return value

    def _uint32(self, element, attrs, name, default):
        text = attrs.get(name)
        if text is None:
            return default
        value = self._numbers.get(text)
        if value is None:
            # without leading zeros and length first: int() refuses strings over 4300
            # digits with a ValueError of its own
            digits = text.lstrip("0") or "0"
            if not _DECIMAL.match(text) or len(digits) > 10 or int(digits) > _UINT32_MAX:
                raise self.error(f"<{element} {name}={text!r}>: not a decimal number from 0 "
                                 f"to {_UINT32_MAX}", element, name)
            value = self._numbers[text] = int(digits)
        return value

    def _boolean(self, element, attrs, name):
        text = attrs.get(name)
        if text is None:
            return False
        value = _BOOLEANS.get(text)
        if value is None:
            value = _BOOLEANS.get(text.lower())
            if value is None:
                raise self.error(f"<{element} {name}={text!r}>: not yes or no (nor true, "
                                 "false, 1 or 0)", element, name)
        return value

    def _enum(self, element, attrs, name, members):
        text = attrs.get(name)
        if text is None:
            return members["UNDEFINED"]
        try:
            return members[text]
        except KeyError:
            raise self.error(f"<{element} {name}={text!r}>: not one of "
                             f"{', '.join(members)}", element, name) from None

    # elements

    def start(self, name, attrs):
        """expat StartElementHandler."""
        if not self._open:
            self._root(name, attrs)
        else:
            place = self._places.get(name)
            if place is not None:
                parent, handler = place
                if self._open[-1] != parent:
                    raise self.error(f"<{name}> inside <{self._open[-1]}>: it belongs in "
                                     f"<{parent}>", name)
                if handler is not None:
                    handler(name, attrs)
        self._open.append(name)

    def end(self, name):
        """expat EndElementHandler."""
        self._open.pop()
        if name in _COMPONENT_KINDS and self._component is not None:
            fields, files = self._component
            self.components.append(Component(**fields, files=tuple(files)))
            self._component = None

    def _root(self, name, attrs):
        namespace = attrs.get("xmlns")
        if name == "BACKUP_COMPONENTS" or namespace == BCD_NAMESPACE:
            raise self.error(f"<{name} xmlns={namespace!r}> is a Backup Components Document, "
                             "not a Writer Metadata Document", name)
        if name != "WRITER_METADATA":
            raise self.error(f"the root element is <{name}>: a Writer Metadata Document's "
                             "is <WRITER_METADATA>", name)
        if namespace is not None and namespace != WMD_NAMESPACE:
            raise self.error(f"<WRITER_METADATA xmlns={namespace!r}>: not {WMD_NAMESPACE!r}",
                             name, "xmlns")
        self.root = {"version": attrs.get("version", ""),
                     "backup_schema": BackupSchema(self._uint32(name, attrs, "backupSchema", 0))}

    def _identification(self, name, attrs):
        if self.identity is not None:
            raise self.error(f"a second <{name}>", name)
        self.identity = {
            "writer_id": self._required(name, attrs, "writerId"),
            "instance_id": self._required(name, attrs, "instanceId"),
            "friendly_name": attrs.get("friendlyName", ""),
            "instance_name": attrs.get("instanceName", ""),
            "usage": self._enum(name, attrs, "usage", _USAGES),
            "data_source": self._enum(name, attrs, "dataSource", _SOURCES),
            "major_version": self._uint32(name, attrs, "majorVersion", 0),
            "minor_version": self._uint32(name, attrs, "minorVersion", 0),
        }

    def _restore_method(self, name, attrs):
        if self.restore is not None:
            raise self.error(f"a second <{name}>", name)
        self.restore = {"restore_method": attrs.get("method"),
                        "writer_restore": attrs.get("writerRestore"),
                        "reboot_required": self._boolean(name, attrs, "rebootRequired")}

    def _component(self, name, attrs):
        fields = {
            "logical_path": attrs.get("logicalPath", ""),
            "name": self._required(name, attrs, "componentName"),
            "kind": _COMPONENT_KINDS[name],
            "caption": attrs.get("caption", ""),
            "selectable": self._boolean(name, attrs, "selectable"),
            "selectable_for_restore": self._boolean(name, attrs, "selectableForRestore"),
            "restore_metadata": self._boolean(name, attrs, "restoreMetadata"),
            "notify_on_backup_complete": self._boolean(name, attrs, "notifyOnBackupComplete"),
            "flags": self._uint32(name, attrs, "componentFlags", 0),
        }
        self._component = (fields, [])

    def _file(self, name, attrs):
        # The hot path (18,925 calls for the System Writer): plain lookups first, the checking
        # helpers only for what the lookups do not settle.
        role, include = _FILE_ROLES[name]
        get = attrs.get
        path, filespec = get("path"), get("filespec")
        if path is None or filespec is None:
            self._required(name, attrs, "path")
            self._required(name, attrs, "filespec")
        recursive = _BOOLEANS.get(get("recursive", "no"))
        if recursive is None:
            recursive = self._boolean(name, attrs, "recursive")
        path, filespec = sys.intern(path), sys.intern(filespec)
        if not include:
            spec = FileSpec(path, filespec, recursive, None, 0, role)
            (self.excludes if name == "EXCLUDE_FILES" else self.snapshot_excludes).append(spec)
            return
        mask = self._numbers.get(get("filespecBackupType", _DEFAULT_MASK_TEXT))
        if mask is None:
            mask = self._uint32(name, attrs, "filespecBackupType", _DEFAULT_MASK)
        alternate = get("alternatePath")
        if alternate is not None:
            alternate = sys.intern(alternate)
        self._component[1].append(FileSpec(path, filespec, recursive, alternate, mask, role))

    def result(self):
        """The fields of the `WriterMetadata` read, once the whole document is parsed."""
        if self.identity is None:
            raise WriterMetadataError("the document has no <IDENTIFICATION> element in "
                                      "<WRITER_METADATA>", element="IDENTIFICATION")
        return {
            **self.identity,
            **self.root,
            **(self.restore or {}),
            "components": tuple(self.components),
            "excludes": tuple(self.excludes),
            "excludes_from_snapshot": tuple(self.snapshot_excludes),
        }


def _new_parser():
    """A hardened expat parser wired to a new `_Reader`: no DTD, no entities."""
    # "UTF-8" is the protocol encoding: expat then ignores any encoding declaration. We always
    # hand it text, which pyexpat passes on as UTF-8.
    parser = expat.ParserCreate("UTF-8")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    reader = _Reader(parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.StartDoctypeDeclHandler = reader.refuse("a DOCTYPE declaration")
    parser.EntityDeclHandler = reader.refuse("an entity declaration")
    parser.UnparsedEntityDeclHandler = reader.refuse("an unparsed entity declaration")
    parser.ExternalEntityRefHandler = reader.refuse("an external entity reference")
    return parser, reader


def read_wmd(source, *, max_bytes=64 << 20):
    """Parse one Writer Metadata Document into the fields of a `WriterMetadata`.

    Parameters
    ----------
    source : bytes, bytearray, memoryview, str or os.PathLike
        The document's bytes, its text, or the name of a file holding it. A ``str`` is XML
        text when it starts with ``<`` after optional whitespace and BOM, else a file name.
        Bytes are UTF-8/ASCII (BOM optional) or UTF-16 LE/BE with or without a BOM (told by
        the NUL bytes of the first character); an XML declaration's ``encoding`` is ignored.
    max_bytes : int
        A larger document (for text: larger in UTF-8) is refused before it is parsed; of a
        file, at most ``max_bytes + 1`` bytes are read.

    Raises
    ------
    WriterMetadataError
        The document is malformed XML, larger than `max_bytes`, not valid in its encoding,
        has a DTD or entity, is not a WMD (a Backup Components Document, say), or has a
        missing, misplaced or malformed element or attribute (module docstring).
    OSError
        A file name that cannot be read.
    InvalidParameterError
        `max_bytes` is negative (a ValueError).
    TypeError
        `source` is none of the types above, or `max_bytes` is not an integer.
    """
    max_bytes = operator.index(max_bytes)
    if max_bytes < 0:
        raise InvalidParameterError(f"max_bytes must be >= 0, not {max_bytes}")
    text = _document_text(source, max_bytes)
    parser, reader = _new_parser()
    try:
        parser.Parse(text.removeprefix("\ufeff"), True)
    except expat.ExpatError as e:
        raise WriterMetadataError(f"malformed XML: {expat.errors.messages[e.code]}",
                                  line=e.lineno, column=e.offset + 1) from None
    return reader.result()
