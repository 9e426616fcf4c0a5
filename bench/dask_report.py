r"""Print how a plan scales on Dask: one worker against two, and against the single-process
plan, all measured in this run.

    python bench/dask_report.py [--rows 20000000] [--files 40] [--repeat 3] [--seed 0]

The catalog: --rows rows (path, size, mtime, as bench/plan_report.py makes them) in --files
Parquet files, cached under $CSVBACKUP_BENCH_CACHE (default /tmp/csvbackup-bench). The plan:
plan_report's (the System Writer, the SQL Server writer and 50 file sets over 8 CSVs,
INCREMENTAL). Measured, round-robin, best of --repeat, output deleted between calls (untimed):

* one process: ``run_plan(Planner(threads=2), open_catalog(folder).batches(), out)``, what
  ``csvbackup plan`` runs (reading and planning overlapped with writing on a thread);
* Dask, 1 worker and 2 workers (LocalCluster, worker processes of one thread, on loopback):
  ``csvbackup.dask.write(csvbackup.dask.plan(folder, planner), out)``: the planner scattered
  to the workers, each partition planned, written and summed in one task, the sums merged.
  Target: 2 workers at least 1.6x as fast as 1 on this 2-core machine. The clusters are
  started before timing (a Dask cluster outlives one plan).

And the fixed costs: the planner's setup on the client (parse, check, compile), its pickled
size and scatter time to the workers (the workers compile it once on arrival), and the
per-partition overhead: the wall time per partition of the same write over --files empty
files (same schema) on one worker, against the in-process cost of an empty partition
(`Planner.plan_alone` + `PlanSummary.add_planned`).
"""
import argparse
import os
import pickle
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import csvbackup as cb  # noqa: E402
import csvbackup.dask as cbd  # noqa: E402
import plan_report  # noqa: E402
from csvbackup.plan_files import open_catalog, run_plan  # noqa: E402
from csvbackup.plan_summary import PlanSummary  # noqa: E402

SCALE_TARGET = 1.6  # 1 worker's time / 2 workers', at least


def catalog_folder(rows, files, seed):
    """The catalog split into `files` files, generated on first use (a .partial folder
    renamed into place)."""
    import pyarrow.parquet as pq
    folder = plan_report.cache_dir() / f"dask-catalog-{rows}-{files}-seed{seed}"
    if folder.exists():
        return folder
    t0 = time.perf_counter()
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    per = -(-rows // files)
    for k in range(files):
        start = k * per
        n = max(0, min(per, rows - start))
        pq.write_table(plan_report.catalog_chunk(start, n, seed), partial / f"cat-{k:03d}.parquet")
    os.replace(partial, folder)
    print(f"generated {folder} in {time.perf_counter() - t0:.0f} s")
    return folder


def empty_folder(folder, files):
    """`files` empty Parquet files with the catalog's schema."""
    import pyarrow.parquet as pq
    out = folder.with_name(folder.name + "-empty")
    if not out.exists():
        schema = pq.read_schema(next(folder.glob("*.parquet")))
        out.mkdir()
        for k in range(files):
            pq.write_table(schema.empty_table(), out / f"cat-{k:03d}.parquet")
    return out


def best_and_rounds(cases, repeat):
    """plan_report.best_of, one round at a time: the best Timing of each case, and each
    round's wall times (for same-round ratios: this machine's speed drifts between rounds)."""
    best, rounds = {}, []
    for _ in range(repeat):
        one = plan_report.best_of(cases, 1)
        rounds.append({k: t.wall for k, t in one.items()})
        for k, t in one.items():
            if k not in best or t.wall < best[k].wall:
                best[k] = t
    return best, rounds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    folder = catalog_folder(args.rows, args.files, args.seed)
    empty = empty_folder(folder, args.files)
    for f in folder.glob("*.parquet"):
        plan_report.warm_file(f)
    out = plan_report.cache_dir() / "out-dask"
    sets = plan_report.writer_sets()

    t0 = time.perf_counter()
    planner = plan_report.make_planner(sets, 1)
    setup = time.perf_counter() - t0
    pickled = len(pickle.dumps(planner))
    t0 = time.perf_counter()
    copy = pickle.loads(pickle.dumps(planner))
    unpickle = time.perf_counter() - t0
    import pyarrow as pa
    schema = open_catalog(empty).schema
    batch = pa.record_batch([pa.array([], f.type) for f in schema], schema=schema)
    t0 = time.perf_counter()
    for _ in range(100):
        s = PlanSummary(copy)
        s.add_planned(copy.plan_alone(batch))
    in_process_empty = (time.perf_counter() - t0) / 100

    with cbd.connect("local:1") as one, cbd.connect("local:2") as two:
        scatter = {}
        for name, client in (("1 worker", one), ("2 workers", two)):
            t0 = time.perf_counter()
            client.scatter(planner, broadcast=True, hash=False).result()
            scatter[name] = time.perf_counter() - t0

        def single():
            return lambda: run_plan(plan_report.make_planner(sets, 2),
                                    open_catalog(folder).batches(), out / "plan.parquet")

        def on(client, source=folder):
            def run():
                with client.as_current():
                    return cbd.write(cbd.plan(str(source), planner, planner.backup_type),
                                     out / "parts")
            return run

        def fresh(make):
            def prepare():
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir(parents=True)
                return make()
            return prepare

        cases = {"one process (run_plan, 2 threads)": fresh(single),
                 "Dask, 1 worker": fresh(lambda: on(one)),
                 "Dask, 2 workers": fresh(lambda: on(two))}
        best, rounds = best_and_rounds(cases, args.repeat)
        overhead = plan_report.best_of({"empty": fresh(lambda: on(one, empty))}, 3)["empty"]
    shutil.rmtree(out, ignore_errors=True)

    print(f"csvbackup {cb.__version__}, {os.cpu_count()} CPUs; catalog {folder} ({args.rows:,} "
          f"rows in {args.files} files); {len(planner.specs):,} file sets, 8 CSVs, INCREMENTAL; "
          f"best of {args.repeat}\n")
    rows = []
    for name, t in best.items():
        rows.append((name, f"{t.wall:.2f}", f"{args.rows / t.wall / 1e6:.2f} M/s"))
    ratio = best["Dask, 1 worker"].wall / best["Dask, 2 workers"].wall
    vs_single = best["one process (run_plan, 2 threads)"].wall / best["Dask, 2 workers"].wall
    print(f"{'measurement':<40} {'seconds':>8} {'rows/s':>11}")
    print(f"{'-' * 40} {'-' * 8} {'-' * 11}")
    for r in rows:
        print(f"{r[0]:<40} {r[1]:>8} {r[2]:>11}")
    same = sorted(r["Dask, 1 worker"] / r["Dask, 2 workers"] for r in rounds)
    median = same[len(same) // 2] if len(same) % 2 else sum(same[len(same) // 2 - 1:][:2]) / 2
    print(f"\n2 workers / 1 worker: {ratio:.2f}x faster, best against best (target >= "
          f"{SCALE_TARGET}x: {'met' if ratio >= SCALE_TARGET else 'NOT met'}); same-round "
          f"ratios {', '.join(f'{x:.2f}' for x in same)} (median {median:.2f}x); 2 workers / one "
          f"process: {vs_single:.2f}x")
    print(f"planner setup on the client {setup:.2f} s; pickled {pickled / 1e6:.1f} MB, "
          f"unpickled (compiled) in {unpickle:.2f} s; scattered to 1 worker in "
          f"{scatter['1 worker']:.2f} s, to 2 in {scatter['2 workers']:.2f} s")
    print(f"per-partition overhead (an empty partition): {overhead.wall / args.files * 1e3:.1f} ms "
          f"on Dask (1 worker, {args.files} partitions in {overhead.wall:.2f} s), of which "
          f"{in_process_empty * 1e3:.2f} ms is csvbackup's own (plan_alone + add_planned)")


if __name__ == "__main__":
    main()
