"""pytest-benchmark suite for CLUSPROP: building N lists (csvbackup, numpy template, struct),
one pack_into from Python, and parsing the cluster vector and a 500-DWORD list (csvbackup,
plain struct parser).

    pytest bench/test_bench_clusprop.py --benchmark-group-by=group

bench/clusprop_report.py prints the ratio table. Outputs are checked equal before timing.
"""
from pathlib import Path

import numpy as np
import pytest

import csvbackup as cb
from clusprop_baselines import NumpyTemplate, StructBuilder, python_parse

N = 1_000_000
NAME = "BackupInProgress"
VECTOR = (Path(__file__).parent.parent / "tests" / "data" / "samba_cluster_props.bin").read_bytes()


@pytest.fixture(scope="module")
def values():
    return np.arange(N, dtype=np.uint32) % 2


@pytest.fixture(scope="module")
def expected(values):
    return cb.build_property_lists(NAME, values)[0].copy()


@pytest.mark.benchmark(group="build 1M lists")
def test_build_csvbackup(benchmark, values, expected):
    out = np.empty_like(expected)
    benchmark(cb.build_property_lists, NAME, values, out=out)
    assert np.array_equal(out, expected)


@pytest.mark.benchmark(group="build 1M lists")
def test_build_numpy_template(benchmark, values, expected):
    out = np.empty_like(expected)
    benchmark(NumpyTemplate(NAME), values, out)
    assert np.array_equal(out, expected)


@pytest.mark.benchmark(group="build 1M lists")
def test_build_struct_per_list(benchmark, values, expected):
    out = bytearray(expected.nbytes)
    benchmark.pedantic(StructBuilder(NAME), (values, out), rounds=1, iterations=1)
    assert bytes(out) == expected.tobytes()


@pytest.mark.benchmark(group="pack one list")
def test_pack_into(benchmark):
    pl, buf = cb.PropertyList({NAME: 1}), bytearray(128)
    benchmark(pl.pack_into, buf)
    assert bytes(buf[:pl.size]) == pl.to_bytes()


PARSE_INPUTS = {
    "parse the cluster vector": VECTOR,
    "parse 500 DWORD properties":
        cb.PropertyList({f"ClusterProperty{i:04d}": i for i in range(500)}).to_bytes(),
}


@pytest.mark.parametrize("group", PARSE_INPUTS)
def test_parse_csvbackup(benchmark, group):
    benchmark.group = group
    data = PARSE_INPUTS[group]
    pl = benchmark(cb.PropertyList.from_buffer, data)
    assert pl.to_dict() == python_parse(data)


@pytest.mark.parametrize("group", PARSE_INPUTS)
def test_parse_struct(benchmark, group):
    benchmark.group = group
    benchmark(python_parse, PARSE_INPUTS[group])
