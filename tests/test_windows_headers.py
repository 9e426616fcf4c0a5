"""Cross-compile the headers for Windows with mingw-w64 against Windows' real <vss.h>: every
constant csvbackup defines must equal Windows' value. CI installs mingw-w64 (.ci/run); on a
developer machine without it these tests are skipped, in CI they fail."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import csvbackup as cb

MINGW = "x86_64-w64-mingw32-gcc"
SOURCE = Path(__file__).parent / "c" / "windows_check.c"


@pytest.fixture(scope="module")
def mingw():
    if shutil.which(MINGW) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{MINGW} is missing: .ci/run must install gcc-mingw-w64-x86-64")
        pytest.skip(f"{MINGW} not installed (apt-get install gcc-mingw-w64-x86-64)")
    return MINGW


@pytest.mark.parametrize("std", ["c99", "c11"])
def test_values_match_windows_vss_h(mingw, tmp_path, std):
    res = subprocess.run([mingw, f"-std={std}", "-Wall", "-Wextra", "-Werror", "-I",
                          cb.get_include(), "-c", str(SOURCE), "-o", str(tmp_path / "w.o")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_own_definitions_build_for_windows(mingw, tmp_path):
    exe = tmp_path / "w.exe"
    res = subprocess.run([mingw, "-std=c99", "-Wall", "-Wextra", "-Werror", "-O2",
                          "-DCSVBACKUP_NO_WINDOWS_HEADERS", "-I", cb.get_include(), str(SOURCE),
                          "-o", str(exe)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert exe.read_bytes()[:2] == b"MZ"


CLUSPROP_SOURCE = Path(__file__).parent / "c" / "windows_clusprop_check.c"


def test_clusprop_values_match_windows_clusapi_h(mingw, tmp_path):
    res = subprocess.run([mingw, "-std=c11", "-Wall", "-Wextra", "-Werror", "-I",
                          cb.get_include(), "-c", str(CLUSPROP_SOURCE), "-o",
                          str(tmp_path / "c.o")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("header, source, good, bad, name", [
    ("vss.h", SOURCE, "X(VSS_BS_LOG, 0x8)", "X(VSS_BS_LOG, 0x4)", "VSS_BS_LOG"),
    ("clusprop.h", CLUSPROP_SOURCE, "X(LIST_VALUE_FILETIME, 0x0001000C, 1)",
     "X(LIST_VALUE_FILETIME, 0x0001000D, 1)", "LIST_VALUE_FILETIME"),
])
def test_a_wrong_value_is_caught(mingw, tmp_path, header, source, good, bad, name):
    """The checks can fail: a header with one wrong value does not compile."""
    inc = tmp_path / "include" / "csvbackup"
    inc.mkdir(parents=True)
    for h in Path(cb.get_include(), "csvbackup").glob("*.h"):
        text = h.read_text()
        if h.name == header:
            assert good in text
            text = text.replace(good, bad)
        (inc / h.name).write_text(text)
    res = subprocess.run([mingw, "-std=c11", "-I", str(inc.parent), "-c", str(source), "-o",
                          str(tmp_path / "w.o")], capture_output=True, text=True)
    assert res.returncode != 0 and name in res.stderr
