"""The csvbackup command: the README's main job and a catalog file."""
import io
import subprocess
import sys

import numpy as np
import pytest

import csvbackup as cb
from csvbackup import cli
from csvbackup.demo import DEMO_WRITERS, make_catalog, summarize


def run(*argv):
    out = io.StringIO()
    assert cli.main(list(argv), out=out) == 0
    return out.getvalue()


def test_demo_prints_a_row_per_backup_type():
    text = run("classify", "--demo", "--rows", "200000", "--threads", "2")
    for name in ("FULL", "INCREMENTAL", "DIFFERENTIAL", "LOG", "COPY", "OTHER", "M rows/s"):
        assert name in text
    assert "200,000 files" in text


def test_demo_counts_match_classify():
    cat = make_catalog(50_000, seed=3)
    eff = np.take(cb.effective_backup_type(cb.BackupType.INCREMENTAL, cat["writer_schema"]),
                  cat["writer"])
    d = cb.classify(cat["masks"], eff, mtimes=cat["mtimes"], entry_flags=cat["entry_flags"],
                    differenced_since=cat["differenced_since"], since=cat["since"])
    counts = summarize(d)
    assert counts["COPY"] == int(((d & 1) != 0).sum())
    assert counts["EXCLUDED"] == int((cat["entry_flags"] == 1).sum())
    assert counts["skipped"] + counts["COPY"] + counts["PARTIAL"] + counts["EXCLUDED"] >= 50_000
    # the SQL writer (no INCREMENTAL in its schema) is backed up FULL: every file copied
    sql = cat["writer"] == [w.name for w in DEMO_WRITERS].index("SqlServerWriter")
    plain = sql & (cat["entry_flags"] == 0)
    assert (d[plain] & 1).all()


def test_catalog_file(tmp_path):
    path = tmp_path / "cat.npz"
    np.savez(path, masks=np.array([0xF0F, 0x101, 0x808], np.uint32),
             mtimes=np.array([5, 50, 500], np.int64))
    out_path = tmp_path / "d.npy"
    text = run("classify", str(path), "--type", "incremental", "--since", "100",
               "--out", str(out_path))
    assert "INCREMENTAL" in text
    assert np.load(out_path).tolist() == [3, 0, 33]  # 0x808 changed since: BY_MTIME


def test_info_and_console_script():
    assert "kernel ISA" in run("info")
    res = subprocess.run([sys.executable, "-m", "csvbackup", "info"], capture_output=True,
                         text=True)
    assert res.returncode == 0 and "csvbackup" in res.stdout


def test_bad_arguments_exit_with_usage():
    res = subprocess.run([sys.executable, "-m", "csvbackup", "classify", "--demo",
                          "--rows", "-5"], capture_output=True, text=True)
    assert res.returncode == 2 and "--rows" in res.stderr
    res = subprocess.run([sys.executable, "-m", "csvbackup", "classify", "x.npz", "--type",
                          "undefined"], capture_output=True, text=True)
    assert res.returncode == 2


@pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR, reason="simulator not built")
def test_sim_init_and_status(tmp_path, capsys):
    import io

    from csvbackup.cli import main

    out = io.StringIO()
    assert main(["sim", "init", str(tmp_path / "c")], out) == 0
    config = tmp_path / "c" / "cluster.toml"
    assert config.is_file() and (tmp_path / "c" / "cluster.state").is_file()
    assert (tmp_path / "c" / "volumes" / "Volume2" / "VMs" / "db01" / "db01.vhdx").is_file()
    out = io.StringIO()
    assert main(["sim", "status", str(config)], out) == 0
    text = out.getvalue()
    assert "C:\\ClusterStorage\\Volume1\\" in text and "Cluster Disk 2" in text and "NONE" in text
    assert main(["sim", "init", str(tmp_path / "c")], io.StringIO()) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["sim", "init", "--force", str(tmp_path / "c")], io.StringIO()) == 0
