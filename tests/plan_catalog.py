"""The catalog the planner and Dask tests share: writers (a real one, bare file sets, a FULL-only
writer), two CSVs, and rows of every shape a cataloger meets (CSV, local and UNC paths, volume
GUID paths, relative, null and NUL paths, unknown mtimes, entry flags)."""
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

import csvbackup as cb

DATA = Path(__file__).resolve().parent / "data" / "wmd"
SQL = cb.WriterMetadata.from_xml(DATA / "03_sqlserverwriter.wmd.xml")  # schema: no INCREMENTAL
G1 = "\\\\?\\Volume{11111111-0000-0000-0000-000000000001}\\"
VOLUMES = [(r"C:\ClusterStorage\Volume1", G1), (r"C:\ClusterStorage\Volume2", None)]
NAMES = [(G1, VOLUMES[0]), (VOLUMES[1][0], VOLUMES[1])]
SINCE = 133_500_000_000_000_000  # 2024-01-22
NEW, OLD = SINCE + 10**9, SINCE - 10**9

BARE = [cb.FileSpec(r"C:\ClusterStorage\Volume1\VMs", "*.vhdx", True, mask=0x1),
        cb.FileSpec(r"C:\ClusterStorage\Volume1\VMs", "*", True, mask=0x8),  # second claimant
        cb.FileSpec(r"C:\ClusterStorage", "*.tmp", True, role=cb.FileRole.EXCLUDE),
        cb.FileSpec(r"C:\ClusterStorage\Volume2\Logs", "*.log", mask=0x2 | 0x200),
        cb.FileSpec(r"C:\Nowhere", "*", mask=0x1),  # matches nothing
        cb.FileSpec(r"C:\Later", "*", mask=0x10000 | 0x1)]  # CREATED_DURING_BACKUP: no warning
#: A writer with no INCREMENTAL or DIFFERENTIAL support whose masks have only the FULL bit: under
#: an INCREMENTAL request its files are still copied whole (its effective type is FULL).
FULL_ONLY = cb.WriterMetadata(
    writer_id="00000000-0000-0000-0000-0000000000aa", instance_id="", friendly_name="Full Only",
    backup_schema=cb.BackupSchema.UNDEFINED, components=(cb.Component(
        "Data", "files", cb.ComponentType.FILE_GROUP,
        files=(cb.FileSpec(r"C:\ClusterStorage\Volume2\Data", "*", True, mask=0x1 | 0x100),)),))
SPECS = [SQL, BARE, FULL_ONLY]
SQL_DATA = r"E:\MSSQL14.MSSQLSERVER\MSSQL\DATA"

ROWS = [  # (path, size, mtime, entry_flags, differenced_since)
    (r"C:\ClusterStorage\Volume1\VMs\a.vhdx", 10, NEW, 0, None),
    (r"c:/clusterstorage/volume1/vms/sub/B.VHDX", 11, OLD, 0, None),
    (r"C:\ClusterStorage\Volume1\VMs\c.tmp", 12, NEW, 0, None),
    (r"C:\ClusterStorage\Volume2\Logs\x.log", 13, OLD, 0, None),
    (r"C:\ClusterStorage\Volume2\other.txt", 14, NEW, 0, None),
    (r"C:\ClusterStorage\Volume2\old.txt", 15, OLD, 0, None),
    (G1 + r"VMs\guid.vhdx", 16, OLD, 0, None),
    (SQL_DATA + r"\master.mdf", 17, OLD, 0, None),
    (SQL_DATA + r"\mastlog.ldf", 18, None, 0, None),  # unknown mtime
    (r"D:\data\y.txt", 19, NEW, 0, None),
    (r"d:\data\z.txt", 20, OLD, cb.EntryFlag.DIFFERENCED, OLD - 5),
    (r"\\srv\share\f.txt", 21, NEW, 0, None),
    (r"\\SRV\SHARE\g.txt", 22, NEW, cb.EntryFlag.PARTIAL, None),
    (r"\\?\UNC\srv\share\h.txt", 23, NEW, 0, None),
    ("\\\\?\\Volume{22222222-0000-0000-0000-000000000002}\\f", 24, NEW, 0, None),
    ("relative.txt", 25, NEW, 0, None),
    (None, 26, NEW, 0, None),
    ("C:\\bad\0nul", 27, NEW, 0, None),
    (r"C:\ClusterStorage\Volume1\VMs\d.vhdx", 28, NEW, cb.EntryFlag.EXCLUDED, None),
    (r"C:\ClusterStorage\Volume2\Data\old.dat", 29, OLD, 0, None),
]


def batch_of(rows, *, mtime_type=None, with_flags=True):
    cols = {"path": pa.array([r[0] for r in rows], pa.string()),
            "size": pa.array([r[1] for r in rows], pa.int64()),
            "mtime": pa.array([r[2] for r in rows], pa.int64()),
            "id": pa.array(range(len(rows)), pa.int32())}
    if mtime_type is not None:
        ticks = np.array([-1 if r[2] is None else r[2] for r in rows], np.int64)
        us = (ticks - cb.filetime.UNIX_EPOCH_AS_FILETIME) // 10
        cols["mtime"] = pa.array(us, pa.int64(), mask=ticks < 0).cast(pa.timestamp("us")).cast(
            mtime_type)
    if with_flags:
        cols["entry_flags"] = pa.array([r[3] for r in rows], pa.uint8())
        cols["differenced_since"] = pa.array([r[4] for r in rows], pa.int64())
    return pa.record_batch(cols)


PATHS = st.sampled_from([r[0] for r in ROWS] + [r"C:\ClusterStorage\Volume2\Logs\y.LOG",
                                                 SQL_DATA + r"\model.mdf", "C:", "\\\\srv",
                                                 "\\\\?\\unc\\s\\h\\x", "C:rel"])


EXTRA = [  # non-ASCII directories and names, on and off the CSVs
    (r"C:\ClusterStorage\Volume1\VMs\Données\été.vhdx", 30, SINCE + 5, 0, None),
    (r"C:\ClusterStorage\Volume2\Logs\Übersicht.log", 31, SINCE - 5, 0, None),
    ("\\\\Srv\\Freigabe\\Ärger\\ß.txt", 32, SINCE + 5, 0, None),
    (r"e:\MSSQL14.MSSQLSERVER\MSSQL\DATA\模型.mdf", 33, None, 0, None),
]
SIZES = [7, 0, 13, 1, 20]  # rows per file: one empty file among them


def write_catalog(folder, rows, sizes):
    folder.mkdir()
    table = pa.Table.from_batches([batch_of(rows)])
    start = 0
    for k, n in enumerate(sizes):
        pq.write_table(table.slice(start, n), folder / f"cat-{k:02d}.parquet")
        start += n
    return folder


def one_process(folder, backup_type=cb.BackupType.INCREMENTAL):
    p = cb.Planner(SPECS, VOLUMES, backup_type, since=SINCE)
    planned = list(p.plan_batches(cb.open_catalog(folder).batches()))
    return pa.Table.from_batches(planned).to_pylist(), p.summary()


def rows_of(frame_or_folder):
    if isinstance(frame_or_folder, os.PathLike):
        return pq.read_table(frame_or_folder).to_pylist()
    return pa.Table.from_pandas(frame_or_folder, preserve_index=False).to_pylist()
