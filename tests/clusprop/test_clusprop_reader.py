"""The C reader of include/csvbackup/clusprop.h (csvb_clusprop_begin_list / next_property /
check_list / find_property / next_value) walks the real server-captured property lists, and
every truncation or mutation of them fails cleanly: tests/c/clusprop_walk.c is built with
AddressSanitizer and UBSan where the compiler has them, so any read past the buffer aborts.
`tests/c/fuzz.sh clusprop N SEED` runs the same fuzzer for longer."""
import os
import subprocess

import pytest

import fuzzers
import tree

VECTORS = fuzzers.VECTORS

pytestmark = pytest.mark.slow  # built with ASan/UBSan and fuzzed


@pytest.fixture(scope="module")
def walker(tmp_path_factory):
    return fuzzers.build_or_fail("clusprop", tmp_path_factory.mktemp("walk"))


def walk(walker, tmp_path, data):
    path = tmp_path / "list.bin"
    path.write_bytes(data)
    res = subprocess.run([str(walker), str(path)], capture_output=True, text=True,
                         env={**os.environ, "ASAN_OPTIONS": "detect_leaks=0"})
    assert res.returncode == 0, res.stderr[-2000:]  # a sanitizer report exits non-zero
    return res.stdout.split()


def test_real_vectors_walk(walker, tmp_path):
    cluster = walk(walker, tmp_path, (tree.DATA / "samba_cluster_props.bin").read_bytes())
    assert cluster == ["ok", "6", "6", "1"]  # FixQuorum ... AdminAccessPoint, one ENDMARK
    node = walk(walker, tmp_path, (tree.DATA / "samba_node_props.bin").read_bytes())
    assert node[0] == "ok" and int(node[1]) > 6


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_every_truncation_fails_at_a_real_offset(walker, tmp_path, name):
    data = (tree.DATA / name).read_bytes()
    for cut in range(len(data) - 4):  # dropping only the trailing ENDMARK is still valid
        out = walk(walker, tmp_path, data[:cut])
        if out[0] == "ok":
            pytest.fail(f"{name} cut at {cut} walked as {out}")
        assert 0 <= int(out[-1]) <= cut


def test_fuzz_under_sanitizers(walker):
    """Mutants of both vectors: every entry point agrees, nothing reads out of bounds."""
    seeds = [str(tree.DATA / name) for name in sorted(VECTORS)]
    res = subprocess.run([str(walker), "--fuzz", "300000", "20261122", *seeds],
                         capture_output=True, text=True,
                         env={**os.environ, "ASAN_OPTIONS": "detect_leaks=0"})
    assert res.returncode == 0, res.stderr[-3000:]
    _, n, accepted = res.stdout.split()
    assert int(n) == 300000 and 0 < int(accepted) < 300000
