r"""Reading a backup catalog batch: its columns checked and converted for the plan, and the
local volume root of each path that is on no CSV.

A catalog is any Arrow stream of record batches with the columns

* ``path`` (string, large_string or string_view; dictionary-encoded strings are decoded): the
  file's Windows path;
* ``size`` (any integer type): its size in bytes (a null counts as 0);
* ``mtime`` (FILETIME as any integer type, or a timestamp of any unit and zone): its last
  modification time. A null, negative or out-of-range mtime is *unknown*: a row whose decision
  depends on its time is then copied (`UNKNOWN_MTIME`), the only choice that cannot lose a
  change;

and optionally ``entry_flags`` (integer `EntryFlag` bits: DIFFERENCED, PARTIAL, EXCLUDED, as
the writers reported them) and ``differenced_since`` (FILETIME or timestamp: the threshold of a
differenced file; 0 or null means the requester's `since`). Other columns pass through.
"""
import numpy as np

from .errors import InvalidParameterError
from .filetime import datetime64_to_filetime

__all__ = ["CatalogError", "CatalogColumns", "UNKNOWN_MTIME", "read_columns", "local_roots"]

#: The FILETIME an unknown mtime is decided with: after every `since`, so the file is copied.
UNKNOWN_MTIME = np.iinfo(np.int64).max

REQUIRED = ("path", "size", "mtime")


class CatalogError(InvalidParameterError):
    """A catalog that cannot be planned: a missing column or one of the wrong type.

    Attributes: ``column`` (the column's name) and ``batch`` (the index of the batch).
    """

    def __init__(self, message, *, column=None, batch=None):
        super().__init__(message)
        self.column = column
        self.batch = batch


class CatalogColumns:
    """One batch's columns as the plan needs them (numpy, row-aligned with the batch)."""

    __slots__ = ("path", "size", "mtime", "unknown_mtime", "entry_flags", "differenced_since")

    def __init__(self, path, size, mtime, unknown_mtime, entry_flags, differenced_since):
        self.path = path  #: pyarrow string array
        self.size = size  #: int64
        self.mtime = mtime  #: int64 FILETIME, UNKNOWN_MTIME where unknown
        self.unknown_mtime = unknown_mtime  #: bool
        self.entry_flags = entry_flags  #: uint8 or None
        self.differenced_since = differenced_since  #: int64 FILETIME or None


def _column(batch, name):
    i = batch.schema.get_field_index(name)
    if i < 0:
        return None
    col = batch.column(i)
    import pyarrow as pa
    if pa.types.is_dictionary(col.type):
        col = col.dictionary_decode()
    return col


def _type_error(name, col, want, index):
    return CatalogError(f"catalog column {name!r} is {col.type}, expected {want}",
                        column=name, batch=index)


def _integers(col, name, index, *, null=0):
    import pyarrow as pa
    if not pa.types.is_integer(col.type):
        raise _type_error(name, col, "an integer type", index)
    if pa.types.is_uint64(col.type):
        try:
            col = col.cast(pa.int64(), safe=True)
        except pa.ArrowInvalid:
            raise CatalogError(f"catalog column {name!r} holds values past int64",
                               column=name, batch=index) from None
    return col.fill_null(null).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def _times(col, name, index):
    """(FILETIME int64, unknown bool) of an integer (FILETIME) or timestamp column."""
    import pyarrow as pa
    if pa.types.is_timestamp(col.type):
        unit = col.type.unit
        raw = col.cast(pa.int64()).fill_null(np.iinfo(np.int64).min).to_numpy()
        ft = datetime64_to_filetime(raw.view(f"datetime64[{unit}]"), invalid=-1)
    elif pa.types.is_integer(col.type):
        ft = _integers(col, name, index, null=-1)
    else:
        raise _type_error(name, col, "FILETIME integers or a timestamp", index)
    return ft, ft < 0


def read_columns(batch, index=0):
    """The plan's columns of one record batch (a `CatalogError` names what is wrong)."""
    import pyarrow as pa
    cols = {}
    for name in REQUIRED:
        col = _column(batch, name)
        if col is None:
            raise CatalogError(f"catalog has no {name!r} column (it has: "
                               f"{', '.join(batch.schema.names) or 'none'})",
                               column=name, batch=index)
        cols[name] = col
    path = cols["path"]
    if getattr(pa.types, "is_string_view", lambda t: False)(path.type):
        path = path.cast(pa.large_string())  # polars' strings: the matcher reads offsets
    if not (pa.types.is_string(path.type) or pa.types.is_large_string(path.type)):
        raise _type_error("path", path, "string", index)
    size = _integers(cols["size"], "size", index)
    negative = np.flatnonzero(size < 0)
    if negative.size:
        raise CatalogError(f"catalog column 'size' row {int(negative[0])} = "
                           f"{int(size[negative[0]])}: a size is not negative",
                           column="size", batch=index)
    mtime, unknown = _times(cols["mtime"], "mtime", index)
    mtime = np.where(unknown, UNKNOWN_MTIME, mtime)
    entry = _column(batch, "entry_flags")
    if entry is not None:
        flags = _integers(entry, "entry_flags", index)
        bad = np.flatnonzero((flags < 0) | (flags > 7))
        if bad.size:
            raise CatalogError(f"catalog column 'entry_flags' row {int(bad[0])} = "
                               f"{int(flags[bad[0]])}: not EntryFlag bits (0 to 7)",
                               column="entry_flags", batch=index)
        entry = flags.astype(np.uint8)
    diff = _column(batch, "differenced_since")
    if diff is not None:
        diff, diff_unknown = _times(diff, "differenced_since", index)
        diff = np.where(diff_unknown, 0, diff)  # null: the requester's `since`
    return CatalogColumns(path, size, mtime, unknown, entry, diff)


# One root per path; the groups are the alternatives of csvb_canonicalize's prefixes
# (include/csvbackup/filespec.h): \\?\UNC\server\share, \\?\X:, \\?\Volume{...}, X:, and
# \\server\share. A server name never starts with '?' (\\?\ is a prefix, not a server). A
# drive-relative path (C:x) is on its drive.
_ROOT = (r"^(?:[\\/]{2}\?[\\/](?:[Uu][Nn][Cc][\\/]+(?P<unc1>[^\\/]+[\\/]+[^\\/]+)"
         r"|(?P<drv1>[A-Za-z]):(?:[\\/]|$)|(?P<vol>[Vv]olume\{[^\\/}]*\})(?:[\\/]|$))"
         r"|(?P<drv2>[A-Za-z]):|[\\/]{2}(?P<unc2>[^\\/?][^\\/]*[\\/]+[^\\/]+))")


def local_roots(paths):
    r"""The volume root of each path as written: ``C:\`` for a drive path (``\\?\C:\`` too),
    ``\\server\share\`` for a UNC path (``\\?\UNC\server\share\`` too), ``\\?\Volume{...}\``
    for a volume GUID path; null for a path with none (relative, or rooted on no volume).
    `paths` is a pyarrow string array; the answer is a pyarrow string array.

    Each root is spelled one way whatever the case it was written in, so a plan does not
    depend on which spelling its rows (or a partition's) show first: drive letters upper
    case, server and share lower case, a volume GUID path as Windows writes it
    (``\\?\Volume{`` and a lower-case GUID); separators are ``\``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    if len(paths) == 0:
        return pa.array([], pa.string())
    parts = pc.extract_regex(paths, pattern=_ROOT)

    def group(name):  # an alternative that did not take part is "": null
        col = pc.struct_field(parts, name)
        return pc.if_else(pc.equal(col, ""), pa.scalar(None, col.type), col)

    def lit(text):  # a literal of the column's own string type
        return pa.scalar(text, paths.type)

    drive = pc.utf8_upper(pc.coalesce(group("drv1"), group("drv2")))
    unc = pc.utf8_lower(pc.replace_substring_regex(pc.coalesce(group("unc1"), group("unc2")),
                                                   r"[\\/]+", r"\\"))
    vol = pc.replace_substring_regex(pc.utf8_lower(group("vol")), "^volume", "Volume")
    return pc.coalesce(pc.binary_join_element_wise(drive, lit(":\\"), lit("")),
                       pc.binary_join_element_wise(lit("\\\\"), unc, lit("\\"), lit("")),
                       pc.binary_join_element_wise(lit("\\\\?\\"), vol, lit("\\"), lit("")))
