"""pytest-benchmark suite of the cluster calls on the simulated cluster (bench/cluster_report.py
prints the same calls against their I/O floors)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

import csvbackup as cb  # noqa: E402
import sim_cluster  # noqa: E402

V31 = "C:\\ClusterStorage\\Volume31\\"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with sim_cluster.open_sim(tmp_path_factory.mktemp("bench")) as c:
        yield c


def test_prepare(benchmark, cluster):
    assert benchmark(cb.raw.prepare_shared_volume_for_backup, V31 + "vm.vhdx", 260, 50)[0] == 0


def test_get_common_properties(benchmark, cluster):
    assert "BackupInProgress" in benchmark(cluster.get_common_properties)


def test_set_backup_mode(benchmark, cluster):
    mode = cb.SharedVolumeBackupMode(cb.BackupState.IN_PROGRESS, 600, "Volume31").to_bytes()
    code = cb.controls.CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE
    assert benchmark(cb.raw.resource_control, cluster, "Cluster Disk 31", code, mode, 0)[0] == 0


def test_backup_state(benchmark, cluster):
    assert benchmark(cluster.backup_state, "Volume31") in (cb.BackupState.NONE, cb.BackupState.IN_PROGRESS)
