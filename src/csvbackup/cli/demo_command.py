"""``csvbackup demo [DIR]``: the newcomer's tour, on a simulated cluster written to DIR.

1. a two-CSV cluster with the files of a Hyper-V and SQL Server host (``example_host``);
2. a FULL backup plan of the CSVs (a scan, the writers' metadata), written to Parquet;
3. ClusterPrepareSharedVolumeForBackup for each CSV of the snapshot set, then a backup session:
   backup mode IN_PROGRESS on those CSVs, NONE again when it ends;
4. some files change; an INCREMENTAL plan since the full backup.
"""
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
from .arguments import UsageError, add_command, non_negative_int
from .operator_commands import VOLUME_COLUMNS, volume_dict, volume_row
from .output import Output
from .plan_command import print_summary, summary_json

__all__ = ["add_parsers"]


def add_parsers(sub):
    p = add_command(sub, "demo", "a tour: plan a full and an incremental backup of a "
                                 "simulated Hyper-V + SQL Server cluster",
                    description=__doc__, func=cmd_demo,
                    examples=["csvbackup demo", "csvbackup demo ./demo-cluster"])
    p.add_argument("directory", nargs="?", metavar="DIR",
                   help="where to write the cluster (default: a new temporary folder, kept)")
    p.add_argument("--files", type=non_negative_int, default=3000,
                   help="documents on the file share")
    p.add_argument("--json", action="store_true",
                   help="print {directory, config, writers, full, prepared, changed_files, "
                        "incremental} as JSON (each plan as plan --json prints it)")


def _plan(output, cluster, specs, backup_type, since, out):
    volumes = cluster.shared_volumes()
    planner = Planner(specs, volumes, backup_type, since=since)
    t0 = time.perf_counter()
    scanned = scan_cluster(cluster)
    summary = run_plan(planner, scanned.batches(1 << 18), out, schema=scanned.table.schema)
    info = {"source": "a scan of " + ", ".join(v.path for v in volumes), "out": str(out),
            "seconds": time.perf_counter() - t0}
    print_summary(output, summary, info)
    return planner, summary_json(summary, info)


def _states(output, cluster, title):
    output.line()
    output.table(title, VOLUME_COLUMNS,
                 [volume_row(volume_dict(v)) for v in cluster.shared_volumes()])


def cmd_demo(args, out):
    if args.directory is not None:
        directory = Path(args.directory)
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise UsageError(f"{directory}: not an empty folder (the demo writes a new cluster)")
    else:
        directory = Path(tempfile.mkdtemp(prefix="csvbackup-demo-"))
    output = Output(out, json_mode=args.json)
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
        _, incremental = _plan(output, cluster, specs, BackupType.INCREMENTAL, last_backup,
                               plans / "incremental.parquet")
    output.line()
    output.line(f"Done in {time.perf_counter() - t0:.1f} s. The cluster, its files and both "
                f"plans are in {directory}; next, try:")
    output.line(f"  csvbackup plan --cluster {config} --writers {example_host.EXAMPLES} "
                "--scan --type differential --since 2026-01-01")
    output.line(f"  csvbackup sim status {config}")
    output.json({"directory": str(directory), "config": str(config),
                 "writers": [w.friendly_name for w in writers], "full": full,
                 "prepared": {name: {"volume_path": p.volume_path, "volume_name": p.volume_name}
                              for name, p in prepared.items()},
                 "changed_files": touched, "incremental": incremental})
    return 0
