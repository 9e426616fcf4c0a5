"""The csvbackup command: the README's main job and a catalog file."""
import io
import json
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
    # --json: the same facts, keys as the README documents them
    out = io.StringIO()
    assert main(["sim", "status", "--cluster", str(config), "--json"], out) == 0
    doc = json.loads(out.getvalue())
    assert doc["backend"] == "simulator" and doc["config"] == str(config)
    assert [v["name"] for v in doc["volumes"]] == ["Volume1", "Volume2"]
    assert doc["backup_in_progress"] == 0 and doc["volumes"][0]["backup_state"] == "NONE"
    out = io.StringIO()
    assert main(["sim", "init", "--force", str(tmp_path / "c"), "--json"], out) == 0
    assert json.loads(out.getvalue()) == {"config": str(config)}


def test_json_of_info_and_classify(tmp_path):
    doc = json.loads(run("info", "--json"))
    assert doc["version"] == cb.__version__ and doc["kernel_isa"] == cb.kernel_isa()
    assert doc["include"] == cb.get_include() and doc["openmp"] == cb.openmp_enabled()
    path = tmp_path / "cat.npz"
    np.savez(path, masks=np.array([0xF0F, 0x101, 0x808], np.uint32),
             mtimes=np.array([5, 50, 500], np.int64))
    doc = json.loads(run("classify", str(path), "--type", "incremental", "--since", "100",
                         "--json", "--out", str(tmp_path / "d")))
    [r] = doc["results"]
    assert r["backup_type"] == "INCREMENTAL" and doc["rows"] == 3 and doc["since"] == 100
    assert r["counts"]["copy"] == 2 and r["counts"]["by_mtime"] == 1
    assert doc["out"] == str(tmp_path / "d") and np.load(tmp_path / "d").tolist() == [3, 0, 33]
    # --demo honours --type and --since (it used to ignore both)
    doc = json.loads(run("classify", "--demo", "--rows", "1000", "--type", "log", "--since",
                         "2026-01-01", "--json"))
    assert [r["backup_type"] for r in doc["results"]] == ["LOG"]
    assert doc["since"] == cb.to_filetime(np.datetime64("2026-01-01"))
