"""``csvbackup demo [DIR]``: the newcomer's tour, on a simulated cluster written to DIR.

1. a two-CSV cluster with the files of a Hyper-V and SQL Server host (``example_host``);
2. a FULL backup plan of the CSVs (a scan, the writers' metadata), written to Parquet;
3. ClusterPrepareSharedVolumeForBackup for each CSV of the snapshot set, then a backup session:
   backup mode IN_PROGRESS on those CSVs, NONE again when it ends;
4. some files change; an INCREMENTAL plan since the full backup.
"""
import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from .. import example_host
from ..cluster import open_cluster
from ..filespec import FileSpecSet
from ..plan import Planner
from ..plan_files import run_plan
from ..scan import scan_cluster
from ..vss import BackupType
from ..wmd import load_writers
from .arguments import UsageError
from .cluster_commands import volume_rows
from .output import Output
from .plan_command import print_summary

__all__ = ["add_parsers"]


def add_parsers(sub):
    p = sub.add_parser("demo", help="a tour: plan a full and an incremental backup of a "
                                    "simulated Hyper-V + SQL Server cluster",
                       description=__doc__, epilog="example:\n  csvbackup demo\n"
                                                   "  csvbackup demo ./demo-cluster",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("directory", nargs="?", metavar="DIR",
                   help="where to write the cluster (default: a new temporary folder, kept)")
    p.add_argument("--files", type=int, default=3000, help="documents on the file share")
    p.set_defaults(func=cmd_demo)


def _plan(output, cluster, specs, backup_type, since, out):
    volumes = cluster.shared_volumes()
    planner = Planner(specs, volumes, backup_type, since=since)
    t0 = time.perf_counter()
    scanned = scan_cluster(cluster)
    summary = run_plan(planner, scanned.batches(1 << 18), out, schema=scanned.table.schema)
    print_summary(output, summary, {"source": "a scan of " + ", ".join(v.path for v in volumes),
                                    "out": str(out), "seconds": time.perf_counter() - t0})
    return planner, summary


def _states(output, cluster, title):
    output.line()
    output.table(title, ["CSV", "path", "volume GUID path", "resource", "owner", "online",
                         "backup"], volume_rows(cluster))


def cmd_demo(args, out):
    if args.files < 0:
        raise UsageError(f"--files {args.files}: must be >= 0")
    if args.directory is not None:
        directory = Path(args.directory)
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise UsageError(f"{directory}: not an empty folder (the demo writes a new cluster)")
    else:
        directory = Path(tempfile.mkdtemp(prefix="csvbackup-demo-"))
    output = Output(out)
    t0 = time.perf_counter()
    config = example_host.build(directory, share_files=args.files)
    writers = load_writers([example_host.EXAMPLES])
    specs = FileSpecSet(writers)
    plans = directory / "plans"
    plans.mkdir()
    output.line(f"csvbackup demo: a simulated cluster with two CSVs in {directory}")
    output.line(f"writers: {', '.join(w.friendly_name for w in writers)} "
                f"(from {example_host.EXAMPLES})")
    with open_cluster(config) as cluster:
        output.line()
        output.line("== 1. FULL backup plan " + "=" * 60)
        last_backup = dt.datetime.now(dt.UTC)
        planner, full = _plan(output, cluster, specs, BackupType.FULL, None,
                              plans / "full.parquet")
        prepared = planner.prepare(cluster)
        output.line()
        output.line("== 2. Backup session on the snapshot set's CSVs " + "=" * 34)
        for name, p in prepared.items():
            output.line(f"ClusterPrepareSharedVolumeForBackup: {name} -> volume path "
                        f"{p.volume_path}, volume name {p.volume_name}")
        with cluster.backup_session(list(prepared), delay_timer_secs=600):
            _states(output, cluster, "During the session (the shadow copy would be made now)")
        _states(output, cluster, "After the session")
        touched = example_host.touch_changes(directory)
        output.line()
        output.line(f"== 3. {touched} files change; INCREMENTAL backup plan since the full one "
                    + "=" * 10)
        _plan(output, cluster, specs, BackupType.INCREMENTAL, last_backup,
              plans / "incremental.parquet")
    output.line()
    output.line(f"Done in {time.perf_counter() - t0:.1f} s. The cluster, its files and both "
                f"plans are in {directory}; next, try:")
    output.line(f"  csvbackup plan --cluster {config} --writers {example_host.EXAMPLES} "
                "--scan --type differential --since 2026-01-01")
    output.line(f"  csvbackup sim status {config}")
    return 0
