"""``csvbackup plan``: writer metadata and a catalog in, a backup plan and its snapshot set out."""
import time

from ..cluster import open_cluster
from ..filespec import FileSpecSet
from ..plan import Planner
from ..plan_files import DEFAULT_BATCH_ROWS, open_catalog, run_plan
from ..vss import BackupType
from ..wmd import load_writers
from .arguments import (
    UsageError,
    add_command,
    backup_type,
    filetime,
    name_value,
    positive_int,
)
from .output import Output, human_bytes

__all__ = ["add_parsers", "cmd_plan", "print_summary", "summary_json"]

EXAMPLES = [r"""csvbackup plan --type incremental --since 2026-11-30T22:00 \
      --writers wmd/ --catalog catalog.parquet --out plan.parquet"""]
NOTES = """
The catalog holds path (string), size (int64) and mtime (FILETIME int64 or a timestamp);
optional entry_flags and differenced_since columns are honoured, other columns kept. The plan
is the catalog's rows, in order, with the plan's columns appended (see the README)."""


def add_parsers(sub):
    p = add_command(sub, "plan", "plan a backup: what to copy, from which shadow copy",
                    description=__doc__, func=cmd_plan, examples=EXAMPLES, notes=NOTES)
    p.add_argument("--type", type=backup_type, required=True,
                   help="requested backup type: full, incremental, differential, log, copy, other")
    p.add_argument("--since", type=filetime,
                   help="the previous backup's time (required for incremental and "
                        "differential): ISO 8601 (naive = UTC) or a FILETIME integer")
    p.add_argument("--writers", nargs="+", required=True, metavar="WMD",
                   help="writer metadata: .xml documents, vshadow -wm2 listings, or folders "
                        "of them")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--catalog", metavar="PARQUET",
                     help="the catalog: a Parquet file or a folder of them")
    src.add_argument("--scan", action="store_true",
                     help="walk the (simulated) cluster's CSVs and plan what is there")
    p.add_argument("--cluster", metavar="CONFIG",
                   help="simulator configuration (default: $CSVBACKUP_CLUSTER, else the "
                        "embedded default cluster)")
    p.add_argument("--env", type=name_value, nargs="+", default=[], metavar="NAME=VALUE",
                   help="values of %%NAME%% in the writers' paths (beyond the defaults)")
    p.add_argument("--unclaimed", choices=("copy", "skip"), default="copy",
                   help="files no writer claims: copy them under the requester's own rule "
                        "(default) or leave them out")
    p.add_argument("--out", metavar="PLAN.parquet", help="write the plan to this Parquet file")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--threads", type=positive_int,
                   help="threads (default: OMP_NUM_THREADS, else the CPUs)")
    p.add_argument("--batch-rows", type=positive_int, default=DEFAULT_BATCH_ROWS,
                   help=f"rows per batch (default {DEFAULT_BATCH_ROWS:,})")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--dask", metavar="SCHEDULER|local:N",
                   help="plan on a Dask cluster (pip install 'csvbackup[dask]'): a scheduler "
                        "address, or local:N for N worker processes here; --out is then a "
                        "folder of part files")


def cmd_plan(args, out):
    if args.type in (BackupType.INCREMENTAL, BackupType.DIFFERENTIAL) and args.since is None:
        raise UsageError(f"--since is required for a {args.type.name.lower()} backup (the "
                         "time of the backup it builds on)")
    output = Output(out, json_mode=args.json, quiet=args.quiet)
    writers = load_writers(args.writers)
    specs = FileSpecSet(writers, env=dict(args.env))
    t0 = time.perf_counter()
    with open_cluster(args.cluster) as cluster:
        planner = Planner(specs, cluster.shared_volumes(), args.type, since=args.since,
                          unclaimed=args.unclaimed, threads=args.threads)
        failed = []
        if args.dask:
            summary, source = _plan_on_dask(args, planner), args.catalog
        elif args.scan:
            from ..scan import scan_cluster
            scanned = scan_cluster(cluster, threads=args.threads)
            batches, total, schema = (scanned.batches(args.batch_rows), scanned.table.num_rows,
                                      scanned.table.schema)
            failed = scanned.failed
            source = "scan of " + ", ".join(v.path for v in cluster.shared_volumes())
        else:
            catalog = open_catalog(args.catalog)
            batches, total, schema = catalog.batches(args.batch_rows), catalog.num_rows, \
                catalog.schema
            source = args.catalog
        if not args.dask:
            with output.progress(total, "planning") as progress:
                summary = run_plan(planner, batches, args.out, schema=schema,
                                   progress=progress)
    seconds = time.perf_counter() - t0
    info = {"source": source, "out": args.out, "seconds": round(seconds, 3),
            "writers": [w.friendly_name for w in writers],
            "unlisted_directories": [{"directory": d, "errno": e} for d, e in failed]}
    print_summary(output, summary, info)
    output.json(summary_json(summary, info))
    return 0


def _plan_on_dask(args, planner):
    """The plan on Dask: partitions planned, written (``--out``, a folder) and summed by the
    workers; the summary merged here."""
    if args.scan:
        raise UsageError("--dask plans a Parquet catalog (--catalog), not a scan")
    if not args.out:
        raise UsageError("--dask needs --out FOLDER: the workers write the plan as part files")
    import importlib.util
    if importlib.util.find_spec("distributed") is None:
        raise UsageError("--dask needs Dask: pip install 'csvbackup[dask]'")
    from .. import dask as cbd
    # one thread per partition unless --threads says: the workers are the parallelism
    planner = Planner(planner.specs, planner.volumes, planner.backup_type, since=planner.since,
                      unclaimed=planner.unclaimed, threads=args.threads or 1)
    with cbd.connect(args.dask):
        return cbd.write(cbd.plan(args.catalog, planner, planner.backup_type), args.out)


def summary_json(summary, info):
    """The JSON of ``plan --json`` (its keys are documented in the README)."""
    return {**summary.to_dict(), **info}


def print_summary(output, summary, info=None):
    """The plan's summary as tables: per volume, per writer component, the snapshot set and
    the warnings."""
    info = info or {}
    rate = f", {summary.rows / info['seconds']:,.0f} rows/s" if info.get("seconds") else ""
    since = f" since {summary.since_iso}" if summary.since_iso else ""
    output.line(f"{summary.backup_type.name} backup plan{since}: {summary.rows:,} files "
                f"from {info.get('source', 'the catalog')}"
                + (f" in {info['seconds']:.2f} s{rate}" if info.get("seconds") else ""))
    numbers = ("files", "size", "to copy", "copy size", "from snapshot", "excluded", "partial")

    def cells(t):
        return (f"{t.files:,}", human_bytes(t.bytes), f"{t.copy_files:,}",
                human_bytes(t.copy_bytes), human_bytes(t.snapshot_bytes), f"{t.excluded:,}",
                f"{t.partial:,}")

    output.line()
    output.table("Volumes", ("volume", "CSV", *numbers),
                 [(v, summary.csv_path(v) or "no", *cells(t))
                  for v, t in summary.volumes.items() if t.files], right=numbers)
    output.line()
    output.table("Writers and components", ("writer", "component", *numbers),
                 [(w or "(no writer)", c if c is not None else "(unclaimed files)", *cells(t))
                  for (w, c), t in summary.components.items()], right=numbers)
    output.line()
    output.line("Snapshot set (AddToSnapshotSet): "
                + (", ".join(summary.snapshot_set) or "none: nothing is copied from a snapshot"))
    if info.get("out"):
        output.line(f"Plan written to {info['out']}")
    for d in info.get("unlisted_directories", ()):
        output.line(f"warning: directory {d['directory']} could not be listed "
                    f"(errno {d['errno']}): its files are not in the plan")
    for w in summary.warnings:
        output.line(f"warning: {w}")
