r"""The demo's host: a simulated two-CSV cluster holding the files of a Hyper-V and SQL Server
host, as real files on disk, with the writer metadata that describes them.

Volume1 holds eight virtual machines (``Hyper-V\<vm>\Virtual Hard Disks\*.vhdx``, their
configuration under ``Virtual Machines``, checkpoints under ``Snapshots``, smart paging files)
and one SQL Server data folder; Volume2 holds SQL Server's other databases and backups, and a
departmental file share of a few thousand documents. Virtual disks and databases are sparse
files: their sizes are realistic (tens of GiB) while they take no disk space.

The writer metadata ships in ``csvbackup/examples/``: the SQL Server writer's document as a
real host saved it, its folders moved onto the CSVs, and a Hyper-V-style document written for
the demo (each file says so in its header).
"""
import os
import time
import uuid
from pathlib import Path

import numpy as np

from . import simulator

__all__ = ["EXAMPLES", "VMS", "build", "touch_changes"]

#: The folder of the example writer metadata documents.
EXAMPLES = Path(__file__).resolve().parent / "examples"

#: The virtual machines on Volume1 (hyperv_demo.wmd.xml has one component for each).
VMS = ("web01", "web02", "web03", "app01", "app02", "dc01", "file01", "db01")
_VM_NAMESPACE = uuid.UUID("7c1f7f2e-3b0a-5b8e-9a4e-6d1c2b3a4f50")

_SQL = {  # volume -> {database file: size in MiB} (names from sqlserverwriter.wmd.xml)
    "Volume2": {"master.mdf": 6, "mastlog.ldf": 2, "model.mdf": 8, "modellog.ldf": 8,
                "MSDBData.mdf": 20, "MSDBLog.ldf": 4, "SecondServerDb.mdf": 52_000,
                "SecondServerDb_log.ldf": 9_000},
    "Volume1": {"NonNimbleDatabase.mdf": 17_000, "NonNimbleDatabase_log.ldf": 3_100},
}
_SQL_DIR = Path("SQL/MSSQL14.MSSQLSERVER/MSSQL/DATA")
_DEPARTMENTS = ("Finance", "HR", "Engineering", "Legal", "Sales")
_DOCUMENTS = (".docx", ".xlsx", ".pdf", ".pptx", ".txt", ".tmp")
_GIB = 1 << 30


def vm_guid(name):
    """The (made-up) GUID of a demo VM: its component name in hyperv_demo.wmd.xml."""
    return str(uuid.uuid5(_VM_NAMESPACE, "vm:" + name)).upper()


def _file(path, size, mtime):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        if size <= 4096:
            f.write(os.urandom(size))
        else:
            f.truncate(size)  # sparse: the size without the disk space
    os.utime(path, (mtime, mtime))


def _vm_files(volume, rng):
    for name in VMS:
        vm = volume / "Hyper-V" / name
        g = vm_guid(name)
        yield vm / "Virtual Hard Disks" / f"{name}.vhdx", int(rng.integers(30, 120)) * _GIB
        if name in ("db01", "file01"):
            yield vm / "Virtual Hard Disks" / f"{name}-data.vhdx", int(rng.integers(200, 900)) * _GIB
        yield vm / "Virtual Machines" / f"{g}.vmcx", 70_000
        yield vm / "Virtual Machines" / f"{g}.vmrs", 40_000
        yield vm / "Virtual Machines" / f"{g}.vmgs", 4_000
        yield vm / "Virtual Machines" / f"{g}.slp", int(rng.integers(1, 4)) * _GIB  # excluded
        if name.startswith("app"):
            cp = str(uuid.uuid5(_VM_NAMESPACE, "checkpoint:" + name)).upper()
            yield vm / "Snapshots" / f"{cp}.vmcx", 60_000
            yield vm / "Virtual Hard Disks" / f"{name}_{cp}.avhdx", int(rng.integers(1, 8)) * _GIB


def _share_files(volume, rng, count):
    for i in range(count):
        dept = _DEPARTMENTS[i % len(_DEPARTMENTS)]
        project = f"Project{int(rng.integers(0, 40)):02d}"
        ext = _DOCUMENTS[int(rng.integers(0, len(_DOCUMENTS)))]
        size = int(rng.lognormal(11, 2))
        yield volume / "Shares" / dept / project / f"doc{i:05d}{ext}", min(size, 4 << 30)


def build(directory, *, share_files=3000, seed=0):
    """Write the demo cluster into `directory` (a new or empty folder); returns the
    simulator configuration's path. Every file's mtime is a week before now."""
    directory = Path(directory)
    config = simulator.write_example(directory, force=True)
    volumes = {v: directory / "volumes" / v for v in ("Volume1", "Volume2")}
    rng = np.random.default_rng(seed)
    week_ago = time.time() - 7 * 86_400
    files = list(_vm_files(volumes["Volume1"], rng))
    for vol, dbs in _SQL.items():
        files += [(volumes[vol] / _SQL_DIR / name, mib << 20) for name, mib in dbs.items()]
    files += [(volumes["Volume2"] / "SQL" / "Backup" / f"SecondServerDb_{d:02d}.bak", 40 * _GIB)
              for d in range(1, 8)]
    files += list(_share_files(volumes["Volume2"], rng, share_files))
    for path, size in files:
        _file(path, size, week_ago)
    simulator.attach(simulator.load_config(config), reset=True, create=True)
    return config


def touch_changes(directory, *, fraction=0.05, seed=1):
    """What changes after a backup: one VM's disk, SQL Server's logs and a share of the
    documents get a new mtime (now). Returns the number of files touched."""
    rng = np.random.default_rng(seed)
    directory = Path(directory) / "volumes"
    changed = [directory / "Volume1" / "Hyper-V" / "web01" / "Virtual Hard Disks" / "web01.vhdx"]
    changed += sorted((directory / "Volume2" / _SQL_DIR).glob("*.ldf"))
    docs = sorted((directory / "Volume2" / "Shares").rglob("*.*"))
    changed += [docs[i] for i in np.flatnonzero(rng.random(len(docs)) < fraction)]
    for p in changed:
        os.utime(p)
    return len(changed)
