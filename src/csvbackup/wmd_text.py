r"""The ``vshadow -wm`` text listing -> WriterMetadata (`WriterMetadata.from_vshadow_text`).

The listing (Windows SDK sample vshadow, writer.cpp; a sample is
shared/reference/wmd/06_frs_writer_vshadow_dump.txt) prints one block per writer::

    * WRITER "FRS Writer"
        - Writer ID   = {d76f5a28-...}
        - Writer Instance ID = {07ae58e5-...}
        - Excluded files:
           - Exclude: Path = d:\windows\ntfrs\jet, Filespec = *
        - Component "FRS Writer:\SYSVOL\..."
           - Name: 'da45368c-...'
           - Logical Path: 'SYSVOL'
           - Type: VSS_CT_FILEGROUP [2]
           - Is Selectable: 'TRUE'
           - File List: Path = d:\windows\sysvol, Filespec = *

vshadow never prints a file set's recursion flag (its VssFileDescriptor never sets it,
vss-filespec.md section 5), so every file set read here has ``recursive=False`` and every
writer ``recursive_known=False``: match such specs knowing that recursive sets will look
non-recursive. Nor does it print masks: file sets get the default 0xF0F. A ``Path = ...,
Filespec = ...`` line is split at its LAST ``, Filespec = `` (a path may hold ", "; a
filespec cannot hold a separator, and one holding ", Filespec = " is not supported).
"""
import re

from .vss import DEFAULT_FILESPEC_MASK
from .writer_metadata import Component, ComponentType, FileRole, FileSpec, WriterMetadata

__all__ = ["parse_vshadow_text"]

_WRITER = re.compile(r'\*\s*WRITER\s+"(.*)"\s*\Z')
_FIELD = re.compile(r"-\s*([^=:]+?)\s*(=|:)\s*(.*)\Z")
_FILE_LINES = {
    "exclude": FileRole.EXCLUDE,
    "file list": FileRole.FILE_LIST,
    "database file": FileRole.DATABASE_FILES,
    "database files": FileRole.DATABASE_FILES,
    "database log file": FileRole.DATABASE_LOGFILES,
    "database log files": FileRole.DATABASE_LOGFILES,
    "log file": FileRole.DATABASE_LOGFILES,
}
_TYPES = {"VSS_CT_FILEGROUP": ComponentType.FILE_GROUP, "VSS_CT_DATABASE": ComponentType.DATABASE}


def _unquote(v):
    v = v.strip()
    return v[1:-1] if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"" else v


def _file_spec(value, role, lineno):
    from .wmd_xml import WriterMetadataError

    m = re.match(r"Path\s*=\s*(.*), Filespec\s*=\s*(.*?)\s*(, Recursive)?\Z", value)
    if not m:
        raise WriterMetadataError(f"expected 'Path = ..., Filespec = ...', got {value!r}",
                                  line=lineno)
    include = role.is_include
    return FileSpec(m.group(1).strip(), m.group(2), m.group(3) is not None, None,
                    int(DEFAULT_FILESPEC_MASK) if include else 0, role)


class _Writer:
    def __init__(self, name):
        self.name, self.fields = name, {}
        self.components, self.excludes = [], []

    def build(self):
        return WriterMetadata(
            writer_id=self.fields.get("writer id", "").strip("{}"),
            instance_id=self.fields.get("writer instance id", "").strip("{}"),
            friendly_name=self.name,
            restore_method=self.fields.get("restore method"),
            writer_restore=self.fields.get("writer restore conditions"),
            reboot_required=self.fields.get("requires reboot after restore", "").upper() == "TRUE",
            components=tuple(Component(logical_path=c["logical path"], name=c["name"],
                                       kind=c["type"], caption=c["caption"],
                                       selectable=c["selectable"], files=tuple(c["files"]))
                             for c in self.components),
            excludes=tuple(self.excludes),
            recursive_known=False,
        )


def parse_vshadow_text(text):
    """Every writer block of a ``vshadow -wm`` listing, in order (see the module docstring)."""
    from .wmd_xml import WriterMetadataError

    if not isinstance(text, str):
        raise TypeError(f"the listing is str, got {type(text).__name__}")
    writers, cur, comp = [], None, None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        m = _WRITER.match(line)
        if m:
            cur, comp = _Writer(m.group(1)), None
            writers.append(cur)
            continue
        if cur is None:
            continue  # vshadow's banner and anything else before the first writer
        if re.match(r'-\s*Component\s+"', line):
            comp = {"name": "", "logical path": "", "caption": "", "selectable": False,
                    "type": ComponentType.UNDEFINED, "files": []}
            cur.components.append(comp)
            continue
        f = _FIELD.match(line)
        if not f:
            continue
        key, value = f.group(1).strip().lower(), f.group(3)
        if key in _FILE_LINES:
            spec = _file_spec(value, _FILE_LINES[key], lineno)
            if spec.role is FileRole.EXCLUDE:
                cur.excludes.append(spec)
            elif comp is None:
                raise WriterMetadataError(f"a {key} line outside any component", line=lineno)
            else:
                comp["files"].append(spec)
        elif comp is not None and key in ("name", "logical path", "caption"):
            comp[key] = _unquote(value)
        elif comp is not None and key == "type":
            kind = value.split()[0] if value.split() else ""
            if kind not in _TYPES:
                raise WriterMetadataError(f"unknown component type {value!r}", line=lineno)
            comp["type"] = _TYPES[kind]
        elif comp is not None and key == "is selectable":
            comp["selectable"] = _unquote(value).upper() == "TRUE"
        elif comp is None:
            cur.fields[key] = value.strip()
    return [w.build() for w in writers]
