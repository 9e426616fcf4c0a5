r"""A ``vshadow -wm2`` listing -> `WriterMetadata` fields (`WriterMetadata.from_vshadow_text`).

vshadow (Windows SDK sample, ``Samples/VShadowVolumeShadowCopy/cpp/writer.cpp``) prints one
block per writer; tests/data/wmd/06_frs_writer_vshadow_dump.txt is a real one::

    * WRITER "FRS Writer"
        - Writer ID   = {d76f5a28-3092-4589-ba48-2958fb88ce29}
        - Writer Instance ID = {07ae58e5-6977-4e34-9dfe-399bbd2cbe40}
        - Restore method = VSS_RME_CUSTOM
        - Excluded files:
           - Exclude: Path = d:\windows\ntfrs\jet, Filespec = *
        - Component "FRS Writer:\SYSVOL\da45368c-b2d3-4cf0-bdc338a2cde15a7b"
           - Name: 'da45368c-b2d3-4cf0-bdc338a2cde15a7b'
           - Logical Path: 'SYSVOL'
           - Type: VSS_CT_FILEGROUP [2]
           - Is Selectable: 'TRUE'
           - Components:
           - File List: Path = d:\windows\sysvol, Filespec = *

What the listing does not say, and what this parser returns for it:

* **Recursion.** vshadow prints ``, Recursive`` after a recursive file set, but its
  ``VssFileDescriptor::Initialize`` never sets the flag (vss-filespec.md section 5), so a
  listing shows every file set as non-recursive. File sets are returned with
  ``recursive=False`` (True only where a line does end in ``, Recursive``) and every writer
  with ``recursive_known=False``: a recursive set will match as if it were not.
* **Masks.** Not printed: includes get `DEFAULT_FILESPEC_MASK` (0xF0F, copy always, from the
  shadow copy), excludes 0.
* **Files at all**, in the summary listing ``vshadow -wm``: it prints components without their
  file sets. Only the detailed ``vshadow -wm2`` listing prints a ``- Components:`` line in
  every component, with the file sets after it; a component without that line is refused
  rather than read as a component with no files.
* Usage, data source, instance name, backup schema: not printed (UNDEFINED, ``""``, 0).
  ``restore_method`` and ``writer_restore`` keep vshadow's names (``VSS_RME_CUSTOM``,
  ``VSS_WRE_NEVER``), not a WMD's attribute values.

Reading rules. Keys are matched case-insensitively; both spellings vshadow has used are read
(``Writer ID``/``WriterId``, ``Writer Instance ID``/``InstanceId``; file lines ``Exclude``,
``File List``, ``Database`` or ``Database File``, ``Database Log`` or ``Database Log File``).
Text before the first ``* WRITER`` line is vshadow's banner and is skipped; so are ``-`` lines
this parser does not know (``- Affected paths by this component:`` and its list, say). A
line that starts with neither ``-`` nor ``*`` ends the writer block. A file line is
``Path = P, Filespec = F[, Recursive][, Alternate Location = A]``, split at the **last**
``, Filespec = `` (a path may hold ``", "``; a filespec cannot hold a backslash, but a comma is
legal, so a filespec that ends in ``, Recursive`` or holds ``, Filespec = `` or
``, Alternate Location = `` is misread; so is an alternate location holding
``, Filespec = ``). A quoted value (``Caption: '...'``) may run over several lines, up to the
line that ends with ``'`` (ASR writer captions hold line breaks). A malformed known line, a
file line outside its writer or component, a writer without IDs or a component without a
name raise `WriterMetadataError` with ``.line``.
"""
from __future__ import annotations

import re

from ..errors import WriterMetadataError
from ..vss import DEFAULT_FILESPEC_MASK
from .model import (
    Component,
    ComponentType,
    FileRole,
    FileSpec,
)

__all__ = ["read_vshadow_text"]

# vshadow 3.0 printed names in single quotes (* WRITER 'MSDEWriter', in Microsoft's VShadow
# sample readme); later versions in double quotes.
_WRITER = re.compile(r"""\*\s*WRITER\s+(?P<q>["'])(?P<name>.*)(?P=q)\Z""")
_COMPONENT = re.compile(r"""-\s*Component\s+(?P<q>["'])(?P<path>.*)(?P=q)\Z""")
# A key starts and ends with a letter, so the spaces after it belong to one \s* only: with a key
# that could end in spaces, a line like "-a" + 10,000 spaces + "!" took quadratic time.
_ITEM = re.compile(r"-\s*(?P<key>[A-Za-z](?:[A-Za-z ]*[A-Za-z])?)\s*[:=]\s*(?P<value>.*)\Z", re.DOTALL)
_GUID = re.compile(r"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\Z")
# The number is a VSS_COMPONENT_TYPE: a few digits (int() of thousands would raise ValueError).
_TYPE = re.compile(r"(?P<name>\w+)\s*\[(?P<number>[0-9]{1,9})\]\Z")

_FILE_KEYS = {
    "exclude": FileRole.EXCLUDE,
    "file list": FileRole.FILE_LIST,
    "database": FileRole.DATABASE_FILES,
    "database file": FileRole.DATABASE_FILES,
    "database files": FileRole.DATABASE_FILES,
    "database log": FileRole.DATABASE_LOGFILES,
    "database log file": FileRole.DATABASE_LOGFILES,
    "database log files": FileRole.DATABASE_LOGFILES,
}
_WRITER_ID_KEYS = ("writer id", "writerid")
_INSTANCE_ID_KEYS = ("writer instance id", "instanceid", "instance id")
_QUOTED_KEYS = frozenset(("name", "logical path", "full path", "caption"))
# writer.cpp GetStringFromComponentType: the name printed before [number]
_TYPES = {"VSS_CT_DATABASE": ComponentType.DATABASE, "VSS_CT_FILEGROUP": ComponentType.FILE_GROUP,
          "Undefined": None}
_BOOLEANS = {"TRUE": True, "FALSE": False}  # writer.cpp BOOL2TXT

_FILESPEC = ", Filespec = "
_ALTERNATE = ", Alternate Location = "
_RECURSIVE = ", Recursive"


def _error(message, line):
    return WriterMetadataError(message, line=line)


# --- lines -----------------------------------------------------------------------------------

def _logical_lines(text):
    """(line number, stripped line) pairs, with a quoted value that runs over several lines
    joined into one (its line breaks kept as ``\\n``)."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i].strip()
        i += 1
        if _opens_quote(line):
            parts = [line]
            while i < len(lines) and not parts[-1].endswith("'"):
                parts.append(lines[i].rstrip("\r"))
                i += 1
            if not parts[-1].endswith("'"):
                raise _error("a quoted value that is never closed with '", number)
            line = "\n".join(parts)
        yield number, line


def _opens_quote(line):
    m = _ITEM.match(line)
    if m is None or m["key"].lower() not in _QUOTED_KEYS:
        return False
    value = m["value"]
    return value.startswith("'") and (len(value) == 1 or not value.endswith("'"))


# --- values ----------------------------------------------------------------------------------

def _guid(value, what, line):
    """A GUID as vshadow prints it, in braces (returned without them, as a WMD writes it)."""
    guid = value[1:-1] if value[:1] == "{" and value[-1:] == "}" else value
    if _GUID.match(guid) is None:
        raise _error(f"{what} {value!r} is not a GUID", line)
    return guid


def _quoted(value, what, line):
    if len(value) < 2 or value[0] != "'" or value[-1] != "'":
        raise _error(f"{what}: expected a value in single quotes, got {value!r}", line)
    return value[1:-1]


def _boolean(value, what, line):
    text = value[1:-1] if len(value) >= 2 and value[0] == value[-1] == "'" else value
    if text not in _BOOLEANS:
        raise _error(f"{what}: expected TRUE or FALSE, got {value!r}", line)
    return _BOOLEANS[text]


def _component_type(value, line):
    m = _TYPE.match(value)
    kind = _TYPES.get(m["name"], False) if m else False
    if kind is None:
        return ComponentType.UNDEFINED
    if kind is False or int(m["number"]) != kind:
        raise _error(f"Type: expected VSS_CT_FILEGROUP [2] or VSS_CT_DATABASE [1], got "
                     f"{value!r}", line)
    return kind


def _file_set(value, role, line):
    """One ``Path = P, Filespec = F[, Recursive][, Alternate Location = A]`` value."""
    m = re.match(r"Path\s*=\s?", value)
    cut = value.rfind(_FILESPEC)
    if m is None or cut < m.end():
        raise _error(f"expected 'Path = ..., Filespec = ...', got {value!r}", line)
    path, rest = value[m.end():cut], value[cut + len(_FILESPEC):]
    alternate = None
    at = rest.find(_ALTERNATE)
    if at >= 0:
        rest, alternate = rest[:at], rest[at + len(_ALTERNATE):]
    recursive = rest.endswith(_RECURSIVE)
    filespec = rest[:-len(_RECURSIVE)] if recursive else rest
    if not path or not filespec:
        raise _error(f"an empty path or filespec in {value!r}", line)
    if not role.is_include:
        return FileSpec(path, filespec, recursive, None, 0, role)
    return FileSpec(path, filespec, recursive, alternate, int(DEFAULT_FILESPEC_MASK), role)


# --- blocks ----------------------------------------------------------------------------------

class _ComponentBlock:
    """One ``- Component`` block being read."""

    def __init__(self, line):
        self.line = line
        self.fields = {}
        self.files = []
        self.detailed = False  # saw "- Components:": the file sets follow (vshadow -wm2)

    def read(self, key, value, line):
        """Take one ``- Key: value`` line of the component; unknown keys are skipped."""
        if key == "components":
            self.detailed = True
        elif key == "name":
            self.fields["name"] = _quoted(value, "Name", line)
        elif key == "logical path":
            self.fields["logical_path"] = _quoted(value, "Logical Path", line)
        elif key == "caption":
            self.fields["caption"] = _quoted(value, "Caption", line)
        elif key == "type":
            self.fields["kind"] = _component_type(value, line)
        elif key == "is selectable":
            self.fields["selectable"] = _boolean(value, "Is Selectable", line)
        elif key == "notify on backup complete":
            self.fields["notify_on_backup_complete"] = _boolean(
                value, "Notify on backup complete", line)

    def build(self):
        if "name" not in self.fields:
            raise _error("the component has no '- Name:' line", self.line)
        if not self.detailed:
            raise _error("the component has no '- Components:' line: a summary listing "
                         "(vshadow -wm) does not list file sets; use vshadow -wm2", self.line)
        fields = {"logical_path": "", "kind": ComponentType.UNDEFINED, **self.fields}
        return Component(**fields, files=tuple(self.files))


class _WriterBlock:
    """One ``* WRITER`` block being read."""

    def __init__(self, name, line):
        self.name, self.line = name, line
        self.fields = {}
        self.excludes = []
        self.components = []

    def read(self, key, value, line):
        """Take one ``- Key: value`` line; unknown keys are skipped."""
        if key in _FILE_KEYS:
            self._file(_file_set(value, _FILE_KEYS[key], line), line)
        elif self.components:
            self.components[-1].read(key, value, line)
        elif key in _WRITER_ID_KEYS:
            self.fields["writer_id"] = _guid(value, "Writer ID", line)
        elif key in _INSTANCE_ID_KEYS:
            self.fields["instance_id"] = _guid(value, "Writer Instance ID", line)
        elif key == "restore method":
            self.fields["restore_method"] = value
        elif key == "writer restore conditions":
            self.fields["writer_restore"] = value
        elif key == "requires reboot after restore":
            self.fields["reboot_required"] = _boolean(value, "Requires reboot after restore",
                                                      line)

    def _file(self, spec, line):
        if not spec.role.is_include:
            self.excludes.append(spec)
        elif not self.components:
            raise _error(f"a {spec.role.value} file set outside any component", line)
        else:
            self.components[-1].files.append(spec)

    def build(self):
        for key, label in (("writer_id", "Writer ID"), ("instance_id", "Writer Instance ID")):
            if key not in self.fields:
                raise _error(f"writer {self.name!r} has no {label} line", self.line)
        return {"friendly_name": self.name, **self.fields,
                "components": tuple(c.build() for c in self.components),
                "excludes": tuple(self.excludes), "recursive_known": False}


def read_vshadow_text(text):
    """The `WriterMetadata` fields of every writer of a ``vshadow -wm2`` listing, in order
    (rules: the module docstring).

    Every file set has ``recursive=False`` unless its line ends in ``, Recursive`` (vshadow
    never prints that), and every writer ``recursive_known=False``.

    Raises
    ------
    WriterMetadataError
        A malformed line, a file line outside its writer or component, a writer without a
        Writer ID or Instance ID line, a component without a Name or ``Components:`` line
        (``.line`` says where); text with no ``* WRITER "name"`` (or ``'name'``) line at all.
    TypeError
        `text` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"a vshadow listing is str, not {type(text).__name__}")
    writers = []
    writer = None
    for number, line in _logical_lines(text):
        if not line:
            continue
        header = _WRITER.match(line)
        if header is not None:
            writer = _WriterBlock(header["name"], number)
            writers.append(writer)
        elif not line.startswith("-"):
            writer = None  # vshadow's own messages, after (or between) the writer blocks
        elif writer is not None and _COMPONENT.match(line):
            writer.components.append(_ComponentBlock(number))
        else:
            _read_item(writer, line, number)
    if not writers:
        raise _error("no writer: a vshadow -wm2 listing has a '* WRITER \"name\"' line before "
                     "each writer's lines", None)
    return [w.build() for w in writers]


def _read_item(writer, line, number):
    """One ``- Key: value`` line; a ``-`` line of another shape is skipped."""
    m = _ITEM.match(line)
    if m is None:
        return
    key = m["key"].strip().lower()
    if writer is not None:
        writer.read(key, m["value"], number)
    elif key in _FILE_KEYS:
        raise _error("a file line outside any '* WRITER' block", number)
