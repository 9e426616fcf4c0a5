"""Print csvbackup.classify's throughput against the baselines, measured in this run.

    python bench/report.py [--rows 10000000,100000000] [--threads 2] [--repeat 7]

Columns: rows/s of each implementation (best of --repeat, timed round-robin), csvbackup's
ratio to numpy and to numba, and the share of the memory-bandwidth ceiling: the traffic probe
moves the same bytes per row (4 B mask + 8 B mtime in, 1 B out) with trivial work, on the same
threads and through the same prefetching driver. The last column is the median over rounds of
the same-round ratio, steadier than the ratio of two bests on a machine whose bandwidth swings.
A second table runs csvbackup's kernel clone for each x86-64 level this CPU has.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import csvbackup as cb  # noqa: E402
from baselines import NumpyClassifier, make_numba_classifier  # noqa: E402
from csvbackup import _csvcore  # noqa: E402
from inputs import catalog  # noqa: E402

BYTES_PER_ROW = 4 + 8 + 1
LEVELS = ["baseline", "x86-64-v2", "x86-64-v3", "x86-64-v4"]


def round_times(fns, repeat):
    """Wall times of each callable per round, timed round-robin: one call of each per round,
    so that this machine's bandwidth swings hit every implementation alike."""
    for fn in fns.values():
        fn()  # warm: page faults, thread pool, JIT
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def best_times(fns, repeat):
    """Best wall time of each callable (see round_times)."""
    return {name: min(ts) for name, ts in round_times(fns, repeat).items()}


def measure(rows, threads, repeat, btype=cb.BackupType.INCREMENTAL):
    masks, mtimes, since = catalog(rows)
    out = np.empty(rows, np.uint8)
    expected = cb.classify(masks, btype, mtimes=mtimes, since=since, threads=threads)
    np_cls = NumpyClassifier()
    np_cls(masks, int(btype), mtimes, since, out)
    assert np.array_equal(out, expected), "numpy baseline disagrees with classify"
    fns = {
        "csvbackup": lambda: cb.classify(masks, btype, mtimes=mtimes, since=since,
                                         threads=threads, out=out),
        "probe": lambda: _csvcore.traffic_probe(masks, mtimes, out, threads, 1 << 16),
        "numpy": lambda: np_cls(masks, int(btype), mtimes, since, out),
    }
    nb = make_numba_classifier()
    if nb is not None:
        import numba
        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
        nb(masks, int(btype), mtimes, since, out)
        assert np.array_equal(out, expected), "numba baseline disagrees with classify"
        fns["numba"] = lambda: nb(masks, int(btype), mtimes, since, out)
    times = round_times(fns, repeat)
    rates = {k: rows / min(v) for k, v in times.items()}
    # the same-round ratio is steadier than a ratio of two bests on a noisy machine
    rates["paired"] = statistics.median(
        p / c for p, c in zip(times["probe"], times["csvbackup"], strict=True))
    return rates


def isa_rates(rows, threads, repeat):
    """rows/s of the kernel clone of each x86-64 level the CPU has, timed round-robin."""
    masks, mtimes, since = catalog(rows)
    out = np.empty(rows, np.uint8)
    active = cb.kernel_isa()

    def run_at(level):
        def run():
            _csvcore.select_isa(level)
            cb.classify(masks, cb.BackupType.INCREMENTAL, mtimes=mtimes, since=since,
                        threads=threads, out=out)
        return run

    levels = [lv for lv in LEVELS if _csvcore.select_isa(lv)]
    try:
        best = best_times({lv: run_at(lv) for lv in levels}, repeat)
    finally:
        _csvcore.select_isa(active)
    return {lv: rows / t for lv, t in best.items()}


def fmt_rate(r):
    return f"{r / 1e6:,.0f} M/s"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", default="10000000,100000000")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)
    sizes = [int(float(s)) for s in args.rows.split(",")]
    print(f"csvbackup {cb.__version__}, kernel {cb.kernel_isa()}, OpenMP "
          f"{'on' if cb.openmp_enabled() else 'off'}, {args.threads} threads, "
          f"{os.cpu_count()} CPUs; INCREMENTAL backup, masks + mtimes + since\n")
    head = ["rows", "csvbackup", "numpy", "numba", "probe (ceiling)", "GB/s",
            "vs numpy", "vs numba", "% of ceiling", "(median of rounds)"]
    table = [head]
    for rows in sizes:
        r = measure(rows, args.threads, args.repeat)
        table.append([f"{rows:,}", fmt_rate(r["csvbackup"]), fmt_rate(r["numpy"]),
                      fmt_rate(r["numba"]) if "numba" in r else "n/a", fmt_rate(r["probe"]),
                      f"{r['csvbackup'] * BYTES_PER_ROW / 1e9:.1f}",
                      f"{r['csvbackup'] / r['numpy']:.2f}x",
                      f"{r['csvbackup'] / r['numba']:.2f}x" if "numba" in r else "n/a",
                      f"{100 * r['csvbackup'] / r['probe']:.0f}%",
                      f"{100 * r['paired']:.0f}%"])
    print_table(table)
    rows = sizes[0]
    rates = isa_rates(rows, args.threads, args.repeat)
    print(f"\nkernel clone per x86-64 level, {rows:,} rows, {args.threads} threads")
    base = rates.get("baseline")
    print_table([["level", "rows/s", "vs baseline (SSE2)"]] + [
        [k, fmt_rate(v), f"{v / base:.2f}x" if base else "n/a"] for k, v in rates.items()])
    rates1 = isa_rates(rows, 1, args.repeat)
    print("\nsame, 1 thread (compute-bound view)")
    print_table([["level", "rows/s", "vs baseline (SSE2)"]] + [
        [k, fmt_rate(v), f"{v / rates1['baseline']:.2f}x"] for k, v in rates1.items()])


def print_table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        print("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
        if k == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
