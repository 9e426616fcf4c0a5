"""The simulated cluster's C entry points (src/clussim/) built as plain C with AddressSanitizer
and UBSan, fuzzed by tests/c/clussim_fuzz.c: random paths into every path function with
exactly-sized output buffers, random bytes into the control codes that take input, mutated
state files into clussim_read; every answer must be a documented code, every access in
bounds. Also: the simulator compiles as C99-clean C11 with -Werror."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import csvbackup as cb

ROOT = Path(__file__).parent.parent
SIM = ROOT / "src" / "clussim"
CC = os.environ.get("CC", "cc")

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="the simulator is built off Windows"),
    pytest.mark.skipif(not SIM.is_dir(), reason="needs the source tree (src/clussim)"),
]


def build(tmp, sanitize):
    exe = tmp / ("fuzz_asan" if sanitize else "fuzz")
    flags = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g"] if sanitize else []
    res = subprocess.run([CC, "-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", *flags,
                          "-I", cb.get_include(), "-I", str(ROOT / "src"),
                          *map(str, sorted(SIM.glob("*.c"))), str(ROOT / "tests" / "c" / "clussim_fuzz.c"),
                          "-o", str(exe), "-lpthread"], capture_output=True, text=True)
    if res.returncode != 0 and not sanitize:
        pytest.fail(res.stderr[-3000:])
    return exe if res.returncode == 0 else None


@pytest.fixture(scope="module")
def fuzzer(tmp_path_factory):
    if shutil.which(CC) is None:
        pytest.fail(f"no C compiler ({CC})")
    tmp = tmp_path_factory.mktemp("clussim")
    return build(tmp, sanitize=True) or build(tmp, sanitize=False)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fuzz_entry_points(fuzzer, tmp_path, seed):
    # each iteration is a dozen calls, each reading (and some replacing) the state file
    res = subprocess.run([str(fuzzer), str(tmp_path), "2500", str(seed)], capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0 and res.stdout.strip() == "ok 2500", res.stderr[-3000:]
