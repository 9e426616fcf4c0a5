r"""The operator's commands end to end on a simulated cluster: each table and its --json, the
cluster's state after each, and bad input as one line with exit status 2."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import csvbackup as cb
from cli_run import bad, run, run_json
from csvbackup import simulator

pytestmark = pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR, reason="simulator not built")
DATA = Path(__file__).resolve().parents[1] / "data"
G1 = "\\\\?\\Volume{2f0c5e1a-7d3b-4c8e-9a61-0b1d2c3e4f51}\\"


@pytest.fixture
def config(tmp_path):
    return str(simulator.init(tmp_path / "c"))






def states(config):
    with cb.open_cluster(config) as c:
        return {v.name: v.state.name for v in c.shared_volumes()}


def test_volumes(capsys, config):
    code, out, _ = run(capsys, "volumes", "--cluster", config)
    assert code == 0 and "Volume1" in out and G1 in out and "BackupInProgress" in out
    doc = run_json(capsys, "volumes", "--cluster", config)
    assert [v["name"] for v in doc["volumes"]] == ["Volume1", "Volume2"]
    assert doc["volumes"][0] == {"name": "Volume1", "path": "C:\\ClusterStorage\\Volume1\\",
                                 "volume_guid_path": G1, "resource": "Cluster Disk 1",
                                 "owner_node": "NODE1", "online": True, "backup_state": "NONE"}
    assert doc["backup_in_progress"] == 0


def test_prepare_each_path(capsys, config):
    doc = None
    code, out, _ = run(capsys, "prepare", "--cluster", config, "--json",
                       r"C:\ClusterStorage\Volume1\VMs", r"D:\elsewhere")
    doc = json.loads(out)
    assert code == 1  # one path failed
    assert doc[0] == {"path": r"C:\ClusterStorage\Volume1\VMs",
                      "volume_path": "C:\\ClusterStorage\\Volume1\\", "volume_name": G1,
                      "error": None}
    assert doc[1]["error"]["winerror"] == 87 and doc[1]["volume_name"] is None
    assert run(capsys, "prepare", "--cluster", config, G1 + "x")[0] == 0


def test_backup_mode_set_get_clear(capsys, config):
    doc = run_json(capsys, "backup-mode", "set", "Volume1", G1.lower(), "--delay", "60",
                   "--cluster", config)
    assert [d["backup_state"] for d in doc] == ["IN_PROGRESS", "IN_PROGRESS"]
    assert states(config) == {"Volume1": "IN_PROGRESS", "Volume2": "NONE"}
    code, out, _ = run(capsys, "backup-mode", "get", "Volume1", "Cluster Disk 2",
                       "--cluster", config)
    assert code == 0 and "IN_PROGRESS" in out and "NONE" in out
    run_json(capsys, "backup-mode", "clear", "Volume1", "--cluster", config)
    assert states(config) == {"Volume1": "NONE", "Volume2": "NONE"}


def test_backup_mode_wait_is_cleared_by_ctrl_c(config):
    env = {**os.environ, "CSVBACKUP_CLUSTER": config}
    proc = subprocess.Popen([sys.executable, "-m", "csvbackup", "backup-mode", "set", "Volume2",
                             "--delay", "600", "--wait"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stderr.readline()  # written once the mode is held
        assert "Ctrl-C" in line
        assert states(config)["Volume2"] == "IN_PROGRESS"
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert states(config)["Volume2"] == "NONE"


def test_properties_get_and_set(capsys, config):
    assert run_json(capsys, "properties", "get", "BackupInProgress",
                    "--cluster", config) == {"BackupInProgress": 0}
    assert run_json(capsys, "properties", "set", "BackupInProgress=1",
                    "--cluster", config) == {"BackupInProgress": 1}
    doc = run_json(capsys, "properties", "get", "--cluster", config)
    assert doc["BackupInProgress"] == 1 and doc["SharedVolumesRoot"] == "C:\\ClusterStorage"




def test_bad_input_is_one_line_and_exit_2(capsys, config, tmp_path):
    c = ("--cluster", config)
    assert "--delay" in bad(capsys, "backup-mode", "set", "Volume1", *c)
    assert "--delay" in bad(capsys, "backup-mode", "set", "Volume1", "--delay", "0", *c)
    assert "Nope" in bad(capsys, "backup-mode", "get", "Nope", *c)
    assert "outside [0, 1]" in bad(capsys, "properties", "set", "BackupInProgress=7", *c)
    assert "Bogus" in bad(capsys, "properties", "set", "Bogus=1", *c)
    assert "number" in bad(capsys, "properties", "set", "BackupInProgress=yes", *c)
    assert "Bogus" in bad(capsys, "properties", "get", "Bogus", *c)
    assert "missing.toml" in bad(capsys, "volumes", "--cluster", tmp_path / "missing.toml")
    assert "sim init" in bad(capsys, "sim", "init", "")
    assert states(config) == {"Volume1": "NONE", "Volume2": "NONE"}
