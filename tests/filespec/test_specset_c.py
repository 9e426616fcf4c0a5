"""The file-spec matcher's C entry points (src/kernels/specset_*.c, csvbackup/filespec.h) from
plain C, fuzzed under ASan/UBSan: random spec sets and rows of every string kind, including
invalid UTF-8, NULs, over-long rows and lone surrogates (tests/c/specset_fuzz.c)."""
import subprocess

import pytest

import fuzzers

pytestmark = pytest.mark.slow  # built with ASan/UBSan and fuzzed



@pytest.fixture(scope="module", params=["sse2", "portable"])
def fuzzer(request, tmp_path_factory):
    """The fuzzer with the SSE2 loaders, and with the portable loops only (CSVB_NO_SSE2)."""
    return fuzzers.build_or_fail("specset", tmp_path_factory.mktemp("specset"),
                                 ["CSVB_NO_SSE2"] if request.param == "portable" else [])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fuzz_matcher_entry_points(fuzzer, seed):
    """Fixed cases, random rounds (outputs in range, no out-of-bounds access under ASan), and
    differential rounds (the byte path equals the unit path on every row)."""
    res = subprocess.run([str(fuzzer), str(seed), "400"], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.strip() == "ok 400"
