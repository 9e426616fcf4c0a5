r"""A catalog made by walking the cluster's shared volumes: ``csvbackup plan --scan``.

Each CSV of a simulated cluster is a real local directory (its ``local_dir``); `scan_cluster`
lists every file under it with the C walker of the core (levels of directories listed in
parallel, ``fstatat`` per file, the GIL released) and names each file by its Windows path on
the CSV: ``C:\ClusterStorage\Volume1\`` + its path below the directory, with ``\``
separators. The bytes of a name are kept as the file system holds them: a name that is not
valid UTF-8 stays a row, which the plan flags in ``path_status`` and never drops.

The walk is not available on Windows, where the CSVs would be walked with FindFirstFileEx; a
catalog (``--catalog``) works everywhere.
"""
from dataclasses import dataclass, field

from . import _csvcore
from .build_info import resolve_threads
from .errors import ERROR_NOT_SUPPORTED, Win32Error

__all__ = ["ScanResult", "scan_cluster", "scan_directory"]


def _schema():
    """The columns of a scanned catalog: the Windows path, the size, the mtime (FILETIME)."""
    import pyarrow as pa
    return pa.schema([("path", pa.large_string()), ("size", pa.int64()), ("mtime", pa.int64())])


@dataclass
class ScanResult:
    """What a scan found: the catalog and the directories it could not list."""

    table: object  #: pyarrow.Table: path (large_string), size, mtime (FILETIME int64)
    failed: list = field(default_factory=list)  #: [(local directory, errno)]

    def batches(self, batch_rows):
        """The catalog as record batches of at most `batch_rows` rows."""
        return self.table.to_batches(max_chunksize=batch_rows)


def scan_directory(root, prefix, *, threads=None):
    r"""Every file under the local directory `root`, named `prefix` + its path below `root`
    with ``\`` separators (`prefix` such as ``C:\ClusterStorage\Volume1\``): a `ScanResult`.

    Raises OSError when `root` itself cannot be listed; directories below it that cannot be
    listed are reported in ``failed``, their files missing from the catalog.
    """
    import os

    import pyarrow as pa
    if not _csvcore.HAVE_TREE_WALK:
        raise Win32Error("scanning walks the simulated cluster's local directories; on "
                         "Windows plan a catalog instead", ERROR_NOT_SUPPORTED)
    offsets, data, size, mtime, failed = _csvcore.walk_tree(
        root, prefix.encode("utf-8", "surrogateescape"), resolve_threads(threads))
    n = len(size)
    # The paths are not validated as UTF-8 here on purpose: the plan flags invalid ones.
    path = pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets),
                                                        pa.py_buffer(data)])
    table = pa.Table.from_arrays([path, pa.array(size), pa.array(mtime)], schema=_schema())
    return ScanResult(table, [(os.fsdecode(d), e) for d, e in failed])


def scan_cluster(cluster, *, threads=None):
    """Every file on every CSV of a simulated `cluster` (`Cluster` opened on a simulator
    configuration), named by its Windows path on the CSV: one `ScanResult` for all."""
    import pyarrow as pa
    cfg = getattr(cluster, "config", None)
    if cfg is None:
        raise Win32Error("a scan walks a simulated cluster's CSVs; this cluster is not "
                         "simulated (plan a catalog instead)", ERROR_NOT_SUPPORTED)
    tables, failed = [], []
    for v in cfg.shared_volumes:
        if v.local_dir is None:
            continue
        r = scan_directory(v.local_dir, cfg.mount_point(v), threads=threads)
        tables.append(r.table)
        failed.extend(r.failed)
    table = pa.concat_tables(tables) if tables else _schema().empty_table()
    return ScanResult(table, failed)
