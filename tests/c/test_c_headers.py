"""The installed C headers work from plain C (and C++) with no Python, and give the same
decisions as the extension."""
import os
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

import csvbackup as cb
import tree

CC = os.environ.get("CC", "cc")
STRICT = ["-Wall", "-Wextra", "-Werror", "-O2"]


def compile_program(tmp_path, compiler, std, extra=()):
    exe = tmp_path / f"classify_file_{std.replace('+', 'x')}"
    cmd = [compiler, *(["-x", "c++"] if "++" in std else []), f"-std={std}", *STRICT, *extra,
           "-I", cb.get_include(), str(tree.C_SOURCES / "classify_file.c"), "-o", str(exe)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return exe


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    if shutil.which(CC) is None:
        pytest.fail(f"no C compiler ({CC}) on PATH: the headers cannot be checked")
    return compile_program(tmp_path_factory.mktemp("c"), CC, "c99", ["-pedantic"])


def run_native(program, tmp_path, masks, btype, *, entries=None, mtimes=None, ds=None,
               ds0=0, since=-1):
    n = len(masks)
    types = None if np.ndim(btype) == 0 else np.asarray(btype, np.uint8)
    flags = (types is not None) | (entries is not None) << 1 | (mtimes is not None) << 2 | (
        ds is not None) << 3
    blob = struct.pack("<QqIIq", n, since, 0 if types is not None else int(btype), flags, ds0)
    blob += np.asarray(masks, "<u4").tobytes()
    for arr, dt in [(types, "u1"), (entries, "u1"), (mtimes, "<i8"), (ds, "<i8")]:
        if arr is not None:
            blob += np.asarray(arr, dt).tobytes()
    src, dst = tmp_path / "in.bin", tmp_path / "out.bin"
    src.write_bytes(blob)
    res = subprocess.run([str(program), str(src), str(dst)], capture_output=True)
    assert res.returncode == 0, res
    raw = dst.read_bytes()
    return struct.unpack("<I", raw[:4])[0], np.frombuffer(raw[4:], np.uint8)


def test_headers_are_installed():
    inc = Path(cb.get_include())
    assert (inc / "csvbackup" / "vss.h").is_file() and (inc / "csvbackup" / "platform.h").is_file()


def test_native_program_agrees_with_extension(program, tmp_path):
    rng = np.random.default_rng(11)
    n = 50_000
    masks = rng.choice(np.array([0xF0F, 0x101, 0x808, 0x10F0F, 0, 0x404, 0x202], np.uint32), n)
    types = rng.integers(1, 7, n, dtype=np.uint8)
    entries = rng.choice(np.array([0, 0, 0, 1, 2, 4, 6], np.uint8), n)
    mtimes = rng.integers(0, 2000, n, dtype=np.int64)
    ds = rng.choice(np.array([0, 500, 1500], np.int64), n)
    status, native = run_native(program, tmp_path, masks, types, entries=entries, mtimes=mtimes,
                                ds=ds, since=1000)
    assert status == 0
    expected = cb.classify(masks, types, entry_flags=entries, mtimes=mtimes,
                           differenced_since=ds, since=1000)
    assert np.array_equal(native, expected)


def test_native_program_reports_status(program, tmp_path):
    status, _ = run_native(program, tmp_path, [0xF0F, 0x20000], 1)
    assert status == 0x01  # CSVB_STATUS_BAD_MASK
    status, _ = run_native(program, tmp_path, [0x101], 2, mtimes=[5])
    assert status == 0x20  # CSVB_STATUS_NEEDS_SINCE


@pytest.mark.parametrize("std", ["c11", "c++11"])
def test_headers_compile_as(std, tmp_path):
    compiler = "c++" if "++" in std else CC
    if shutil.which(compiler) is None:
        pytest.fail(f"no {compiler} on PATH")
    compile_program(tmp_path, compiler, std)


@pytest.mark.parametrize("std", ["c99", "c++11"])
def test_backup_mode_checks_agree_natively(tmp_path, std):
    """include/csvbackup/csv_backup.h alone (C99 -pedantic, or C++11) gives the extension's
    verdict on valid and broken CLUS_SHARED_VOLUME_BACKUP_MODE records."""
    compiler = "c++" if "++" in std else CC
    exe = tmp_path / "backup_mode_check"
    res = subprocess.run([compiler, *(["-x", "c++"] if "++" in std else ["-pedantic"]),
                          f"-std={std}", *STRICT, "-I", cb.get_include(),
                          str(tree.C_SOURCES / "backup_mode_check.c"), "-o", str(exe)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    guid = "\\\\?\\Volume{0123abcd-0000-0000-0000-00000000000F}\\"
    good = [cb.SharedVolumeBackupMode(1, 30, n).to_bytes() for n in ("Volume1", guid, "x" * 259)]
    good.append(cb.SharedVolumeBackupMode(0, 0, "卷").to_bytes())
    rng = np.random.default_rng(5)
    records = list(good)
    for _ in range(2000):
        rec = bytearray(good[rng.integers(len(good))])
        for _ in range(rng.integers(1, 4)):
            rec[rng.integers(0, 120)] = rng.choice([0, 1, 0x5C, 0x7B, 0x2E, 0x3A, 0xFF])
        records.append(bytes(rec))
    (tmp_path / "in.bin").write_bytes(b"".join(records))
    out = subprocess.run([str(exe), str(tmp_path / "in.bin")], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    verdicts = {0: 0, 1: 0}
    for rec, line in zip(records, out, strict=True):
        rc, units, where = map(int, line.split())
        try:
            m = cb.SharedVolumeBackupMode.from_buffer(rec)
        except cb.InvalidParameterError as e:
            assert rc != 0 and f"at byte {where}:" in str(e)
            verdicts[0] += 1
        else:
            assert rc == 0 and units == len(m.volume_name.encode("utf-16-le")) // 2
            verdicts[1] += 1
    assert min(verdicts.values()) > 100  # both kinds were exercised


@pytest.mark.parametrize("std", ["c99", "c++11"])
def test_portable_clusapi_declarations_compile(tmp_path, std):
    """Off Windows, include/csvbackup/clusapi.h declares the ClusAPI/ResUtils subset itself
    (the simulator implements it): plain C99 -pedantic and C++11 accept it."""
    compiler = "c++" if "++" in std else CC
    src = tmp_path / "uses_clusapi.c"
    src.write_text("#include <csvbackup/clusapi.h>\n#include <csvbackup/csv_backup.h>\n"
                   "int main(void) { DWORD (*f)(LPCWSTR) = ClusterClearBackupStateForSharedVolume;"
                   " return sizeof(WCHAR) == 2 && f != 0 ? 0 : 1; }\n")
    res = subprocess.run([compiler, *(["-x", "c++"] if "++" in std else ["-pedantic"]),
                          f"-std={std}", *STRICT, "-I", cb.get_include(), "-fsyntax-only",
                          str(src)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("std", ["c99", "c++11"])
def test_win32_error_codes_agree_natively(tmp_path, std):
    """include/csvbackup/win32_errors.h alone (C99 -pedantic, or C++11) gives every code the
    value and name csvbackup.errors has."""
    compiler = "c++" if "++" in std else CC
    src, exe = tmp_path / "codes.c", tmp_path / "codes"
    src.write_text("#include <stdio.h>\n#include <csvbackup/win32_errors.h>\n"
                   "#define PRINT(name, value, m) printf(\"%s %ld\\n\", #name, (long)CSVB_##name);\n"
                   "int main(void) { CSVB_WIN32_ERROR_LIST(PRINT) return 0; }\n")
    res = subprocess.run([compiler, *(["-x", "c++"] if "++" in std else ["-pedantic"]),
                          f"-std={std}", *STRICT, "-I", cb.get_include(), str(src), "-o",
                          str(exe)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    native = {int(v): n for n, v in (line.split() for line in out.splitlines())}
    assert native == cb.errors.WIN32_ERROR_NAMES
