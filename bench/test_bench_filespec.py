"""pytest-benchmark suite of FileSpecSet.match and VolumeMap.lookup with their baselines in
the same groups (bench/filespec_report.py prints the ratio table, after checking answers).
Set CSVB_BENCH_ROWS to change the catalog size (default 1 M paths)."""
import os

import numpy as np
import pytest

import csvbackup as cb
import filespec_baselines as base
import filespec_inputs as inputs

ROWS = int(os.environ.get("CSVB_BENCH_ROWS", 1_000_000))


@pytest.fixture(scope="module")
def catalog():
    specs = inputs.make_specs(50)
    return (specs, cb.FileSpecSet(specs), inputs.make_paths(ROWS, seed=0),
            inputs.make_paths(ROWS, seed=0, sorted=True))


@pytest.fixture(scope="module")
def accented():
    """The catalog of a European file server: accented directories on nearly every row."""
    specs = inputs.make_specs(50, accented=True)
    return specs, cb.FileSpecSet(specs), inputs.make_paths(ROWS, seed=0, accented=True)


@pytest.fixture(scope="module")
def volumes():
    csvs = inputs.make_csvs(8)
    return csvs, cb.VolumeMap(csvs), inputs.make_paths(ROWS, seed=0)


@pytest.mark.benchmark(group="match")
def test_match_unsorted(benchmark, catalog):
    specs, fs, paths, _ = catalog
    m = benchmark(fs.match, paths, threads=2)
    assert np.array_equal(m.mask, base.polars_masks(specs, paths))


@pytest.mark.benchmark(group="match")
def test_match_sorted(benchmark, catalog):
    benchmark(catalog[1].match, catalog[3], threads=2)


@pytest.mark.benchmark(group="match")
def test_polars_baseline(benchmark, catalog):
    benchmark(base.polars_masks, catalog[0], catalog[2])


@pytest.mark.benchmark(group="match")
def test_pyarrow_baseline(benchmark, catalog):
    benchmark(base.pyarrow_masks, catalog[0], catalog[2])


@pytest.mark.benchmark(group="match accented directories")
def test_match_accented_directories(benchmark, accented):
    specs, fs, paths = accented
    m = benchmark(fs.match, paths, threads=2)
    assert np.array_equal(m.mask, base.polars_masks(specs, paths))


@pytest.mark.benchmark(group="match accented directories")
def test_polars_baseline_accented_directories(benchmark, accented):
    benchmark(base.polars_masks, accented[0], accented[2])


@pytest.mark.benchmark(group="lookup")
def test_lookup(benchmark, volumes):
    csvs, vm, paths = volumes
    out = benchmark(vm.lookup, paths, threads=2)
    assert np.array_equal(out, base.polars_volume_lookup(csvs, paths))


@pytest.mark.benchmark(group="lookup")
def test_polars_lookup_baseline(benchmark, volumes):
    benchmark(base.polars_volume_lookup, volumes[0], volumes[2])


@pytest.mark.benchmark(group="lookup accented directories")
def test_lookup_accented_directories(benchmark, volumes, accented):
    csvs, vm, _ = volumes
    out = benchmark(vm.lookup, accented[2], threads=2)
    assert np.array_equal(out, base.polars_volume_lookup(csvs, accented[2]))
