r"""The tree walker of ``plan --scan`` against os.walk + os.lstat: every file once, named by
its Windows path, with its size and mtime as a FILETIME, in an order that does not depend on
the thread count; bad names kept as bytes; what cannot be listed reported, never hidden."""
import errno
import os
import subprocess
import sys

import pytest

import csvbackup as cb
from csvbackup.scan import scan_directory

pytestmark = pytest.mark.skipif(not cb._csvcore.HAVE_TREE_WALK, reason="no tree walker here")
PREFIX = "C:\\ClusterStorage\\Volume1\\"


def reference(root):
    """{Windows path bytes: (size, FILETIME)} by os.walk and os.lstat."""
    out = {}
    root_b = os.fsencode(root)
    for d, dirs, files in os.walk(root_b):
        for name in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
            st = os.lstat(os.path.join(d, name))
            rel = os.path.relpath(os.path.join(d, name), root_b).replace(b"/", b"\\")
            ft = st.st_mtime_ns // 100 + cb.filetime.UNIX_EPOCH_AS_FILETIME
            out[PREFIX.encode() + rel] = (st.st_size, ft)
    return out


def scanned(result):
    import pyarrow as pa
    t = result.table
    paths = t.column("path").cast(pa.large_binary()).to_pylist()
    return dict(zip(paths, zip(t.column("size").to_pylist(), t.column("mtime").to_pylist(),
                               strict=True), strict=True)), paths


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "root"
    for k in range(30):
        d = root / f"d{k % 4}" / f"s{k}"
        d.mkdir(parents=True)
        for j in range(k % 7):
            (d / f"f{j}.txt").write_bytes(b"x" * (j * 100 + k))
    (root / "top.bin").write_bytes(b"12345")
    (root / "empty").mkdir()
    deep = root.joinpath(*[f"l{i}" for i in range(40)])
    deep.mkdir(parents=True)
    (deep / "bottom.dat").write_bytes(b"deep")
    os.symlink(root / "d0", root / "link-to-dir")  # listed, not followed
    os.symlink(root / "missing", root / "dangling")
    with open(os.fsencode(root) + b"/caf\xe9 \xff.txt", "wb") as f:  # not UTF-8
        f.write(b"abc")
    os.utime(root / "top.bin", ns=(0, 1_700_000_000_123_456_789))
    return root


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_every_file_once_with_size_and_mtime(tree, threads):
    got, paths = scanned(scan_directory(tree, PREFIX, threads=threads))
    assert len(paths) == len(got)  # no file twice
    assert got == reference(tree)
    assert got[PREFIX.encode() + b"top.bin"] == (5, 1_700_000_000_123_456_789 // 100
                                                 + cb.filetime.UNIX_EPOCH_AS_FILETIME)
    assert PREFIX.encode() + b"caf\xe9 \xff.txt" in got


def test_the_order_does_not_depend_on_threads(tree):
    orders = [scanned(scan_directory(tree, PREFIX, threads=t))[1] for t in (1, 2, 3)]
    assert orders[0] == orders[1] == orders[2]


def test_an_empty_tree_and_bad_roots(tmp_path):
    (tmp_path / "empty").mkdir()
    r = scan_directory(tmp_path / "empty", PREFIX)
    assert r.table.num_rows == 0 and r.failed == []
    with pytest.raises(FileNotFoundError):
        scan_directory(tmp_path / "missing", PREFIX)
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        scan_directory(tmp_path / "file", PREFIX)


def test_a_directory_that_cannot_be_listed_is_reported(tree):
    # Out of file descriptors (EMFILE), even root cannot open a directory: run in a child with
    # the descriptor limit at what it already has open.
    code = f"""
import os, resource, sys
import csvbackup as cb
from csvbackup.scan import scan_directory
r = scan_directory({str(tree)!r}, "C:\\\\", threads=1)
used = len(os.listdir("/proc/self/fd")) - 1  # less the one listdir held
resource.setrlimit(resource.RLIMIT_NOFILE, (used, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
r = scan_directory({str(tree)!r}, "C:\\\\", threads=1)
print(r.table.num_rows, r.failed)
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    rows, failed = res.stdout.split(" ", 1)
    assert rows == "0" and failed.strip() == repr([(str(tree), errno.EMFILE)])


def test_scan_of_the_simulated_cluster(tmp_path):
    config = cb.simulator.init(tmp_path / "c")
    with cb.open_cluster(config) as c:
        r = cb.scan_cluster(c)
    paths = set(r.table.column("path").to_pylist())
    assert "C:\\ClusterStorage\\Volume2\\VMs\\db01\\db01.vhdx" in paths
    assert "C:\\ClusterStorage\\Volume1\\SQL\\Data\\sales.mdf" in paths
    assert len(paths) == r.table.num_rows == 7
