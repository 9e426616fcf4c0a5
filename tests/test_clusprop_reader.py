"""csvb_clusprop_read_entry (include/csvbackup/clusprop.h) walks the real server-captured
property lists, and every truncation or corruption of them fails cleanly: built with
AddressSanitizer and UBSan where the compiler has them, so any read past the buffer aborts."""
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

import csvbackup as cb

HERE = Path(__file__).parent
VECTORS = {"samba_cluster_props.bin": (6, 6), "samba_node_props.bin": None}
CC = os.environ.get("CC", "cc")


def build(tmp, sanitize):
    exe = tmp / ("walk_asan" if sanitize else "walk")
    flags = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g"] if sanitize else []
    res = subprocess.run([CC, "-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", *flags, "-I",
                          cb.get_include(), str(HERE / "c" / "clusprop_walk.c"), "-o", str(exe)],
                         capture_output=True, text=True)
    return exe if res.returncode == 0 else None


@pytest.fixture(scope="module")
def walker(tmp_path_factory):
    if shutil.which(CC) is None:
        pytest.fail(f"no C compiler ({CC})")
    tmp = tmp_path_factory.mktemp("walk")
    exe = build(tmp, sanitize=True)
    if exe is None:  # no sanitizer runtime: still run, without it
        exe = build(tmp, sanitize=False)
    assert exe is not None
    return exe


def walk(walker, tmp_path, data):
    path = tmp_path / "list.bin"
    path.write_bytes(data)
    res = subprocess.run([str(walker), str(path)], capture_output=True, text=True,
                         env={**os.environ, "ASAN_OPTIONS": "detect_leaks=0"})
    assert res.returncode == 0, res.stderr[-2000:]  # a sanitizer report exits non-zero
    return res.stdout.split()


def test_real_vectors_walk(walker, tmp_path):
    cluster = walk(walker, tmp_path, (HERE / "data" / "samba_cluster_props.bin").read_bytes())
    assert cluster == ["ok", "6", "6"]  # FixQuorum ... AdminAccessPoint, one value each
    node = walk(walker, tmp_path, (HERE / "data" / "samba_node_props.bin").read_bytes())
    assert node[0] == "ok" and int(node[1]) > 6


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_every_truncation_fails_at_a_real_offset(walker, tmp_path, name):
    data = (HERE / "data" / name).read_bytes()
    for cut in range(len(data) - 4):  # dropping only the trailing ENDMARK is still valid
        out = walk(walker, tmp_path, data[:cut])
        if out[0] == "ok":
            pytest.fail(f"{name} cut at {cut} walked as {out}")
        assert 0 <= int(out[-1]) <= cut


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_corruptions_never_read_out_of_bounds(walker, tmp_path, name):
    data = (HERE / "data" / name).read_bytes()
    rng = random.Random(1234)
    for _ in range(150):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(mutated))
            mutated[i] = rng.choice([0, 0xFF, 0x7F, rng.randrange(256)])
        out = walk(walker, tmp_path, bytes(mutated))
        assert out[0] in ("ok", "error")
