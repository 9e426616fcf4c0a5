"""The simulated cluster's C entry points (src/clussim/) built as plain C with AddressSanitizer
and UBSan, fuzzed by tests/c/clussim_fuzz.c: random paths into every path function with
exactly-sized output buffers, random bytes into the control codes that take input, mutated
state files into clussim_read; every answer must be a documented code, every access in
bounds. Also: the simulator compiles as C99-clean C11 with -Werror."""
import subprocess
import sys

import pytest

import csvbackup as cb
import fuzzers
import tree

SIM = tree.SRC / "clussim"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="the simulator is built off Windows"),
    pytest.mark.skipif(not SIM.is_dir(), reason="needs the source tree (src/clussim)"),
]


@pytest.fixture(scope="module")
def fuzzer(tmp_path_factory):
    return fuzzers.build_or_fail("clussim", tmp_path_factory.mktemp("clussim"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fuzz_entry_points(fuzzer, tmp_path, seed):
    # each iteration is a dozen calls, each reading (and some replacing) the state file
    res = subprocess.run([str(fuzzer), str(tmp_path), "2500", str(seed)], capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0 and res.stdout.strip() == "ok 2500", res.stderr[-3000:]


@pytest.mark.parametrize("opt", ["-O2", "-O3"])
def test_simulator_compiles_without_warnings(tmp_path, opt):
    """Each file of src/clussim/ with setup.py's flags and -Wextra, at the levels where GCC's
    flow analysis (-Wmaybe-uninitialized: a reader's result used although it failed) runs."""
    for source in sorted(SIM.glob("*.c")):
        res = subprocess.run([fuzzers.CC, "-std=c11", opt, "-fno-strict-aliasing",
                              "-Wall", "-Wextra", "-Werror", f"-I{cb.get_include()}",
                              f"-I{tree.SRC}", "-c", str(source), "-o", str(tmp_path / "s.o")],
                             capture_output=True, text=True)
        assert res.returncode == 0, f"{source.name}: {res.stderr[-3000:]}"
