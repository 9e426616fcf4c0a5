"""pytest-benchmark suite: csvbackup.classify against the baselines, one group per size.

    pytest bench/ --benchmark-group-by=group     (not part of the unit-test command)

Inputs are built outside the timed region; every implementation's output is checked equal to
classify's before it is timed. bench/report.py prints the ratio table.
"""
import numpy as np
import pytest

import csvbackup as cb
from baselines import NumpyClassifier, make_numba_classifier
from csvbackup import _csvcore
from inputs import catalog

SIZES = [10_000_000, 100_000_000]
THREADS = 2
BTYPE = cb.BackupType.INCREMENTAL


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n // 1_000_000}M")
def data(request):
    masks, mtimes, since = catalog(request.param)
    expected = cb.classify(masks, BTYPE, mtimes=mtimes, since=since, threads=THREADS)
    return masks, mtimes, since, expected


def _run(benchmark, data, fn, name):
    masks, mtimes, since, expected = data
    out = np.empty_like(expected)
    benchmark.group = f"classify {masks.shape[0] // 1_000_000}M rows"
    benchmark.name = name
    benchmark.extra_info["rows"] = masks.shape[0]
    benchmark.pedantic(fn, args=(masks, mtimes, since, out), rounds=7, warmup_rounds=1)
    if name != "traffic probe (ceiling)":
        assert np.array_equal(out, expected)


def test_csvbackup(benchmark, data):
    _run(benchmark, data, lambda m, t, s, o: cb.classify(m, BTYPE, mtimes=t, since=s,
                                                         threads=THREADS, out=o), "csvbackup")


def test_numpy(benchmark, data):
    cls = NumpyClassifier()
    _run(benchmark, data, lambda m, t, s, o: cls(m, int(BTYPE), t, s, o), "numpy (chunked)")


def test_numba(benchmark, data):
    nb = make_numba_classifier()
    if nb is None:
        pytest.skip("numba not installed (pip install '.[bench]')")
    import numba
    numba.set_num_threads(min(THREADS, numba.config.NUMBA_NUM_THREADS))
    _run(benchmark, data, lambda m, t, s, o: nb(m, int(BTYPE), t, s, o), "numba prange")


def test_traffic_probe(benchmark, data):
    _run(benchmark, data, lambda m, t, s, o: _csvcore.traffic_probe(m, t, o, THREADS, 1 << 16),
         "traffic probe (ceiling)")
