"""Cross-compile the headers for Windows with mingw-w64 against Windows' real <vss.h>: every
constant csvbackup defines must equal Windows' value. CI installs mingw-w64 (.ci/run); on a
developer machine without it these tests are skipped, in CI they fail."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import csvbackup as cb
import tree

MINGW = "x86_64-w64-mingw32-gcc"
SOURCE = tree.C_SOURCES / "windows_check.c"


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


CLUSPROP_SOURCE = tree.C_SOURCES / "windows_clusprop_check.c"


def test_clusprop_values_match_windows_clusapi_h(mingw, tmp_path):
    res = subprocess.run([mingw, "-std=c11", "-Wall", "-Wextra", "-Werror", "-I",
                          cb.get_include(), "-c", str(CLUSPROP_SOURCE), "-o",
                          str(tmp_path / "c.o")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


CSV_BACKUP_SOURCE = tree.C_SOURCES / "windows_csv_backup_check.c"


def mingw_backup_state(tmp_path):
    """mingw's own CLUSTER_SHARED_VOLUME_BACKUP_STATE typedef, cut out of its clusapi.h (the
    header hides it behind _WIN32_WINNT >= 0x0601, where the header no longer compiles)."""
    header = mingw_header("clusapi.h")
    found = re.search(r"typedef enum _CLUSTER_SHARED_VOLUME_BACKUP_STATE \{.*?\}[^;]*;",
                      header.read_text(), re.S)
    assert found, f"{header} no longer defines CLUSTER_SHARED_VOLUME_BACKUP_STATE"
    out = tmp_path / "mingw_backup_state.h"
    out.write_text(found.group(0) + "\n")
    return ["-include", str(out)]


@pytest.mark.parametrize("std", ["c99", "c11"])
def test_csv_backup_values_and_layout_match_windows(mingw, tmp_path, std):
    """Control codes, objects, backup states and the 528-byte CLUS_SHARED_VOLUME_BACKUP_MODE
    layout (SDK text compiled with mingw's types) equal include/csvbackup/csv_backup.h; the
    program built from it runs the C check on a well-formed structure."""
    exe = tmp_path / "csv.exe"
    res = subprocess.run([mingw, f"-std={std}", "-Wall", "-Wextra", "-Werror", "-O2",
                          *mingw_backup_state(tmp_path), "-I", cb.get_include(),
                          str(CSV_BACKUP_SOURCE), "-o", str(exe)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert exe.read_bytes()[:2] == b"MZ"


WIN32_ERRORS_SOURCE = tree.C_SOURCES / "windows_win32_errors_check.c"


@pytest.mark.parametrize("std", ["c99", "c11"])
def test_win32_error_codes_match_windows_winerror_h(mingw, tmp_path, std):
    """Every code of include/csvbackup/win32_errors.h that mingw-w64's winerror.h names has
    its value there, next to <windows.h>'s macros of the same names."""
    res = subprocess.run([mingw, f"-std={std}", "-Wall", "-Wextra", "-Werror", "-O2", "-I",
                          cb.get_include(), str(WIN32_ERRORS_SOURCE), "-o",
                          str(tmp_path / "e.exe")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_win32_error_list_says_which_names_mingw_has(mingw):
    """The in-mingw column is true exactly for the names mingw-w64's winerror.h defines (the
    others are checked by nothing but the reference, section 6)."""
    text = Path(cb.get_include(), "csvbackup", "win32_errors.h").read_text()
    rows = re.findall(r"X\((\w+), (\d+), ([01])\)", text)
    assert len(rows) >= 20
    winerror = mingw_header("winerror.h").read_text()
    for name, _, in_mingw in rows:
        assert bool(re.search(rf"^#define {name}\b", winerror, re.M)) == (in_mingw == "1"), name


@pytest.mark.parametrize("header, source, good, bad, name", [
    ("vss.h", SOURCE, "X(VSS_BS_LOG, 0x8)", "X(VSS_BS_LOG, 0x4)", "VSS_BS_LOG"),
    ("clusprop.h", CLUSPROP_SOURCE, "X(LIST_VALUE_FILETIME, 0x0001000C, 1)",
     "X(LIST_VALUE_FILETIME, 0x0001000D, 1)", "LIST_VALUE_FILETIME"),
    ("csv_backup.h", CSV_BACKUP_SOURCE, "X(SET_SHARED_VOLUME_BACKUP_MODE, 166, WRITE, 1, 1)",
     "X(SET_SHARED_VOLUME_BACKUP_MODE, 166, READ, 1, 1)", "SET_SHARED_VOLUME_BACKUP_MODE"),
    ("csv_backup.h", CSV_BACKUP_SOURCE, "#define CSVB_BACKUP_MODE_NAME_OFFSET 8u",
     "#define CSVB_BACKUP_MODE_NAME_OFFSET 6u", "VolumeName offset"),
    ("win32_errors.h", WIN32_ERRORS_SOURCE, "X(ERROR_MORE_DATA, 234, 1)",
     "X(ERROR_MORE_DATA, 235, 1)", "ERROR_MORE_DATA"),
])
def test_a_wrong_value_is_caught(mingw, tmp_path, header, source, good, bad, name):
    """The checks can fail: a header with one wrong value does not compile."""
    inc = tmp_path / "include" / "csvbackup"
    inc.mkdir(parents=True)
    for h in Path(cb.get_include(), "csvbackup").glob("*.h"):
        text = h.read_text()
        if h.name == header:  # spaced as the formatter aligns it
            pattern = r"\s+".join(map(re.escape, good.split(" ")))
            assert re.search(pattern, text), good
            text = re.sub(pattern, bad, text, count=1)
        (inc / h.name).write_text(text)
    extra = mingw_backup_state(tmp_path) if source == CSV_BACKUP_SOURCE else []
    res = subprocess.run([mingw, "-std=c11", *extra, "-I", str(inc.parent), "-c", str(source),
                          "-o", str(tmp_path / "w.o")], capture_output=True, text=True)
    assert res.returncode != 0 and name in res.stderr


CLUSAPI_SOURCE = tree.C_SOURCES / "windows_clusapi_check.c"
RESUTILS_CALLS = ["ClusterIsPathOnSharedVolume", "ClusterGetVolumePathName",
                  "ClusterGetVolumeNameForVolumeMountPoint",
                  "ClusterPrepareSharedVolumeForBackup", "ClusterClearBackupStateForSharedVolume"]
CLUSAPI_CALLS = ["OpenCluster", "CloseCluster", "OpenClusterResource", "CloseClusterResource",
                 "ClusterResourceControl", "ClusterControl", "ClusterOpenEnum", "ClusterEnum",
                 "ClusterCloseEnum", "GetClusterResourceState", "OnlineClusterResource",
                 "OfflineClusterResource"]


def mingw_header(name):
    deps = subprocess.run([MINGW, "-M", "-x", "c", "-"], input=f"#include <{name}>\n",
                          capture_output=True, text=True).stdout
    return Path(next(w for w in deps.split() if w.endswith(name)))


def mingw_resutils_prototypes(tmp_path, mutate=None):
    """The five ResUtils prototypes, cut out of mingw's resapi.h (which cannot be included
    next to its clusapi.h), as a header to force-include."""
    text = mingw_header("resapi.h").read_text()
    protos = re.findall(rf"^\s*(?:WINBOOL|DWORD) WINAPI (?:{'|'.join(RESUTILS_CALLS)}) ?\(.*?\);",
                        text, re.M | re.S)
    assert len(protos) == 5, protos
    body = "#include <windows.h>\n" + "\n".join(p.strip() for p in protos) + "\n"
    if mutate:
        body = mutate(body)
    out = tmp_path / "mingw_resutils.h"
    out.write_text(body)
    return ["-include", str(out)]


def test_clusapi_h_matches_windows_and_every_call_links(mingw, tmp_path):
    """include/csvbackup/clusapi.h compiles with the real clusapi.h and mingw's own ResUtils
    prototypes, and a program calling every function links against -lclusapi -lresutils:
    each name is imported from the DLL the reference (4.1) says exports it."""
    exe = tmp_path / "calls.exe"
    res = subprocess.run([mingw, "-std=c99", "-Wall", "-Wextra", "-Werror", "-O2",
                          "-D_WIN32_WINNT=0x0502", *mingw_resutils_prototypes(tmp_path), "-I",
                          cb.get_include(), str(CLUSAPI_SOURCE), "-o", str(exe), "-lclusapi",
                          "-lresutils"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    dump = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", str(exe)], capture_output=True,
                          text=True, check=True).stdout
    imports, dll = {}, None
    for line in dump.splitlines():
        if "DLL Name:" in line:
            dll = line.split(":", 1)[1].strip().upper()
        elif dll and line.strip() and line.split()[-1] in RESUTILS_CALLS + CLUSAPI_CALLS:
            imports[line.split()[-1]] = dll
    assert imports == {**{f: "CLUSAPI.DLL" for f in CLUSAPI_CALLS},
                       **{f: "RESUTILS.DLL" for f in RESUTILS_CALLS}}


def test_a_wrong_prototype_is_caught(mingw, tmp_path):
    wrong = mingw_resutils_prototypes(
        tmp_path, lambda body: body.replace("DWORD cchBufferLength", "int cchBufferLength", 1))
    res = subprocess.run([mingw, "-std=c99", "-D_WIN32_WINNT=0x0502", *wrong, "-I",
                          cb.get_include(), "-c", str(CLUSAPI_SOURCE), "-o",
                          str(tmp_path / "w.o")], capture_output=True, text=True)
    assert res.returncode != 0 and "conflicting types" in res.stderr


def test_windows_call_layer_compiles_and_links(mingw, tmp_path):
    """What the core includes and calls for the cluster, in its Windows flavour (the real
    ClusAPI/ResUtils, the simulator's set-up stubbed out), cross-compiled with -Werror and
    linked against -lclusapi -lresutils."""
    src = tree.C_SOURCES / "windows_call_layer.c"
    root = tree.SRC
    if not (root / "clussim" / "shim.h").is_file():
        pytest.skip("needs the source tree (src/clussim)")
    res = subprocess.run([mingw, "-std=c11", "-Wall", "-Wextra", "-Werror", "-O2",
                          "-D_WIN32_WINNT=0x0502", *mingw_resutils_prototypes(tmp_path),
                          "-I", cb.get_include(), "-I", str(root), str(src),
                          "-o", str(tmp_path / "layer.exe"), "-lclusapi", "-lresutils"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
