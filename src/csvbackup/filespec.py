r"""Which file set claims each path of a catalog: VSS file specs matched the way Windows does.

`FileSpecSet` compiles the file sets of one or more writers once; `FileSpecSet.match` then
answers, for millions of catalog paths at a time, with no Python object per path: the OR of
the masks of every file set claiming the path, the first claiming file set, whether a writer
excludes it, and whether it is deleted from the snapshot.

The rules (docs/reference/vss-filespec.md sections 2.2-2.6):

* **Names** match the way FindFirstFile matches (section 2.3): the filespec is prepared as
  FindFirstFileExW prepares its mask (trailing dots and spaces removed; the DOS wildcards:
  ``*.*`` and ``*`` match every name, with or without a dot; ``?`` before a dot or the end
  matches nothing; a final ``*.`` matches names with no dot or ending in one; no wildcard:
  one literal name), then matched as FsRtlIsNameInExpression matches, case-insensitively,
  comparing the simple uppercase of each UTF-16 code unit. The filespec applies to the file
  name only: the long name, and the short (8.3) name when ``match`` is given one, as a live
  FindFirstFile does (``*.htm`` finds ``page.html`` through ``PAGE~1.HTM``).
* **Paths** compare in one canonical form: ``\`` and ``/`` are both separators, doubled and
  trailing separators are ignored, ``\\?\C:\x`` is ``C:\x`` and ``\\?\UNC\s\h`` is
  ``\\s\h``; ``.`` and ``..`` are names like any other (a catalog lists real entries). Every
  row is a file: a directory listed as a row is matched by its name like a file.
* A **recursive** file set covers its directory and every directory below; a non-recursive one
  its directory only (an absent ``recursive`` attribute is non-recursive, section 2.4).
* **Variables** in spec paths (``%SystemRoot%``, ``%systemroot%``, ``%WinDir%``,
  ``%ProgramData%`` ...) are expanded case-insensitively from `env` (`DEFAULT_ENV` for a
  standard install, overridable); an unknown variable is an error naming it. A ``%`` with no
  closing ``%`` is literal. The requester expands them for the machine the catalog describes
  (section 2.2).
* **Volume-relative** spec paths (``\System Volume Information\Heat``) apply on every volume
  root of `volume_roots` (default ``A:\`` to ``Z:\``; list GUID paths or mount points to cover
  them too).
* **Alternate paths** (section 2.6): an include with an alternate path claims the files under
  its alternate path, not those under its own path. **Excludes** win over includes (section
  2.5) and are matched against a file's default path: for a file claimed through an alternate
  path, against the path it has under the file set's default path.
* **Excludes from snapshot** (``EXCLUDE_FILES_FROM_SNAPSHOT``) do not exclude anything from
  the backup: the writer deletes those files from the shadow copy (section 2.5). They are
  reported apart, in ``not_in_snapshot``.

Bad rows never stop a batch and rows in always equal rows out: a null, a path with a NUL, a
path over 32,767 UTF-16 units, or invalid UTF-8 in an Arrow array is not matched (mask 0,
spec -1) and is flagged in ``status`` (`PathStatus`).
"""
import enum
import re

import numpy as np

from . import _csvcore
from ._strings import StringColumn
from .build_info import resolve_threads
from .decision import EntryFlag
from .errors import FileSpecError, InvalidParameterError
from .vss import VALID_MASK_BITS
from .wmd import FileRole, FileSpec, WriterMetadata

__all__ = ["DEFAULT_ENV", "FileSpecError", "FileSpecMatch", "FileSpecSet", "PathStatus",
           "rejected_file_sets"]

#: Environment of a standard Windows installation on C:, for expanding spec paths.
DEFAULT_ENV = {
    "SystemRoot": r"C:\Windows",
    "WinDir": r"C:\Windows",
    "SystemDrive": "C:",
    "ProgramData": r"C:\ProgramData",
    "ALLUSERSPROFILE": r"C:\ProgramData",
    "ProgramFiles": r"C:\Program Files",
    "ProgramFiles(x86)": r"C:\Program Files (x86)",
    "CommonProgramFiles": r"C:\Program Files\Common Files",
    "PUBLIC": r"C:\Users\Public",
}

#: Every drive-letter volume root: where volume-relative spec paths apply by default.
DRIVE_ROOTS = tuple(f"{chr(c)}:\\" for c in range(ord("A"), ord("Z") + 1))

_VARIABLE = re.compile(r"%([^%]+)%")
_ROLE_CODE = {
    FileRole.FILE_LIST: _csvcore.ROLE_INCLUDE,
    FileRole.DATABASE_FILES: _csvcore.ROLE_INCLUDE,
    FileRole.DATABASE_LOGFILES: _csvcore.ROLE_INCLUDE,
    FileRole.EXCLUDE: _csvcore.ROLE_EXCLUDE,
    FileRole.EXCLUDE_FROM_SNAPSHOT: _csvcore.ROLE_SNAPSHOT_EXCLUDE,
}


class PathStatus(enum.IntFlag):
    """Why a catalog row was not matched (``FileSpecMatch.status``; 0 = a valid path)."""

    NULL = _csvcore.PATH_NULL  #: a missing path (Arrow null, None)
    HAS_NUL = _csvcore.PATH_HAS_NUL  #: contains U+0000
    TOO_LONG = _csvcore.PATH_TOO_LONG  #: longer than 32,767 UTF-16 code units
    BAD_ENCODING = _csvcore.PATH_BAD_ENCODING  #: invalid UTF-8 (Arrow) or code point
    #: its short name is not one file name (a separator, a NUL, bad encoding, over 255 units)
    BAD_SHORT_NAME = _csvcore.PATH_BAD_SHORT_NAME


class FileSpecMatch:
    """The answer of `FileSpecSet.match`: one entry per input row, in input order.

    Attributes
    ----------
    mask : ndarray[uint32]
        OR of the masks of every include file set claiming the path (0 = none).
    spec : ndarray[int32]
        Index in `FileSpecSet.includes` of the first claiming file set (-1 = none).
    excluded : ndarray[bool]
        A writer's exclude matches the path (excludes win over includes).
    not_in_snapshot : ndarray[bool]
        An EXCLUDE_FILES_FROM_SNAPSHOT file set matches: the file is absent from the shadow copy.
    status : ndarray[uint8]
        `PathStatus` bits; non-zero rows were not matched.
    """

    __slots__ = ("mask", "spec", "excluded", "not_in_snapshot", "status", "_entry_flags")

    def __init__(self, n):
        self.mask = np.empty(n, dtype=np.uint32)
        self.spec = np.empty(n, dtype=np.int32)
        self.excluded = np.empty(n, dtype=np.bool_)
        self.not_in_snapshot = np.empty(n, dtype=np.bool_)
        self.status = np.empty(n, dtype=np.uint8)
        self._entry_flags = None

    def __len__(self):
        return self.mask.shape[0]

    @property
    def entry_flags(self):
        """uint8 per row for `classify(entry_flags=...)`: `EntryFlag.EXCLUDED` where excluded.

        A new array each time it is first read; OR further flags (DIFFERENCED, PARTIAL) into it.
        """
        if self._entry_flags is None:
            self._entry_flags = self.excluded.view(np.uint8) * np.uint8(EntryFlag.EXCLUDED)
        return self._entry_flags

    @property
    def null_count(self):
        """Rows that were null (Arrow null or None)."""
        return int(np.count_nonzero(self.status & PathStatus.NULL))

    @property
    def invalid_count(self):
        """Rows that were present but not a valid path (NUL, too long, bad encoding)."""
        return int(np.count_nonzero(self.status & ~np.uint8(PathStatus.NULL)))

    def __repr__(self):
        claimed = int(np.count_nonzero(self.mask))
        return (f"FileSpecMatch({len(self)} rows: {claimed} claimed, "
                f"{int(np.count_nonzero(self.excluded))} excluded, {self.null_count} null, "
                f"{self.invalid_count} invalid)")


def _merge_env(env):
    merged = {k.upper(): v for k, v in DEFAULT_ENV.items()}
    for k, v in (env or {}).items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise TypeError(f"env must map str to str, got {k!r}: {v!r}")
        merged[k.upper()] = v
    return merged


def _as_filespec(obj):
    if isinstance(obj, FileSpec):
        return obj
    role = getattr(obj, "role", FileRole.FILE_LIST)
    role = FileRole(getattr(role, "value", role))
    return FileSpec(obj.path, obj.filespec, bool(getattr(obj, "recursive", False)),
                    getattr(obj, "alternate_path", None),
                    getattr(obj, "mask", FileSpec.mask), role)


class _Owners:
    """Collects file sets with the writer and component each came from."""

    def __init__(self):
        self.files = []  # (FileSpec, writer index or -1, component index or -1)
        self.writers = []
        self.components = []  # (writer index, Component)

    def add(self, specs):
        if isinstance(specs, WriterMetadata):
            w = len(self.writers)
            self.writers.append(specs)
            for c in specs.components:
                self.components.append((w, c))
                self.files.extend((f, w, len(self.components) - 1) for f in c.files)
            self.files.extend((f, w, -1) for f in specs.excludes)
            self.files.extend((f, w, -1) for f in specs.excludes_from_snapshot)
        elif hasattr(specs, "path") and hasattr(specs, "filespec"):
            self.files.append((_as_filespec(specs), -1, -1))
        elif isinstance(specs, (str, bytes)) or not hasattr(specs, "__iter__"):
            raise TypeError("specs must be FileSpec, WriterMetadata, or an iterable of them; got "
                            f"{type(specs).__name__}")
        else:
            for item in specs:
                self.add(item)
        return self


class FileSpecSet:
    r"""File sets compiled for matching: build once, `match` many catalogs.

    Parameters
    ----------
    specs : WriterMetadata, FileSpec, or an iterable of them (nested iterables too)
        Includes (FILE_LIST, DATABASE_FILES, DATABASE_LOGFILES), excludes and excludes from
        snapshot, told apart by `FileSpec.role`. Any object with ``path``, ``filespec`` and
        optionally ``recursive``, ``alternate_path``, ``mask`` and ``role`` is accepted.
    env : dict, optional
        Variables for ``%NAME%`` in spec paths, on top of `DEFAULT_ENV`; names are
        case-insensitive.
    volume_roots : iterable of str, optional
        The volume roots volume-relative spec paths apply on (default: ``A:\`` to ``Z:\``).

    Raises
    ------
    FileSpecError
        A file set that cannot be matched, naming it and the field: an unknown variable, a
        wildcard in a path, a separator in a filespec, a relative or empty path, a NUL, a path
        over 32,767 units, a filespec over 1,024 units, a mask that is not a
        VSS_FILE_SPEC_BACKUP_TYPE, an alternate path on an exclude.

    Attributes
    ----------
    includes, excludes, excludes_from_snapshot : tuple of FileSpec
        The file sets by role, in the order given; `FileSpecMatch.spec` indexes `includes`.
    writers : tuple of WriterMetadata
        The writers whose metadata was given, in order.
    components : tuple of Component
        Their components, writer by writer, in document order.
    component_writer : ndarray[int32]
        For each component, the index of its writer in `writers`.
    include_writer, include_component : ndarray[int32]
        For each include, the index of its writer in `writers` and of its component in
        `components`; -1 for a file set given on its own (not through a WriterMetadata).
        ``include_writer[m.spec[m.spec >= 0]]`` is the claiming writer of each claimed row.

    Notes
    -----
    The semantics are in this module's docstring (``help(csvbackup.filespec)``).
    """

    def __init__(self, specs, *, env=None, volume_roots=None):
        owners = _Owners().add(specs)
        includes = [(f, w, c) for f, w, c in owners.files if f.role.is_include]
        self.includes = tuple(f for f, _, _ in includes)
        self.excludes = tuple(f for f, _, _ in owners.files if f.role is FileRole.EXCLUDE)
        self.excludes_from_snapshot = tuple(
            f for f, _, _ in owners.files if f.role is FileRole.EXCLUDE_FROM_SNAPSHOT)
        self.writers = tuple(owners.writers)
        self.components = tuple(c for _, c in owners.components)
        self.include_writer = np.array([w for _, w, _ in includes], dtype=np.int32)
        self.include_component = np.array([c for _, _, c in includes], dtype=np.int32)
        self.component_writer = np.array([w for w, _ in owners.components], dtype=np.int32)
        self.env = _merge_env(env)
        roots = DRIVE_ROOTS if volume_roots is None else tuple(volume_roots)
        for r in roots:
            if not isinstance(r, str) or not r or "\0" in r:
                raise TypeError(f"volume_roots must be non-empty str, got {r!r}")
        self.volume_roots = roots
        # the matcher's rows of each include (kept for `include_subset`) and of the excludes:
        # checked and expanded once, they are all a copy of this set needs (pickling)
        self._include_rows = [self._rows(fs, "includes", i) for i, fs in enumerate(self.includes)]
        self._exclude_rows = []
        for name, group in (("excludes", self.excludes),
                            ("excludes_from_snapshot", self.excludes_from_snapshot)):
            for i, fs in enumerate(group):
                self._exclude_rows.extend(self._rows(fs, name, i))
        self._compile([r for group in self._include_rows for r in group] + self._exclude_rows)

    def __getstate__(self):
        # Everything but the compiled C set, which is rebuilt from the checked rows: a copy
        # (a Dask worker's) neither parses nor checks a file set again, it only compiles.
        state = self.__dict__.copy()
        del state["_set"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._compile([r for group in self._include_rows for r in group] + self._exclude_rows)

    def _compile(self, rows):
        self._set, bad, why = _csvcore.build_specset(rows)
        if self._set is None:  # the checks above make this unreachable; keep it specific
            raise FileSpecError(f"refused by the matcher (reason {why})", field=f"row {bad}")

    def include_subset(self, indices):
        """A FileSpecSet of the includes `indices` only, without excludes: its include ``k``
        is ``includes[indices[k]]``, with the same owners. Built from the rows this set has
        already checked and expanded, so it costs only the compile."""
        indices = np.asarray(indices, dtype=np.intp)
        new = object.__new__(FileSpecSet)
        new.includes = tuple(self.includes[i] for i in indices)
        new.excludes = new.excludes_from_snapshot = ()
        new.writers, new.components = self.writers, self.components
        new.component_writer = self.component_writer
        new.include_writer = self.include_writer[indices]
        new.include_component = self.include_component[indices]
        new.env, new.volume_roots = self.env, self.volume_roots
        new._include_rows = [[r[:3] + (k,) + r[4:] for r in self._include_rows[i]]
                             for k, i in enumerate(indices)]
        new._exclude_rows = []
        new._compile([r for group in new._include_rows for r in group])
        return new

    def __len__(self):
        return len(self.includes) + len(self.excludes) + len(self.excludes_from_snapshot)

    def __repr__(self):
        return (f"FileSpecSet({len(self.includes)} includes, {len(self.excludes)} excludes, "
                f"{len(self.excludes_from_snapshot)} excludes from snapshot; "
                f"{self._set.directories} directories)")

    def owner(self, include):
        """(WriterMetadata or None, Component or None) of ``includes[include]``."""
        w, c = int(self.include_writer[include]), int(self.include_component[include])
        return (self.writers[w] if w >= 0 else None), (self.components[c] if c >= 0 else None)

    @property
    def directories(self):
        """Distinct directories the compiled set holds (volume-relative ones once per root)."""
        return self._set.directories

    def expand(self, path):
        """`path` with its ``%NAME%`` variables replaced from this set's environment.

        Raises FileSpecError naming an unknown variable.
        """
        try:
            return _expand(path, self.env)
        except _UnknownVariable as e:
            raise FileSpecError(e.args[0], field="path") from None

    def _checked_path(self, value, role, index, field):
        def bad(msg):
            return FileSpecError(msg, role=role, index=index, field=field)

        if not isinstance(value, str):
            raise bad(f"must be str, got {type(value).__name__}")
        if "\0" in value:
            raise bad(f"contains a NUL character at index {value.index(chr(0))}")
        try:
            path = _expand(value, self.env)
        except _UnknownVariable as e:
            raise bad(e.args[0]) from None
        body = path[4:] if path[:4] in ("\\\\?\\", "//?/") else path
        if "*" in body or "?" in body:
            raise bad(f"{value!r} contains a wildcard; only the filespec may (vss-filespec.md 2.2)")
        if not path.strip("\\/"):
            raise bad(f"{value!r} names no directory")
        if not (path[:1] in ("\\", "/") or (len(path) >= 2 and path[1] == ":"
                                            and path[0].isascii() and path[0].isalpha())):
            raise bad(f"{path!r} is relative; a spec path starts with a drive (C:), \\\\ or \\")
        if len(path.encode("utf-16-le", "surrogatepass")) // 2 > _csvcore.PATH_MAX_UNITS:
            raise bad("is longer than 32,767 UTF-16 code units")
        return path

    def _rows(self, fs, role, index):
        """The matcher's rows for one file set: one per volume root when volume-relative."""
        def bad(field, msg):
            return FileSpecError(msg, role=role, index=index, field=field)

        path = self._checked_path(fs.path, role, index, "path")
        if not isinstance(fs.filespec, str):
            raise bad("filespec", f"must be str, got {type(fs.filespec).__name__}")
        if "\\" in fs.filespec or "/" in fs.filespec or "\0" in fs.filespec:
            raise bad("filespec", f"{fs.filespec!r} holds a separator or NUL; a filespec is a "
                                  "file-name pattern (vss-filespec.md 2.1)")
        if len(fs.filespec.encode("utf-16-le", "surrogatepass")) // 2 > _csvcore.FILESPEC_MAX_UNITS:
            raise bad("filespec", "is longer than 1,024 UTF-16 code units")
        mask = fs.mask
        if isinstance(mask, bool) or not isinstance(mask, (int, np.integer)) \
                or not 0 <= int(mask) <= 0xFFFFFFFF:
            raise bad("mask", f"{mask!r} is not a DWORD")
        if fs.role.is_include and int(mask) & ~VALID_MASK_BITS:
            raise bad("mask", f"0x{int(mask):X} is not a VSS_FILE_SPEC_BACKUP_TYPE mask "
                              f"(valid bits 0x{VALID_MASK_BITS:X})")
        alternate = None
        if fs.alternate_path is not None:
            if not fs.role.is_include:
                raise bad("alternate_path", "excludes have no alternate path")
            alternate = self._checked_path(fs.alternate_path, role, index, "alternate_path")
            if _is_volume_relative(alternate):
                raise bad("alternate_path", f"{alternate!r} is volume-relative; an alternate "
                                            "path must be absolute")
        dirs = [path]
        if _is_volume_relative(path):
            dirs = [r.rstrip("\\/") + "\\" + path.lstrip("\\/") for r in self.volume_roots]
        code = _ROLE_CODE[fs.role]
        if alternate is None:
            return [(d, fs.filespec, None, index, int(mask), code, fs.recursive) for d in dirs]
        return [(alternate, fs.filespec, d, index, int(mask), code, fs.recursive) for d in dirs]

    def match(self, paths, *, short_names=None, threads=None):
        """Match every path of a catalog.

        Parameters
        ----------
        paths : list or tuple of str, numpy ``U`` or object array, pyarrow StringArray,
            LargeStringArray or ChunkedArray (read in place). None and Arrow nulls are null
            rows.
        short_names : same kinds as `paths`, optional
            Each file's 8.3 short name (``PAGE~1.HTM``), null or empty where it has none.
            FindFirstFile matches a file when its long or its short name matches, so a file
            set (include or exclude) claims a row when either does. A short name that is not
            one file name makes the row ``PathStatus.BAD_SHORT_NAME``, unmatched.
        threads : int, optional
            Threads to use (default: `csvbackup.resolve_threads()`).

        Returns
        -------
        FileSpecMatch
            One row per input row.

        Raises
        ------
        TypeError
            `paths` or `short_names` is not a column of strings, or an object array /
            sequence holds a non-str (the message names its index).
        InvalidParameterError
            `short_names` has not one row per path.
        """
        column = StringColumn(paths)
        result = FileSpecMatch(len(column))
        nthreads = resolve_threads(threads)
        if short_names is None:
            pieces = ((start, stop, source, None) for start, stop, source in column.chunks())
        else:
            shorts = StringColumn(short_names, "short_names")
            if len(shorts) != len(column):
                raise InvalidParameterError(f"short_names has {len(shorts):,} rows; paths has "
                                            f"{len(column):,}")
            pieces = column.chunks_with(shorts)
        for start, stop, source, short_source in pieces:
            _csvcore.specset_match(
                self._set, source, result.mask[start:stop], result.spec[start:stop],
                result.excluded[start:stop].view(np.uint8),
                result.not_in_snapshot[start:stop].view(np.uint8),
                result.status[start:stop], nthreads, short_source)
        return result


def rejected_file_sets(specs, *, env=None, volume_roots=None):
    """The file sets of `specs` that `FileSpecSet` would refuse, each with its error.

    Takes what `FileSpecSet` takes and checks every file set the same way, without
    compiling anything and without stopping at the first bad one: a list of
    ``(FileSpec, FileSpecError)`` in document order, empty when the whole set compiles.
    The error's ``role`` and ``index`` are the set's place among the includes, excludes or
    excludes from snapshot, as `FileSpecSet` would report it.
    """
    checker = object.__new__(FileSpecSet)  # only the checks: its env and volume roots
    checker.env = _merge_env(env)
    checker.volume_roots = DRIVE_ROOTS if volume_roots is None else tuple(volume_roots)
    counts, rejected = {}, []
    for fs, _, _ in _Owners().add(specs).files:
        role = "includes" if fs.role.is_include else (
            "excludes" if fs.role is FileRole.EXCLUDE else "excludes_from_snapshot")
        index = counts[role] = counts.get(role, -1) + 1
        try:
            checker._rows(fs, role, index)
        except FileSpecError as e:
            rejected.append((fs, e))
    return rejected


class _UnknownVariable(KeyError):
    pass


def _expand(path, env):
    """ExpandEnvironmentStrings with case-insensitive names; an unknown name is an error
    (Windows would leave it in place, and the path would then match nothing)."""
    def sub(m):
        try:
            return env[m.group(1).upper()]
        except KeyError:
            raise _UnknownVariable(f"unknown environment variable %{m.group(1)}% in {path!r}; "
                                   "pass its value in env=") from None

    return _VARIABLE.sub(sub, path)


def _is_volume_relative(path):
    return path[:1] in ("\\", "/") and path[1:2] not in ("\\", "/")
