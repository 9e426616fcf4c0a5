"""Writer Metadata Document XML -> WriterMetadata (`WriterMetadata.from_xml`).

The element set is the one observed in real documents (shared/reference/vss-filespec.md
section 4): any element order, unknown elements and attributes ignored (forward compatible),
numbers in decimal, booleans ``yes``/``no``. A WMD is untrusted input: it is parsed with the
standard library's expat, with no DTD, entity declaration or external entity accepted (a WMD
never has one, so this refuses billion-laughs and external-entity documents before any
expansion), streaming, with no tree kept.
"""
import os
import re
import sys
import xml.parsers.expat as expat

from .errors import Win32Error
from .vss import DEFAULT_FILESPEC_MASK, BackupSchema
from .writer_metadata import (
    Component,
    ComponentType,
    DataSource,
    FileRole,
    FileSpec,
    Usage,
    WriterMetadata,
)

__all__ = ["WriterMetadataError", "parse_wmd", "ERROR_XML_PARSE_ERROR"]

#: winerror.h (mingw-w64 winerror.h:641)
ERROR_XML_PARSE_ERROR = 1465
WMD_NAMESPACE = "x-schema:#VssWriterMetadataInfo"
_DECIMAL = re.compile(r"[0-9]+\Z")
_BOOLEANS = {"yes": True, "no": False, "true": True, "false": False, "1": True, "0": False}

# Where each file element may appear, and the role its file sets get.
_FILE_PARENTS = {
    "FILE_LIST": ("FILE_GROUP", FileRole.FILE_LIST),
    "DATABASE_FILES": ("DATABASE", FileRole.DATABASE_FILES),
    "DATABASE_LOGFILES": ("DATABASE", FileRole.DATABASE_LOGFILES),
    "EXCLUDE_FILES": ("BACKUP_LOCATIONS", FileRole.EXCLUDE),
    "EXCLUDE_FILES_FROM_SNAPSHOT": ("BACKUP_LOCATIONS", FileRole.EXCLUDE_FROM_SNAPSHOT),
}
_COMPONENTS = {"FILE_GROUP": ComponentType.FILE_GROUP, "DATABASE": ComponentType.DATABASE}
_USAGE = {"UNDEFINED": Usage.UNDEFINED, "BOOTABLE_SYSTEM_STATE": Usage.BOOTABLE_SYSTEM_STATE,
          "SYSTEM_SERVICE": Usage.SYSTEM_SERVICE, "USER_DATA": Usage.USER_DATA,
          "OTHER": Usage.OTHER}
_SOURCE = {"UNDEFINED": DataSource.UNDEFINED, "TRANSACTION_DB": DataSource.TRANSACTION_DB,
           "NONTRANSACTION_DB": DataSource.NONTRANSACTION_DB, "OTHER": DataSource.OTHER}


class WriterMetadataError(Win32Error, ValueError):
    """A Writer Metadata Document that cannot be read: malformed XML (with `line` and
    `column`), a DTD or entity, a missing or malformed attribute (`element`, `attribute`), or
    a document that is not a WMD. ``.winerror`` is ERROR_XML_PARSE_ERROR (1465)."""

    default_winerror = ERROR_XML_PARSE_ERROR

    def __init__(self, message, *, line=None, column=None, element=None, attribute=None):
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)
        self.line, self.column, self.element, self.attribute = line, column, element, attribute


def _read_source(source, max_bytes):
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("<"):
        return source
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            data = f.read(max_bytes + 1)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        raise TypeError("a WMD is bytes, str (XML text or a file name) or a path; got "
                        f"{type(source).__name__}")
    if len(data) > max_bytes:
        raise WriterMetadataError(f"the document is larger than max_bytes={max_bytes:,}")
    return _decode(data)


def _decode(data):
    """The document's text: UTF-8 (BOM optional) or UTF-16 LE/BE with or without a BOM
    (BETest writes raw UTF-16 without one: vss-filespec.md section 4)."""
    if data[:3] == b"\xef\xbb\xbf":
        codec, data = "utf-8", data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec, data = ("utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be"), data[2:]
    elif len(data) >= 2 and data[0] and not data[1]:
        codec = "utf-16-le"
    elif len(data) >= 2 and not data[0] and data[1]:
        codec = "utf-16-be"
    else:
        codec = "utf-8"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise WriterMetadataError(f"not valid {codec.upper()} at byte {e.start}") from None


class _Builder:
    """expat handlers that collect one WMD."""

    def __init__(self, parser):
        self.p = parser
        self.stack = []
        self.root = None
        self.ident = None
        self.restore = None
        self.components = []
        self.current = None  # [attrs, kind, files] of the open component
        self.excludes, self.snapshot_excludes = [], []

    def error(self, message, element=None, attribute=None):
        return WriterMetadataError(message, line=self.p.CurrentLineNumber,
                                   column=self.p.CurrentColumnNumber + 1, element=element,
                                   attribute=attribute)

    def required(self, name, attrs, key):
        try:
            return attrs[key]
        except KeyError:
            raise self.error(f"<{name}> has no {key} attribute", name, key) from None

    def number(self, name, attrs, key, default, limit=0xFFFFFFFF):
        v = attrs.get(key)
        if v is None:
            return default
        if not _DECIMAL.match(v) or int(v) > limit:
            raise self.error(f"<{name} {key}={v!r}>: not a decimal number from 0 to {limit}",
                             name, key)
        return int(v)

    def boolean(self, name, attrs, key, default=False):
        v = attrs.get(key)
        if v is None:
            return default
        try:
            return _BOOLEANS[v.lower()]
        except KeyError:
            raise self.error(f"<{name} {key}={v!r}>: not yes or no", name, key) from None

    def enum(self, name, attrs, key, table):
        v = attrs.get(key)
        if v is None:
            return next(iter(table.values()))
        try:
            return table[v]
        except KeyError:
            raise self.error(f"<{name} {key}={v!r}>: expected one of {', '.join(table)}",
                             name, key) from None

    def start(self, name, attrs):
        parent = self.stack[-1] if self.stack else None
        self.stack.append(name)
        if parent is None:
            if name != "WRITER_METADATA":
                hint = (" (a Backup Components Document, not a Writer Metadata Document)"
                        if name == "BACKUP_COMPONENTS" else "")
                raise self.error(f"the root element is <{name}>, not <WRITER_METADATA>{hint}", name)
            self.root = dict(attrs, backupSchema=self.number(name, attrs, "backupSchema", 0))
        elif name in _FILE_PARENTS:
            allowed, role = _FILE_PARENTS[name]
            if parent != allowed:
                raise self.error(f"<{name}> inside <{parent}>; it belongs in <{allowed}>", name)
            spec = self.file_spec(name, attrs, role)
            if role is FileRole.EXCLUDE:
                self.excludes.append(spec)
            elif role is FileRole.EXCLUDE_FROM_SNAPSHOT:
                self.snapshot_excludes.append(spec)
            else:
                self.current[2].append(spec)
        elif name in _COMPONENTS:
            if parent != "BACKUP_LOCATIONS":
                raise self.error(f"<{name}> inside <{parent}>; it belongs in <BACKUP_LOCATIONS>", name)
            self.required(name, attrs, "componentName")
            self.current = [attrs, _COMPONENTS[name], []]
        elif name == "IDENTIFICATION" and parent == "WRITER_METADATA":
            self.ident = dict(
                writer_id=self.required(name, attrs, "writerId"),
                instance_id=self.required(name, attrs, "instanceId"),
                friendly_name=attrs.get("friendlyName", ""),
                instance_name=attrs.get("instanceName", ""),
                usage=self.enum(name, attrs, "usage", _USAGE),
                data_source=self.enum(name, attrs, "dataSource", _SOURCE),
                major_version=self.number(name, attrs, "majorVersion", 0),
                minor_version=self.number(name, attrs, "minorVersion", 0))
        elif name == "RESTORE_METHOD" and parent == "WRITER_METADATA":
            self.restore = dict(restore_method=attrs.get("method"),
                                writer_restore=attrs.get("writerRestore"),
                                reboot_required=self.boolean(name, attrs, "rebootRequired"))

    def end(self, name):
        self.stack.pop()
        if name in _COMPONENTS and self.current is not None:
            attrs, kind, files = self.current
            self.components.append(Component(
                logical_path=attrs.get("logicalPath", ""),
                name=attrs["componentName"],
                kind=kind,
                caption=attrs.get("caption", ""),
                selectable=self.boolean(name, attrs, "selectable"),
                selectable_for_restore=self.boolean(name, attrs, "selectableForRestore"),
                restore_metadata=self.boolean(name, attrs, "restoreMetadata"),
                notify_on_backup_complete=self.boolean(name, attrs, "notifyOnBackupComplete"),
                flags=self.number(name, attrs, "componentFlags", 0),
                files=tuple(files)))
            self.current = None

    def file_spec(self, name, attrs, role):
        path = self.required(name, attrs, "path")
        filespec = self.required(name, attrs, "filespec")
        include = role.is_include
        mask = (self.number(name, attrs, "filespecBackupType", int(DEFAULT_FILESPEC_MASK))
                if include else 0)
        return FileSpec(sys.intern(path), sys.intern(filespec),
                        self.boolean(name, attrs, "recursive"),
                        attrs.get("alternatePath") if include else None, mask, role)

    def result(self):
        if self.ident is None:
            raise WriterMetadataError("the document has no <IDENTIFICATION> element",
                                      element="IDENTIFICATION")
        return WriterMetadata(
            **self.ident,
            **(self.restore or {}),
            backup_schema=BackupSchema(self.root["backupSchema"]),
            version=self.root.get("version", ""),
            components=tuple(self.components),
            excludes=tuple(self.excludes),
            excludes_from_snapshot=tuple(self.snapshot_excludes),
        )


def _refuse(what):
    def handler(*_args):
        raise WriterMetadataError(f"the document declares {what}; a Writer Metadata Document "
                                  "has none, and csvbackup does not expand them")
    return handler


def parse_wmd(source, *, max_bytes=64 << 20):
    """Parse one Writer Metadata Document (see `WriterMetadata.from_xml`)."""
    text = _read_source(source, max_bytes)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    builder = _Builder(parser)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.StartDoctypeDeclHandler = _refuse("a DTD")
    parser.EntityDeclHandler = _refuse("an entity")
    parser.UnparsedEntityDeclHandler = _refuse("an unparsed entity")
    parser.ExternalEntityRefHandler = _refuse("an external entity")
    try:
        parser.Parse(text.lstrip("\ufeff"), True)
    except expat.ExpatError as e:
        raise WriterMetadataError(f"malformed XML: {expat.errors.messages[e.code]}",
                                  line=e.lineno, column=e.offset + 1) from None
    if builder.root is None:
        raise WriterMetadataError("the document is empty")
    if builder.root.get("xmlns", WMD_NAMESPACE) != WMD_NAMESPACE:
        raise WriterMetadataError(f"namespace {builder.root['xmlns']!r} is not {WMD_NAMESPACE!r}",
                                  element="WRITER_METADATA", attribute="xmlns")
    return builder.result()
