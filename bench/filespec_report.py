"""Print FileSpecSet.match and VolumeMap.lookup throughput against the best Python
alternatives, measured in this run, after checking every answer.

    python bench/filespec_report.py [--rows 5000000] [--threads 2] [--repeat 5]
                                    [--system-rows 1000000] [--verify all|sample]

Inputs (bench/filespec_inputs.py): realistic Windows catalog paths of 4-10 components as a
pyarrow StringArray, unsorted and sorted, 50 file specs, 8 CSVs; the same catalog with
accented file names, and with accented directories (a European file server); the System
Writer's 18,925 file lists against 1 M paths. Baselines (bench/filespec_baselines.py): polars ``str.contains``
with one alternation regex per mask (what a Python user would write first) and pyarrow compute
``match_substring_regex`` (RE2); for the volume lookup, polars ``str.starts_with`` per mount
point. Before anything is timed, csvbackup's masks are checked equal to the baselines' and
every output (mask, spec, excluded, not_in_snapshot) equal to the plain-Python reference
matcher (tests/filespec_oracle.py) on the benchmark input itself.

Timing is round-robin (one call of each implementation per round, best of --repeat), because
this machine's speed swings between runs.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import csvbackup as cb  # noqa: E402
import filespec_baselines as base  # noqa: E402
import filespec_inputs as inputs  # noqa: E402
import filespec_oracle as oracle  # noqa: E402
from report import round_times as round_robin  # noqa: E402


def verify(specs, paths, m, how, short_names=None):
    """csvbackup's rows == the reference matcher's, on all rows or an evenly spaced sample."""
    n = len(paths)
    idx = np.arange(n) if how == "all" else np.linspace(0, n - 1, min(n, 200_000)).astype(np.int64)
    sample = [paths[int(i)].as_py() for i in idx]
    shorts = None if short_names is None else [short_names[int(i)].as_py() for i in idx]
    t0 = time.perf_counter()
    rows = oracle.match(specs, sample, short_names=shorts)
    for field in ("mask", "spec", "excluded", "not_in_snapshot"):
        want = np.array([getattr(r, field) for r in rows])
        got = getattr(m, field)[idx]
        bad = np.flatnonzero(got != want.astype(got.dtype))
        if bad.size:
            i = int(idx[bad[0]])
            raise SystemExit(f"MISMATCH {field} at row {i}: {paths[i]} csvbackup "
                             f"{getattr(m, field)[i]} reference {want[bad[0]]}")
    return len(idx), time.perf_counter() - t0


def short_names_of(paths):
    """An 8.3-style short name for every row (``REPORT~1.PDF``): the worst case, in which
    every row is matched on two names."""
    def short(name):
        stem, dot, ext = name.rpartition(".")
        stem = stem or ext
        return f"{stem[:6].upper()}~1" + (f".{ext[:3].upper()}" if dot else "")
    import pyarrow as pa
    return pa.array([short(p.rsplit("\\", 1)[-1]) for p in paths.to_pylist()], pa.string())


def rate(n, seconds):
    return n / seconds / 1e6


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--system-rows", type=int, default=1_000_000)
    ap.add_argument("--verify", choices=["all", "sample"], default="all")
    ap.add_argument("--system-only", action="store_true")
    args = ap.parse_args(argv)
    n, th = args.rows, args.threads
    if args.system_only:
        return system_writer(args.system_rows, th, args.repeat)

    t0 = time.perf_counter()
    specs = inputs.make_specs(50)
    unsorted = inputs.make_paths(n, seed=0)
    sorted_ = inputs.make_paths(n, seed=0, sorted=True)
    csvs = inputs.make_csvs(8)
    print(f"inputs: {n:,} paths ({unsorted.nbytes / n:.0f} B/path in Arrow), {len(specs)} specs,"
          f" {len(csvs)} CSVs, built in {time.perf_counter() - t0:.1f} s")

    fs = cb.FileSpecSet(specs)
    vm = cb.VolumeMap(csvs)
    m = fs.match(unsorted, threads=th)
    claimed = np.count_nonzero(m.mask)
    print(f"claimed {claimed:,} ({claimed / n:.0%}), excluded {np.count_nonzero(m.excluded):,}, "
          f"not in snapshot {np.count_nonzero(m.not_in_snapshot):,}")
    for name, fn in (("polars", base.polars_masks), ("pyarrow", base.pyarrow_masks)):
        if not np.array_equal(fn(specs, unsorted), m.mask):
            raise SystemExit(f"MISMATCH: {name} baseline masks differ from csvbackup's")
    if not np.array_equal(fs.match(sorted_, threads=th).mask,
                          fs.match(sorted_, threads=1).mask):
        raise SystemExit("MISMATCH: threads")
    checked, secs = verify(specs, unsorted, m, args.verify)
    print(f"reference matcher agrees on {checked:,} rows ({secs:.0f} s); polars and pyarrow "
          "masks agree on all rows")
    # The same catalog with accented file names ("file0001" -> "f\u00efle0001"): an ASCII
    # directory and a non-ASCII name.
    import pyarrow.compute as pc
    accented = pc.replace_substring(unsorted, "file", "f\u00efle")
    acc_names = fs.match(accented, threads=th)
    checked_acc, _ = verify(specs, accented, acc_names, "sample")
    if not np.array_equal(base.polars_masks(specs, accented), acc_names.mask):
        raise SystemExit("MISMATCH: polars baseline masks differ on the accented names")
    print(f"reference matcher agrees on {checked_acc:,} rows of the accented-name catalog; "
          "polars masks agree on all rows")
    # A European file server: nearly every row has accented directories ("Données partagées",
    # "Übersicht042"), which are walked on their folded UTF-8 bytes.
    acc_specs = inputs.make_specs(50, accented=True)
    acc_fs = cb.FileSpecSet(acc_specs)
    acc_dirs = inputs.make_paths(n, seed=0, accented=True)
    acc_m = acc_fs.match(acc_dirs, threads=th)
    checked_dirs, _ = verify(acc_specs, acc_dirs, acc_m, "sample")
    if not np.array_equal(base.polars_masks(acc_specs, acc_dirs), acc_m.mask):
        raise SystemExit("MISMATCH: polars baseline masks differ on the accented directories")
    print(f"reference matcher agrees on {checked_dirs:,} rows of the accented-directory catalog "
          f"({np.mean([not p.isascii() for p in acc_dirs.slice(0, 100_000).to_pylist()]):.1%} "
          "of rows have a non-ASCII directory); polars masks agree on all rows")
    shorts = short_names_of(unsorted)
    checked_short, _ = verify(specs, unsorted, fs.match(unsorted, short_names=shorts, threads=th),
                              "sample", shorts)
    print(f"reference matcher agrees on {checked_short:,} rows with short names")
    vol = vm.lookup(unsorted, threads=th)
    if not np.array_equal(vol, base.polars_volume_lookup(csvs, unsorted)):
        raise SystemExit("MISMATCH: volume lookup baseline")
    if not np.array_equal(vm.lookup(acc_dirs, threads=th),
                          base.polars_volume_lookup(csvs, acc_dirs)):
        raise SystemExit("MISMATCH: volume lookup baseline on the accented directories")
    sample = [unsorted[i].as_py() for i in range(0, n, max(1, n // 100_000))]
    if vm.lookup(sample).tolist() != oracle.volume_lookup(csvs, sample):
        raise SystemExit("MISMATCH: volume lookup reference")

    t = round_robin({
        "match unsorted": lambda: fs.match(unsorted, threads=th),
        "match sorted": lambda: fs.match(sorted_, threads=th),
        "match unsorted 1 thread": lambda: fs.match(unsorted, threads=1),
        "match accented": lambda: fs.match(accented, threads=th),
        "match short names": lambda: fs.match(unsorted, short_names=shorts, threads=th),
        "match accented dirs": lambda: acc_fs.match(acc_dirs, threads=th),
        "match accented dirs 1 thread": lambda: acc_fs.match(acc_dirs, threads=1),
        "polars accented dirs": lambda: base.polars_masks(acc_specs, acc_dirs),
        "polars accented names": lambda: base.polars_masks(specs, accented),
        "polars": lambda: base.polars_masks(specs, unsorted),
        "pyarrow": lambda: base.pyarrow_masks(specs, unsorted),
        "lookup": lambda: vm.lookup(unsorted, threads=th),
        "lookup accented dirs": lambda: vm.lookup(acc_dirs, threads=th),
        "polars lookup accented dirs": lambda: base.polars_volume_lookup(csvs, acc_dirs),
        "polars lookup": lambda: base.polars_volume_lookup(csvs, unsorted),
    }, args.repeat)
    best = {k: min(v) for k, v in t.items()}
    same_round = [a / b for a, b in zip(t["polars"], t["match unsorted"], strict=True)]

    print(f"\n| work ({n / 1e6:g} M paths, {th} threads) | csvbackup | baseline | ratio |")
    print("|---|---|---|---|")
    print(f"| match, unsorted | {rate(n, best['match unsorted']):.1f} M paths/s | polars "
          f"{rate(n, best['polars']):.2f} M/s; pyarrow {rate(n, best['pyarrow']):.2f} M/s | "
          f"{best['polars'] / best['match unsorted']:.1f}x polars (median same-round "
          f"{statistics.median(same_round):.1f}x), "
          f"{best['pyarrow'] / best['match unsorted']:.1f}x pyarrow |")
    print(f"| match, sorted | {rate(n, best['match sorted']):.1f} M paths/s | | "
          f"{best['polars'] / best['match sorted']:.1f}x polars |")
    print(f"| match, unsorted, 1 thread | {rate(n, best['match unsorted 1 thread']):.1f} M "
          "paths/s | | |")
    print(f"| match, unsorted, accented names | {rate(n, best['match accented']):.1f} M "
          f"paths/s | polars {rate(n, best['polars accented names']):.2f} M/s | "
          f"{best['polars accented names'] / best['match accented']:.1f}x polars |")
    print(f"| match, unsorted, accented directories | {rate(n, best['match accented dirs']):.1f} "
          f"M paths/s (1 thread: {rate(n, best['match accented dirs 1 thread']):.1f}) | polars "
          f"{rate(n, best['polars accented dirs']):.2f} M/s | "
          f"{best['polars accented dirs'] / best['match accented dirs']:.1f}x polars |")
    print(f"| match, unsorted, a short name on every row | "
          f"{rate(n, best['match short names']):.1f} M paths/s | | |")
    print(f"| VolumeMap.lookup | {rate(n, best['lookup']):.1f} M paths/s | polars starts_with "
          f"{rate(n, best['polars lookup']):.2f} M/s | "
          f"{best['polars lookup'] / best['lookup']:.1f}x |")
    print(f"| VolumeMap.lookup, accented directories | {rate(n, best['lookup accented dirs']):.1f} "
          f"M paths/s | polars starts_with {rate(n, best['polars lookup accented dirs']):.2f} M/s | "
          f"{best['polars lookup accented dirs'] / best['lookup accented dirs']:.1f}x |")

    if args.system_rows:
        system_writer(args.system_rows, th, args.repeat)


def system_writer(rows, th, repeat):
    t0 = time.perf_counter()
    wm = cb.WriterMetadata.from_xml(inputs.SYSTEM_WRITER)
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    fs = cb.FileSpecSet(wm)
    build = time.perf_counter() - t0
    paths = inputs.make_system_paths(rows)
    m = fs.match(paths, threads=th)
    checked, _ = verify(list(wm.files), paths, m, "sample")
    t = round_robin({"match": lambda: fs.match(paths, threads=th)}, repeat)
    print(f"\nSystem Writer: {len(wm.files):,} file lists in {fs.directories:,} directories; "
          f"parse {parse * 1e3:.0f} ms, compile {build * 1e3:.0f} ms; {rows:,} paths, "
          f"{np.count_nonzero(m.mask) / rows:.0%} claimed, reference agrees on {checked:,}: "
          f"**{rate(rows, min(t['match'])):.1f} M paths/s**")
    few = paths.slice(0, min(rows, 20_000))  # an 18,925-way alternation is slow: a sample
    try:
        t0 = time.perf_counter()
        if not np.array_equal(base.polars_masks(list(wm.files), few), m.mask[:len(few)]):
            raise SystemExit("MISMATCH: polars baseline on the System Writer")
        print(f"polars baseline (first {len(few):,} rows): "
              f"{rate(len(few), time.perf_counter() - t0):.3f} M paths/s")
    except Exception as e:  # the regex engines' size limits: report, do not hide
        print(f"polars baseline: failed ({type(e).__name__}: {str(e)[:120]})")


if __name__ == "__main__":
    main()
