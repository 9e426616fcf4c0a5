"""The cluster facade on the simulated cluster: enumeration, control codes and their buffer
contract, CSV backup mode and its delay timer, the 2008 R2 behaviour, cluster common
properties, backup_session, configuration errors and state-file errors."""
import os
import struct

import pytest

import csvbackup as cb
import sim_cluster
from sim_cluster import VOLUME1_GUID, VOLUME31_GUID

pytestmark = pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR, reason="simulator not built")

V31 = "C:\\ClusterStorage\\Volume31\\"
C = cb.controls




# --- enumeration and resources ---

def test_topology(cluster):
    assert cluster.backend == "simulator"
    assert cluster.nodes() == ["NODE1", "NODE2"]
    assert cluster.resources() == ["Cluster Disk 31", "Cluster Disk 1", "Cluster IP Address"]
    assert cluster.shared_volumes() == [
        cb.SharedVolume("Volume31", V31, VOLUME31_GUID, "Cluster Disk 31", "NODE1", cb.BackupState.NONE),
        cb.SharedVolume("Volume1", "C:\\ClusterStorage\\Volume1\\", VOLUME1_GUID, "Cluster Disk 1",
                        "NODE2", cb.BackupState.NONE)]
    assert cluster.resource_state("cluster ip address") == cb.ResourceState(2, "NODE1", "Cluster Group")


def test_open_by_name(tmp_path):
    config = sim_cluster.write_config(tmp_path)
    for name in ("TESTCLUSTER", "testcluster", "NODE2"):
        with cb.open_cluster(config, name=name) as c:
            assert c.nodes()
    with pytest.raises(cb.ClusterUnavailableError) as e:
        cb.open_cluster(config, name="OTHERCLUSTER")
    assert e.value.winerror == 1722


def test_environment_variable_picks_the_cluster(tmp_path, monkeypatch):
    monkeypatch.setenv("CSVBACKUP_CLUSTER", str(sim_cluster.write_config(tmp_path)))
    with cb.open_cluster() as c:
        assert c.config.name == "TESTCLUSTER"


def test_closed_handles(tmp_path):
    c = sim_cluster.open_sim(tmp_path)
    c.close()
    c.close()
    assert c.closed
    with pytest.raises(ValueError, match="closed"):
        c.nodes()


def test_unknown_resource_and_volume(cluster):
    with pytest.raises(cb.ResourceNotFoundError) as e:
        cluster.resource_state("No Such Disk")
    assert e.value.winerror == 5007 and isinstance(e.value, LookupError)
    with pytest.raises(cb.ResourceNotFoundError):
        cluster.backup_state("Volume99")
    with pytest.raises(TypeError):
        cluster.backup_state(31)


# --- control codes ---

def test_volume_info_buffer_contract(cluster):
    code = C.CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO
    assert cb.raw.resource_control(cluster, "Cluster Disk 31", code, None, 0) == (234, b"", 652)
    assert cb.raw.resource_control(cluster, "Cluster Disk 31", code, None, 651)[::2] == (234, 652)
    status, out, n = cb.raw.resource_control(cluster, "Cluster Disk 31", code, None, 652)
    assert (status, n) == (0, 652)
    syntax, length = struct.unpack_from("<II", out)
    assert (syntax, length) == (cb.Syntax.LIST_VALUE_BINARY, 640) and out[-4:] == b"\0\0\0\0"
    assert cluster.volume_info("Cluster Disk 31") == [
        cb.CsvVolumeInfo(1048576, 2, 0, cb.BackupState.NONE, "Volume31", VOLUME31_GUID)]
    assert cluster.resource_control("Cluster Disk 31", code) == out[:652]


def test_csv_codes_on_other_resources(cluster):
    mode = cb.SharedVolumeBackupMode(cb.BackupState.IN_PROGRESS, 60, "Volume31").to_bytes()
    with pytest.raises(cb.InvalidFunctionError) as e:
        cluster.resource_control("Cluster IP Address", C.CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, mode)
    assert e.value.winerror == 1
    with pytest.raises(cb.InvalidFunctionError):
        cluster.resource_control("Cluster Disk 31", C.CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES)
    cluster.shared_volumes()
    cluster.set_resource_online("Cluster Disk 31", False)
    # offline: listed with the names seen while online, state NONE
    assert cluster.shared_volumes()[0] == cb.SharedVolume(
        "Volume31", V31, VOLUME31_GUID, "Cluster Disk 31", "NODE1", cb.BackupState.NONE, False)
    assert not cluster.resource_state("Cluster Disk 31").online
    with pytest.raises(cb.ResourceNotOnlineError) as e:
        cluster.resource_control("Cluster Disk 31", C.CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, mode)
    assert e.value.winerror == 5004
    with pytest.raises(cb.ResourceNotOnlineError):
        cluster.backup_state("Volume31")


@pytest.mark.parametrize("mutate, status", [
    (lambda b: b[:527], 87),                                     # truncated
    (lambda b: struct.pack("<I", 2) + b[4:], 87),                # state 2
    (lambda b: b[:4] + struct.pack("<I", 0) + b[8:], 87),        # IN_PROGRESS without delay
    (lambda b: b[:8] + "Volume1".encode("utf-16-le") + b[22:], 87),  # another CSV's name
    (lambda b: None, 1783),                                      # no input buffer
])
def test_set_backup_mode_bad_structures(cluster, mutate, status):
    good = cb.SharedVolumeBackupMode(cb.BackupState.IN_PROGRESS, 60, "Volume31").to_bytes()
    code = C.CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE
    assert cb.raw.resource_control(cluster, "Cluster Disk 31", code, mutate(good), 0)[0] == status
    assert cluster.backup_state("Volume31") == cb.BackupState.NONE


def test_backup_mode_by_guid_path_name(cluster):
    mode = cb.SharedVolumeBackupMode(cb.BackupState.IN_PROGRESS, 60, VOLUME31_GUID.upper()
                                     .replace("\\\\?\\VOLUME", "\\\\?\\Volume")).to_bytes()
    cluster.resource_control("Cluster Disk 31", C.CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, mode)
    assert cluster.backup_state(VOLUME31_GUID) == cb.BackupState.IN_PROGRESS


def test_shared_volume_id(cluster):
    rid, offset = cluster.shared_volume_id(V31 + "a.txt").split(":")
    assert len(rid) == 36 and offset == "1048576"
    with pytest.raises(cb.NotSharedVolumeError) as e:
        cluster.shared_volume_id("C:\\Windows")
    assert e.value.winerror == 5945
    assert cb.raw.cluster_control(cluster, C.CLUSCTL_CLUSTER_GET_SHARED_VOLUME_ID,
                                  "C:\\x".encode("utf-16-le"), 0)[0] == 87  # no NUL


# --- backup mode, timers, behaviours ---

def test_delay_timer_lapses_lazily(cluster, clock):
    cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, delay_timer_secs=600)
    assert cluster.backup_state("Volume31") == cb.BackupState.IN_PROGRESS
    assert cluster.backup_state("Volume1") == cb.BackupState.NONE
    clock(599.9999999)
    assert cluster.backup_state("Volume31") == cb.BackupState.IN_PROGRESS
    clock(0.0000001)
    assert cluster.backup_state("Volume31") == cb.BackupState.NONE
    # a new IN_PROGRESS restarts the timer; NONE ends it at once
    cluster.set_backup_mode(V31, cb.BackupState.IN_PROGRESS, delay_timer_secs=5)
    clock(4)
    cluster.set_backup_mode("Cluster Disk 31", cb.BackupState.IN_PROGRESS, delay_timer_secs=5)
    clock(4)
    assert cluster.backup_state("Volume31") == cb.BackupState.IN_PROGRESS
    cluster.set_backup_mode("Volume31", cb.BackupState.NONE)
    assert cluster.backup_state("Volume31") == cb.BackupState.NONE


def test_backup_mode_rules(cluster):
    with pytest.raises(cb.InvalidParameterError):
        cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, 0)
    with pytest.raises(cb.InvalidParameterError):
        cluster.set_backup_mode("Volume31", cb.BackupState.NONE, 5)
    with pytest.raises(ValueError):
        cluster.set_backup_mode("Volume31", 2, 5)


def test_2008r2_prepare_and_stale_timeout(tmp_path, clock):
    with sim_cluster.open_sim(tmp_path, behaviour="2008r2") as c:
        c.prepare_shared_volume_for_backup(V31 + "vm.vhdx")
        assert c.backup_state("Volume31") == cb.BackupState.IN_PROGRESS
        info = c.volume_info("Cluster Disk 31")[0]
        assert info.fault_state == 1  # VolumeStateNoDirectIO: 2008 R2 disables direct I/O
        clock(30 * 60 - 1)
        assert c.backup_state("Volume31") == cb.BackupState.IN_PROGRESS
        clock(1)  # docs/reference/cluster-formats.md section 4.3: cleared after 30 minutes
        assert c.backup_state("Volume31") == cb.BackupState.NONE
        c.prepare_shared_volume_for_backup(V31 + "vm.vhdx")
        c.clear_backup_state(V31)  # at once
        assert c.backup_state("Volume31") == cb.BackupState.NONE
        assert c.volume_info("Cluster Disk 31")[0].fault_state == 0


# --- backup_session ---

def test_backup_session_clears_on_exit_error_and_interrupt(cluster):
    with cluster.backup_session(["Volume31", "Volume1"], delay_timer_secs=600) as vols:
        assert [v.name for v in vols] == ["Volume31", "Volume1"]
        assert {v.state for v in cluster.shared_volumes()} == {cb.BackupState.IN_PROGRESS}
    assert {v.state for v in cluster.shared_volumes()} == {cb.BackupState.NONE}
    for exc in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(exc)):
            with cluster.backup_session("Volume31"):
                assert cluster.backup_state("Volume31") == cb.BackupState.IN_PROGRESS
                raise exc
        assert cluster.backup_state("Volume31") == cb.BackupState.NONE


def test_backup_session_undoes_a_partial_start(cluster):
    cluster.set_resource_online("Cluster Disk 1", False)
    with pytest.raises(cb.ResourceNotOnlineError):
        with cluster.backup_session([V31, "Cluster Disk 1"]):
            pytest.fail("the session must not start")
    assert cluster.backup_state("Volume31") == cb.BackupState.NONE
    with pytest.raises(cb.InvalidParameterError):
        with cluster.backup_session("Volume31", delay_timer_secs=0):
            pass


# --- cluster common properties ---

def test_common_properties(cluster):
    pl = cluster.get_common_properties()
    assert dict(pl.to_dict()) == {"Description": "", "BackupInProgress": 0,
                                  "SharedVolumesRoot": "C:\\ClusterStorage"}
    # servers send the list-level ENDMARK (docs/reference/cluster-formats.md section 1.3)
    assert pl.endmark
    cluster.set_common_properties({"backupinprogress": cb.Dword(1), "Description": "nightly"})
    assert cluster.get_common_properties().to_dict()["BackupInProgress"] == 1
    assert cluster.get_common_properties().to_dict()["Description"] == "nightly"
    assert cb.CLUSTER_COMMON_PROPERTIES.parse(cluster.get_common_properties().to_bytes())


@pytest.mark.parametrize("props, error", [
    ({"NoSuchProperty": cb.Dword(1)}, cb.InvalidParameterError),
    ({"BackupInProgress": cb.Dword(2)}, cb.InvalidDataError),
    ({"BackupInProgress": "1"}, cb.PropertyTypeMismatchError),
    ({"Description": "x" * 260}, cb.InvalidDataError),
    ({"SharedVolumesRoot": "D:\\Storage"}, cb.InvalidDataError),
    ({"SharedVolumesRoot": "C:\\Storage\\"}, cb.InvalidDataError),
])
def test_common_properties_rejected(cluster, props, error):
    before = cluster.get_common_properties()
    with pytest.raises(error):
        cluster.validate_common_properties(props)
    with pytest.raises(error):
        cluster.set_common_properties(props)
    assert cluster.get_common_properties() == before


def test_common_properties_malformed_list(cluster):
    code = C.CLUSCTL_CLUSTER_SET_COMMON_PROPERTIES
    good = cb.PropertyList({"BackupInProgress": cb.Dword(1)}).to_bytes()
    assert cb.raw.cluster_control(cluster, code, good[:-8], 0)[0] == 87
    assert cb.raw.cluster_control(cluster, code, None, 0)[0] == 1783
    assert cb.raw.cluster_control(cluster, code, good, 0)[0] == 0
    assert cb.raw.cluster_control(cluster, 0x07000999, None, 0)[0] == 1


def test_moving_shared_volumes_root_moves_the_mount_points(cluster):
    cluster.set_common_properties({"SharedVolumesRoot": "C:\\CSV\\Root"})
    assert cluster.shared_volumes()[0].path == "C:\\CSV\\Root\\Volume31\\"
    assert cluster.get_volume_path_name("C:\\CSV\\Root\\Volume31\\f") == "C:\\CSV\\Root\\Volume31\\"
    assert not cluster.is_path_on_shared_volume(V31 + "f")


# --- configuration and state file ---

def test_sim_init_example(tmp_path):
    config = cb.simulator.init(tmp_path / "sim")
    with cb.open_cluster(config) as c:
        vols = c.shared_volumes()
        assert [v.name for v in vols] == ["Volume1", "Volume2"]
        assert all((c.config.shared_volumes[k].local_dir / "VMs").is_dir() for k in range(2))
    with pytest.raises(FileExistsError):
        cb.simulator.init(tmp_path / "sim")


@pytest.mark.parametrize("edit, key", [
    (lambda t: t.replace('name = "TESTCLUSTER"', 'name = "BAD|NAME"'), "cluster.name"),
    (lambda t: t.replace('behaviour = "modern"', 'behaviour = "2019"'), "cluster.behaviour"),
    (lambda t: t.replace('local_node = "NODE1"', 'local_node = "NODE9"'), "cluster.local_node"),
    (lambda t: t.replace("{11111111-", "{1111111-"), "shared_volume[1].volume_guid_path"),
    (lambda t: t.replace('name = "Volume1"', 'name = "Volume31"'), "shared_volume[1].name"),
    (lambda t: t.replace('owner_node = "NODE2"', 'owner_node = 2'), "shared_volume[1].owner_node"),
    (lambda t: t + "\n[[shared_volume]]\nresource = \"x\"\n", "shared_volume[2].name"),
    (lambda t: t + "\nbogus = 1\n", "resource[0].bogus"),
    (lambda t: t.replace("[cluster]", "[clusterr]"), "clusterr"),
    (lambda t: t + "\n[[[\n", "not valid TOML"),
])
def test_config_errors_name_file_and_key(tmp_path, edit, key):
    config = sim_cluster.write_config(tmp_path)
    config.write_text(edit(config.read_text()))
    with pytest.raises(cb.InvalidParameterError) as e:
        cb.open_cluster(config)
    assert str(config) in str(e.value) and key in str(e.value)


def test_state_file_from_another_config_is_refused(tmp_path):
    config = sim_cluster.write_config(tmp_path)
    cb.open_cluster(config).close()
    config.write_text(config.read_text().replace('"NODE1", "NODE2"', '"NODE1", "NODE2", "NODE3"'))
    with pytest.raises(cb.InvalidDataError, match="different configuration"):
        cb.open_cluster(config)
    cb.open_cluster(config, reset=True).close()


def test_truncated_state_file_is_reported_not_reset(cluster):
    state = cluster.config.state_file
    data = state.read_bytes()
    state.write_bytes(data[:1000])
    with pytest.raises(cb.StateFileError) as e:
        cluster.backup_state("Volume31")
    assert str(state) in str(e.value) and e.value.path == state and e.value.winerror == 1392
    with pytest.raises(cb.StateFileError):
        cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, 5)
    assert state.read_bytes() == data[:1000]


def test_default_cluster_is_created_on_first_use(tmp_path, monkeypatch):
    monkeypatch.delenv("CSVBACKUP_CLUSTER", raising=False)
    monkeypatch.setenv("CSVBACKUP_HOME", str(tmp_path / "home"))
    with cb.open_cluster() as c:
        assert c.backend == "simulator" and c.config.path == tmp_path / "home" / "cluster.toml"
        assert len(c.shared_volumes()) == 2
    assert os.path.exists(tmp_path / "home" / "cluster.state")


def test_state_file_format(cluster):
    """Header per src/clussim/clussim.h: magic, version 1, size, CRC-32 (zlib's) of the file
    with the CRC field zeroed, counts; the size is the header + cluster + one record per
    resource, as written."""
    import zlib
    data = cluster.config.state_file.read_bytes()
    magic, version, size, crc, flags, nodes, resources = struct.unpack_from("<8s6I", data)
    assert (magic, version, size, nodes, resources) == (b"CSVBSIM\0", 1, len(data), 2, 3)
    assert crc == zlib.crc32(data[:16] + b"\0\0\0\0" + data[20:])
    gen = cb.simulator.state(cluster.config)["generation"]
    cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, 60)
    assert cb.simulator.state(cluster.config)["generation"] == gen + 1
