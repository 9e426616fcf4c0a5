r"""Print the throughput of a whole plan, Parquet catalog in, Parquet plan out, against the
I/O floor, the naive composition and polars, all measured in this run.

    python bench/plan_report.py [--rows 10000000] [--threads 2] [--repeat 1] [--rss]
                                [--rss-rows 10000000,30000000] [--scan]
                                [--scan-files 1000000] [--scan-repeat 3]

The catalog: --rows rows of path (bench/filespec_inputs.make_paths, generated in 1 M-row
chunks of their own seeds, so memory stays low), size (int64, lognormal) and mtime (FILETIME,
spread over months before 133,700,000,000,000,000), written once in 1 M-row row groups and
cached under $CSVBACKUP_BENCH_CACHE (default /tmp/csvbackup-bench), keyed by rows and seed;
a larger catalog starts with the rows of a smaller one. The plan: the System Writer (18,925
file lists), the SQL Server writer and 50 file sets (make_specs(50)) over 8 CSVs, an
INCREMENTAL backup since 133,690,000,000,000,000, --threads threads, planned by
``run_plan(planner, open_catalog(path).batches(DEFAULT_BATCH_ROWS), out)``: reading and
planning on the calling thread, Parquet encoding on a writer thread.

What it is compared with, on the same file, read the same way (``Catalog.batches``, which is
ParquetFile.iter_batches, at the same batch size) and written with the same options
(``plan_files.writer_options``):

* the I/O floor: read every batch, append the plan's twelve columns as zeros (the same names
  and types), write it. Sequentially, as a user's loop would (the target: the plan within
  1.15x of it), and overlapped, the writes on a writer thread behind a queue of one batch, as
  run_plan does (printed too: the honest floor for a pipelined plan);
* the naive composition: iter_batches -> Planner.plan_batch -> write_batch in one loop,
  which is what run_plan's overlap saves;
* polars: the same plan as expressions over a lazy scan_parquet, streamed to Parquet with
  sink_parquet: the path lower-cased once, each file set a ``str.starts_with``, an equality
  or an anchored ``str.contains`` regex on it, the first matching set by a when/then chain,
  the writers' excludes, the mtime >= since rule of an INCREMENTAL backup, the volume by
  ``starts_with`` per CSV else the drive or share root by regex extract (target: the plan
  3.5x faster). Only the 50 file sets and the SQL Server writer: the System Writer's 18,925
  file lists cannot be had in polars. Compiled as bench/filespec_baselines does, one
  alternation regex per mask, they exceed the regex engine's size limit (tried in this run,
  the error printed); one when/then branch each does not finish. The polars plan's columns
  are checked against the plan's: mask, copy and volume must agree on every row but those the
  System Writer claims, which polars does not have (the count is printed).

Two rows show where the time goes: reading alone, and reading + planning with no output
(``run_plan(..., out=None)``); the CPU column (every thread, and child processes) shows how
busy the cores were. The planner's setup (compiling the file sets) is timed apart, once per
backup whatever the catalog's size; the plan's rows exclude it.

--rss: the peak RSS (VmHWM) of the plan, setup included, in a child process, at each size
of --rss-rows (targets: at most 800 MB, and the largest within 10% of the smallest: memory stays
flat however long the catalog). --scan / --scan-files N: a cached tree of N empty files (100 x
100 directories), its metadata warmed by one untimed pass, listed by
``csvbackup.scan.scan_directory`` (2 threads), ``find -printf '%p %s %T@\n'`` and
``os.walk`` + ``os.stat`` (targets: at least find's files/s, 3x os.walk's); every rate is N
files over the wall time.

Timing is round-robin (one call of each implementation per round, best of --repeat; output
files deleted and dirty pages synced between calls, untimed), because this machine's speed
swings between runs.
"""
import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections import namedtuple
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import csvbackup as cb  # noqa: E402
import filespec_inputs as inputs  # noqa: E402
from csvbackup.plan_files import DEFAULT_BATCH_ROWS, open_catalog, run_plan, writer_options  # noqa: E402

SQL_WRITER = HERE.parent / "tests" / "data" / "wmd" / "03_sqlserverwriter.wmd.xml"
SINCE = 133_690_000_000_000_000
NEWEST = 133_700_000_000_000_000  # the newest mtime of the catalog
DAY = 864_000_000_000  # one day in FILETIME units (100 ns)
CHUNK_ROWS = 1_000_000  # generation chunk and row group of the catalog
INCLUDE_ROLES = ("FILE_LIST", "DATABASE_FILES", "DATABASE_LOGFILES")

PLAN_TARGET = 1.15  # plan / sequential floor, at most
POLARS_TARGET = 3.5  # polars / plan, at least
RSS_TARGET_MB = 800
RSS_GROWTH = 1.10  # peak RSS of the largest catalog / the smallest, at most
FIND_TARGET = 1.0  # scan files/s / find's, at least
WALK_TARGET = 3.0  # scan files/s / os.walk + os.stat's, at least


# --- inputs ---
def cache_dir():
    """The benchmark's cache folder (created)."""
    d = Path(os.environ.get("CSVBACKUP_BENCH_CACHE", "/tmp/csvbackup-bench"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def catalog_chunk(start, n, seed):
    """Rows [start, start + n) of the catalog of `seed`, as a pyarrow Table."""
    import pyarrow as pa
    rng = np.random.default_rng([seed, start])
    size = rng.lognormal(10, 2.5, n).astype(np.int64)
    mtime = NEWEST - (rng.exponential(120, n) * DAY).astype(np.int64)
    return pa.table({"path": inputs.make_paths(n, seed=seed + start), "size": size,
                     "mtime": mtime})


def catalog_path(rows, seed=0):
    """The Parquet catalog of `rows` rows, generated on first use (written to .partial and
    renamed, so an interrupted run leaves no cache entry)."""
    import pyarrow.parquet as pq
    path = cache_dir() / f"catalog-{rows}-seed{seed}.parquet"
    if path.exists():
        return path
    t0 = time.perf_counter()
    partial = path.with_name(path.name + ".partial")
    writer = None
    for start in range(0, rows, CHUNK_ROWS):
        table = catalog_chunk(start, min(CHUNK_ROWS, rows - start), seed)
        writer = writer or pq.ParquetWriter(partial, table.schema)
        writer.write_table(table, row_group_size=CHUNK_ROWS)
    writer.close()
    os.replace(partial, path)
    print(f"generated {path} ({path.stat().st_size / 1e6:,.0f} MB) in "
          f"{time.perf_counter() - t0:.0f} s")
    return path


def warm_file(path):
    """Read `path` once, so every measurement starts with it in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def writer_sets():
    """The plan's file sets: the System Writer, the SQL Server writer, 50 file sets."""
    fifty = [cb.FileSpec(s.path, s.filespec, s.recursive, mask=s.mask, role=cb.FileRole(s.role))
             for s in inputs.make_specs(50)]
    return [cb.WriterMetadata.from_xml(inputs.SYSTEM_WRITER),
            cb.WriterMetadata.from_xml(SQL_WRITER), fifty]


def make_planner(sets, threads):
    """A fresh Planner of the benchmark's backup (its summary starts empty)."""
    return cb.Planner(sets, inputs.make_csvs(8), cb.BackupType.INCREMENTAL, since=SINCE,
                      threads=threads)


# --- timing ---
Timing = namedtuple("Timing", "wall cpu")


def cpu_seconds():
    """CPU time of this process's threads and its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def best_of(cases, repeat):
    """The Timing (wall and CPU seconds) of each case's fastest call, timed round-robin. A
    case is a callable that prepares one call, untimed, and returns the callable to time."""
    best = {}
    for _ in range(repeat):
        for name, prepare in cases.items():
            run = prepare()
            os.sync()  # the previous call's dirty pages are not this call's work
            c0, t0 = cpu_seconds(), time.perf_counter()
            run()
            t = Timing(time.perf_counter() - t0, cpu_seconds() - c0)
            if name not in best or t.wall < best[name].wall:
                best[name] = t
    return best


# --- the plan and its baselines ---
def batches(path):
    """The catalog's batches as the plan reads them (ParquetFile.iter_batches, the plan's
    batch size): the floors and the naive loop read exactly as the plan does."""
    return open_catalog(path).batches(DEFAULT_BATCH_ROWS)


def zero_columns(plan_schema, catalog_columns, n):
    """The plan's columns (those after the catalog's) as n zeros of their types."""
    import pyarrow as pa
    cols = []
    for field in list(plan_schema)[catalog_columns:]:
        if pa.types.is_dictionary(field.type):
            cols.append(pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)),
                                                       pa.array([""], field.type.value_type)))
        else:
            cols.append(pa.array(np.zeros(n, field.type.to_pandas_dtype()), field.type))
    return cols


def with_zeros(batch, zeros, schema):
    """`batch` with the plan's columns appended as zeros (sliced from `zeros`)."""
    import pyarrow as pa
    n = batch.num_rows
    return pa.RecordBatch.from_arrays(list(batch.columns) + [z.slice(0, n) for z in zeros],
                                      schema=schema)


def floor_sequential(path, out, zeros, schema):
    """Read, append zeros, write: one loop on one thread."""
    import pyarrow.parquet as pq
    with pq.ParquetWriter(out, schema, **writer_options(schema)) as w:
        for b in batches(path):
            w.write_batch(with_zeros(b, zeros, schema))


def floor_overlapped(path, out, zeros, schema):
    """The same, the writes on a writer thread behind a queue of one batch (as run_plan)."""
    import pyarrow.parquet as pq
    q = queue.Queue(maxsize=1)

    def write():
        with pq.ParquetWriter(out, schema, **writer_options(schema)) as w:
            while (b := q.get()) is not None:
                w.write_batch(b)

    t = threading.Thread(target=write)
    t.start()
    for b in batches(path):
        q.put(with_zeros(b, zeros, schema))
    q.put(None)
    t.join()


def naive_plan(planner, path, out):
    """iter_batches -> plan_batch -> write_batch, one loop, no overlap."""
    import pyarrow.parquet as pq
    writer = None
    for i, b in enumerate(batches(path)):
        planned = planner.plan_batch(b, index=i)
        writer = writer or pq.ParquetWriter(out, planned.schema, **writer_options(planned.schema))
        writer.write_batch(planned)
    writer.close()


def read_only(path):
    for _ in batches(path):
        pass


def plan_cases(path, work, sets, threads):
    """The cases of the plan's table: name -> prepare (see best_of). Each writes its own file
    under `work`, deleted before each call."""
    catalog = open_catalog(path)
    plan_schema = make_planner(sets, threads).plan_batch(next(batches(path))).schema
    zeros = zero_columns(plan_schema, len(catalog.schema), DEFAULT_BATCH_ROWS)
    csvs = inputs.make_csvs(8)

    def case(name, run):  # a fresh planner per call, built untimed
        out = work / f"{name}.parquet"

        def prepare():
            out.unlink(missing_ok=True)
            planner = make_planner(sets, threads)
            return lambda: run(planner, out)
        return prepare

    return {
        "read only": case("none", lambda p, out: read_only(path)),
        "read + plan, no output": case("none", lambda p, out: run_plan(
            p, batches(path), None, schema=catalog.schema)),
        "I/O floor, sequential": case("floor", lambda p, out: floor_sequential(
            path, out, zeros, plan_schema)),
        "I/O floor, overlapped": case("floor", lambda p, out: floor_overlapped(
            path, out, zeros, plan_schema)),
        "plan (run_plan)": case("plan", lambda p, out: run_plan(
            p, batches(path), out, schema=catalog.schema)),
        "naive composition": case("naive", lambda p, out: naive_plan(p, path, out)),
        "polars": case("polars", lambda p, out: polars_plan(str(path), str(out),
                                                            *polars_sets(sets[1:]), csvs)),
    }


# --- polars ---
def expanded_dir(spec):
    r"""A file set's directory, variables expanded, lower-cased, without a trailing ``\``."""
    from filespec_baselines import _env
    return _env(spec.path).rstrip("\\/").lower()


def polars_condition(spec, lp):
    """A polars boolean expression: does the lower-cased path `lp` fall in file set `spec`?"""
    from filespec_baselines import spec_regex
    d, name = expanded_dir(spec), spec.filespec.lower()
    if spec.recursive and name in ("", "*", "*.*"):
        return lp.str.starts_with(d + "\\")
    if not spec.recursive and not any(c in name for c in "*?"):
        return lp == f"{d}\\{name}"
    lowered = inputs.Spec(d, name, spec.recursive, None, spec.mask, "FILE_LIST")
    return lp.str.contains(f"^(?:{spec_regex(lowered)})$")


def vss_rule(mask, btype):
    """(copied whatever the mtime, copied when modified since `since`, from the snapshot when
    copied) for a file set of `mask` under the effective type `btype` (VSS's rules)."""
    copy_bit = {1: 0x1, 5: 0x1, 3: 0x2, 2: 0x4, 4: 0x8}.get(btype, 0)
    always = btype == 6 or bool(mask & copy_bit)
    by_mtime = btype in (2, 3) and not always
    return always, by_mtime, btype == 6 or bool((mask >> 8) & copy_bit)


def effective_type(writer):
    """The backup type a writer's files take (a list of FileSpec: the requested type)."""
    requested = int(cb.BackupType.INCREMENTAL)
    if isinstance(writer, cb.WriterMetadata):
        return int(cb.effective_backup_type(requested, [int(writer.backup_schema)])[0])
    return requested


def role_of(spec):
    return str(getattr(spec.role, "value", spec.role))


def polars_sets(writers):
    """(includes as [(condition, mask, effective type)], excludes as [condition]): one
    condition per file set of `writers` (WriterMetadata, or a list of FileSpec), in order."""
    import polars as pl
    lp = pl.col("_lp")
    includes, excludes = [], []
    for w in writers:
        t = effective_type(w)
        for f in (w.files if isinstance(w, cb.WriterMetadata) else w):
            if role_of(f) in INCLUDE_ROLES:
                includes.append((polars_condition(f, lp), int(f.mask), t))
            elif role_of(f) == "EXCLUDE_FILES":
                excludes.append(polars_condition(f, lp))
    return includes, excludes


def polars_alternations(writer):
    """A writer's includes as one case-insensitive alternation regex per mask (as
    bench/filespec_baselines does): [(condition, mask, effective type)]. A when/then branch per
    file set is no way out for the System Writer: a chain of its 18,925 branches ran for over
    ten minutes on 1 M rows without finishing."""
    import polars as pl

    from filespec_baselines import _by_mask
    t = effective_type(writer)
    return [(pl.col("path").str.contains(rx), mask, t)
            for mask, rx in _by_mask(list(writer.files)).items()]


def polars_plan(catalog, out, includes, excludes, csvs):
    """The plan with polars expressions, streamed from `catalog` to the Parquet file `out`.
    `includes`, `excludes`: see polars_sets."""
    import polars as pl
    chain = pl
    for i, (condition, _, _) in enumerate(includes):
        chain = chain.when(condition).then(i)
    first = chain.otherwise(len(includes))  # len(includes): unclaimed
    rules = [vss_rule(mask, t) for _, mask, t in includes]
    rules.append(vss_rule(int(cb.UNCLAIMED_MASK), int(cb.BackupType.INCREMENTAL)))
    masks = [mask for _, mask, _ in includes] + [0]

    def per_set(values, dtype):
        return pl.col("_set").replace_strict(list(range(len(values))), values, return_dtype=dtype)

    excluded = pl.any_horizontal(excludes) if excludes else pl.lit(False)
    always, by_mtime, snap = (per_set([r[k] for r in rules], pl.Boolean) for k in range(3))
    copy = ~pl.col("excluded") & (always | (by_mtime & (pl.col("mtime") >= SINCE)))
    (pl.scan_parquet(catalog)
     .with_columns(_lp=pl.col("path").str.to_lowercase())
     .with_columns(_set=first, excluded=excluded, volume=polars_volume(pl.col("_lp"), csvs))
     .with_columns(mask=per_set(masks, pl.UInt32), copy=copy)
     .with_columns(from_snapshot=pl.col("copy") & snap)
     .select("path", "size", "mtime", "volume", "mask", "copy", "from_snapshot", "excluded")
     .sink_parquet(out, compression="snappy"))


def polars_volume(lp, csvs):
    r"""The volume's name: the CSV's (volume GUID path, else mount point) by ``starts_with``
    on its mount point or GUID path, else the drive root (upper-cased) or the share root."""
    import polars as pl
    chain = pl
    for mount, guid in csvs:
        prefixes = [p.rstrip("\\").lower() + "\\" for p in (mount, guid) if p]
        hit = pl.any_horizontal([lp.str.starts_with(p) for p in prefixes])
        chain = chain.when(hit).then(pl.lit(guid or mount))
    drive = pl.col("path").str.extract(r"^([A-Za-z]:)[\\/]", 1).str.to_uppercase() + "\\"
    share = pl.concat_str([pl.lit("\\\\"),
                           pl.col("path").str.extract(r"^\\\\([^\\?][^\\]*\\[^\\]+)", 1),
                           pl.lit("\\")])
    return chain.otherwise(pl.coalesce(drive, share))


def polars_system_writer(catalog, out, writers, csvs):
    """The polars plan with the System Writer's file lists too (`writers[0]`, compiled by
    polars_alternations): the error text if it fails, else None."""
    includes, excludes = polars_sets(writers[1:])
    try:
        polars_plan(catalog, out, polars_alternations(writers[0]) + includes, excludes, csvs)
    except Exception as e:  # the regex engine's size limit: report, do not hide
        return f"{type(e).__name__}: {str(e).strip().splitlines()[0][:100]}"
    return None


def polars_disagreements(plan_out, polars_out, system_writer):
    """Rows whose mask, copy or volume differ between the plan and the polars plan, outside
    the rows the plan gives the System Writer (which the polars plan does not have); and the
    number of those rows."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from csvbackup.plan_summary import writer_name
    plan = pq.read_table(plan_out, columns=["mask", "copy", "volume", "writer"])
    pol = pq.read_table(polars_out, columns=["mask", "copy", "volume"])
    system = pc.fill_null(pc.equal(plan["writer"].cast(pa.string()), writer_name(system_writer)),
                          False)
    differ = {}
    for k in ("mask", "copy", "volume"):
        same = pc.fill_null(pc.equal(plan[k].cast(pol[k].type), pol[k]), False)
        differ[k] = pc.sum(pc.and_(pc.invert(same), pc.invert(system))).as_py() or 0
    return differ, pc.sum(system).as_py() or 0


# --- peak memory, in a child process ---
def peak_rss_kb():
    """This process's peak RSS in KiB: VmHWM, not getrusage's ru_maxrss, which a process
    started by fork + exec inherits from its parent (Linux keeps the larger across exec)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


def child_plan(path, threads):
    """Plan `path` (this process is the child of --rss); print its peak RSS as JSON."""
    sets = writer_sets()
    planner = make_planner(sets, threads)
    setup_kb = peak_rss_kb()
    out = cache_dir() / f"rss-plan-{os.getpid()}.parquet"
    catalog = open_catalog(path)
    c0, t0 = cpu_seconds(), time.perf_counter()
    run_plan(planner, catalog.batches(DEFAULT_BATCH_ROWS), out, schema=catalog.schema)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    out.unlink()
    print(json.dumps({"setup_kb": setup_kb, "peak_kb": peak_rss_kb(), "seconds": seconds,
                      "cpu": cpu}))


def peak_rss(path, threads):
    """{setup_kb, peak_kb, seconds, cpu} of a plan of `path` in a fresh Python process."""
    r = subprocess.run([sys.executable, __file__, "--child-plan", str(path), "--threads",
                        str(threads)], capture_output=True, text=True, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


# --- the scan ---
def scan_tree(files):
    """A cached tree of `files` empty files: 100 x 100 directories of ceil(files / 10,000)
    files each (the last ones fewer). Made once, marked done by a file beside it."""
    root = cache_dir() / f"tree-{files}"
    done = root.with_name(root.name + ".done")
    if done.exists():
        return root
    t0 = time.perf_counter()
    per_dir = -(-files // 10_000)
    made = 0
    for top in range(100):
        for sub in range(100):
            d = root / f"d{top:02d}" / f"s{sub:02d}"
            d.mkdir(parents=True, exist_ok=True)
            for k in range(min(per_dir, files - made)):
                os.close(os.open(d / f"file{k:05d}.dat", os.O_CREAT | os.O_WRONLY, 0o644))
            made += min(per_dir, files - made)
    done.touch()
    print(f"made {made:,} files under {root} in {time.perf_counter() - t0:.0f} s")
    return root


def walk_stat(root):
    """os.walk + os.stat: the catalog's three columns as Python lists."""
    paths, sizes, mtimes = [], [], []
    for dirpath, _, names in os.walk(root):
        for name in names:
            p = os.path.join(dirpath, name)
            st = os.stat(p)
            paths.append(p)
            sizes.append(st.st_size)
            mtimes.append(st.st_mtime_ns)
    return len(paths)


def find_printf(root):
    subprocess.run(["find", str(root), "-printf", r"%p %s %T@\n"], stdout=subprocess.DEVNULL,
                   check=True)


def scan(root):
    from csvbackup.scan import scan_directory
    return scan_directory(str(root), "C:\\X\\", threads=2)


def scan_rows(files, repeat):
    """Result rows of the scan comparison."""
    root = scan_tree(files)
    got = scan(root).table.num_rows  # warms the dentry and inode caches
    if got != files or walk_stat(root) != files:
        raise SystemExit(f"MISMATCH: the scan lists {got:,} files of {files:,}")
    t = best_of({k: (lambda f=f: lambda: f(root)) for k, f in (
        ("scan_directory", scan), ("find -printf", find_printf),
        ("os.walk + os.stat", walk_stat))}, repeat)
    s = t["scan_directory"].wall
    find, walk = t["find -printf"], t["os.walk + os.stat"]
    return [
        row(f"scan_directory, {files:,} files", t["scan_directory"], files),
        row("find -printf", find, files, f"scan {find.wall / s:.2f}x", f">= {FIND_TARGET:g}x",
            find.wall / s >= FIND_TARGET),
        row("os.walk + os.stat", walk, files, f"scan {walk.wall / s:.1f}x",
            f">= {WALK_TARGET:g}x", walk.wall / s >= WALK_TARGET),
    ]


# --- the report ---
def row(name, timing=None, rows=0, ratio="", target="", met=None):
    """One line of the results table; `timing` a Timing or None."""
    wall, cpu = timing or (None, None)
    return [name, "" if wall is None else f"{wall:.2f}", "" if cpu is None else f"{cpu:.2f}",
            f"{rows / wall / 1e6:.2f} M/s" if wall and rows else "", ratio, target,
            "" if met is None else ("yes" if met else "NO")]


def print_table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))


def plan_rows(args, path, sets):
    """Result rows of the plan, its I/O floors, the naive composition and polars; and notes."""
    n = open_catalog(path).num_rows
    work = cache_dir() / "out"
    work.mkdir(exist_ok=True)
    setup = best_of({"setup": lambda: lambda: make_planner(sets, args.threads)}, 1)["setup"]
    warm_file(path)
    t = best_of(plan_cases(path, work, sets, args.threads), args.repeat)
    differ, system_rows = polars_disagreements(work / "plan.parquet", work / "polars.parquet",
                                               sets[0])
    sys_out = work / "polars-system.parquet"
    sys_err = None

    def system_case():
        def run():
            nonlocal sys_err
            sys_err = polars_system_writer(str(path), str(sys_out), sets, inputs.make_csvs(8))
        return run

    sys_time = best_of({"sys": system_case}, 1)["sys"]
    for f in work.glob("*.parquet"):
        f.unlink()
    plan = t["plan (run_plan)"].wall
    floor, over = t["I/O floor, sequential"].wall, t["I/O floor, overlapped"].wall
    naive, pol = t["naive composition"].wall, t["polars"].wall
    rows = [
        row("planner setup (compile the file sets)", setup),
        row("read only", t["read only"], n),
        row("read + plan, no output", t["read + plan, no output"], n),
        row("I/O floor, sequential", t["I/O floor, sequential"], n),
        row("I/O floor, overlapped", t["I/O floor, overlapped"], n),
        row("plan (run_plan)", t["plan (run_plan)"], n, f"{plan / floor:.2f}x seq. floor",
            f"<= {PLAN_TARGET:g}x", plan / floor <= PLAN_TARGET),
        row("  the same, against the overlapped floor", t["plan (run_plan)"], n,
            f"{plan / over:.2f}x overl. floor"),
        row("naive composition", t["naive composition"], n, f"plan {naive / plan:.2f}x faster"),
        row("polars (50 sets + SQL writer)", t["polars"], n, f"plan {pol / plan:.1f}x faster",
            f">= {POLARS_TARGET:g}x", pol / plan >= POLARS_TARGET),
        row("polars + System Writer", None if sys_err else sys_time, n,
            "failed" if sys_err else f"plan {sys_time.wall / plan:.1f}x faster"),
    ]
    notes = [f"polars + System Writer: {sys_err or 'it ran, once'}",
             ("MISMATCH: " if any(differ.values()) else "")
             + f"the plan gives {system_rows:,} rows ({system_rows / n:.3%}) to the System "
             "Writer, which the polars plan does not have; on the other rows polars differs "
             "from the plan on " + ", ".join(f"{v:,} {k}" for k, v in differ.items())]
    return rows, notes


def rss_rows(rss_sizes, threads):
    """Result rows of the peak-RSS measurements, one child process per catalog size."""
    peaks = {}
    rows = []
    for rows_n in rss_sizes:
        r = peak_rss(catalog_path(rows_n), threads)
        peaks[rows_n] = r["peak_kb"] / 1024
        mb = peaks[rows_n]
        rows.append(row(f"peak RSS, {rows_n:,} rows", Timing(r["seconds"], r["cpu"]), rows_n,
                        f"{mb:,.0f} MB (setup {r['setup_kb'] / 1024:,.0f} MB)",
                        f"<= {RSS_TARGET_MB} MB", mb <= RSS_TARGET_MB))
    lo, hi = peaks[min(peaks)], peaks[max(peaks)]
    if len(peaks) > 1:
        rows.append(row(f"peak RSS, {max(peaks):,} / {min(peaks):,} rows", None, 0,
                        f"{hi / lo:.2f}x", f"<= {RSS_GROWTH:g}x", hi / lo <= RSS_GROWTH))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--rss", action="store_true", help="peak RSS of the plan at --rss-rows")
    ap.add_argument("--rss-rows", default="10000000,30000000")
    ap.add_argument("--scan", action="store_true", help="time the directory scan")
    ap.add_argument("--scan-files", type=int, default=None, help="implies --scan")
    ap.add_argument("--scan-repeat", type=int, default=3)
    ap.add_argument("--child-plan", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_plan:
        return child_plan(args.child_plan, args.threads)

    path = catalog_path(args.rows, args.seed)
    sets = writer_sets()
    n_lists = sum(len(w.files) for w in sets[:2]) + len(sets[2])
    print(f"csvbackup {cb.__version__}, kernel {cb.kernel_isa()}, {args.threads} threads, "
          f"{os.cpu_count()} CPUs; catalog {path} ({args.rows:,} rows, "
          f"{path.stat().st_size / 1e6:,.0f} MB); {n_lists:,} file sets, 8 CSVs, INCREMENTAL; "
          f"batches of {DEFAULT_BATCH_ROWS:,} rows; best of {args.repeat}")
    table = [["measurement", "seconds", "CPU s", "rows/s", "ratio", "target", "met?"]]
    rows, notes = plan_rows(args, path, sets)
    table += rows
    if args.rss:
        table += rss_rows([int(float(s)) for s in args.rss_rows.split(",")], args.threads)
    if args.scan or args.scan_files:
        table += scan_rows(args.scan_files or 1_000_000, args.scan_repeat)
    print()
    print_table(table)
    print()
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
