"""The CSV path functions on the simulated cluster: every example of
docs/reference/cluster-formats.md section 7, ClusterPrepareSharedVolumeForBackup's buffer contract
at each boundary, bad paths, and a hypothesis comparison with the plain-Python resolver in
cluster_oracle.py."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cluster_oracle
import csvbackup as cb
import sim_cluster
from sim_cluster import SYSTEM_GUID, VOLUME1_GUID, VOLUME31_GUID

pytestmark = pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR, reason="simulator not built")

V31 = "C:\\ClusterStorage\\Volume31\\"
DEVICES = ["\\Device\\HarddiskVolume1", "\\Device\\Harddisk0\\Partition1"]




# --- docs/reference/cluster-formats.md section 7: ClusterGetVolumePathName (MSDOC-A examples) ---

@pytest.mark.parametrize("path, expected", [
    ("C:\\ClusterStorage\\Volume31\\Filename.Ext", "C:\\ClusterStorage\\Volume31\\"),
    ("\\\\?\\C:\\ClusterStorage\\Volume31\\Filename.Ext", "\\\\?\\C:\\ClusterStorage\\Volume31\\"),
    ("C:\\ClusterStorage\\Volume31\\Path\\that\\does\\not\\exist", "C:\\ClusterStorage\\Volume31\\"),
    ("\\\\?\\GLOBALROOT\\Device\\Harddisk0\\Partition1\\ClusterStorage\\Volume31\\Filename.Ext",
     "\\\\?\\GLOBALROOT\\Device\\Harddisk0\\Partition1\\ClusterStorage\\Volume31\\"),
    ("\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1\\ClusterStorage\\Volume31\\Filename.Ext",
     "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1\\ClusterStorage\\Volume31\\"),
])
def test_get_volume_path_name_examples(cluster, path, expected):
    assert cluster.get_volume_path_name(path) == expected
    assert cluster.is_path_on_shared_volume(path)


def test_get_volume_path_name_by_system_volume_guid(tmp_path):
    # the page's example names the *system* volume deadbeef-...: a cluster where it is
    with sim_cluster.open_sim(tmp_path, system_guid=VOLUME31_GUID, volume31_guid=VOLUME1_GUID
                              .replace("1111", "3333")) as c:
        path = VOLUME31_GUID + "ClusterStorage\\Volume31\\Filename.Ext"
        assert c.get_volume_path_name(path) == VOLUME31_GUID + "ClusterStorage\\Volume31\\"


def test_get_volume_path_name_of_empty_path_fails_with_success(cluster):
    assert cb.raw.get_volume_path_name("", 260) == (False, 0, None)


def test_get_volume_path_name_buffer(cluster):
    path = V31 + "a.txt"
    n = len(V31)
    assert cb.raw.get_volume_path_name(path, n + 1) == (True, 0, V31)
    # one character short: the path without its final backslash (GetVolumePathNameW's rule)
    assert cb.raw.get_volume_path_name(path, n) == (True, 0, V31[:-1])
    assert cb.raw.get_volume_path_name(path, n - 1) == (False, 206, None)
    assert cb.raw.get_volume_path_name(path, 0) == (False, 87, None)


def test_path_forms(cluster):
    assert cluster.get_volume_path_name("c:/clusterstorage/VOLUME31/a/b") == "c:\\ClusterStorage\\Volume31\\"
    assert (cluster.get_volume_path_name("C:\\ClusterStorage\\\\Volume1\\.\\x")
            == "C:\\ClusterStorage\\Volume1\\")
    # Win32 paths resolve "..", extended paths are literal
    assert cluster.get_volume_path_name("C:\\ClusterStorage\\Volume1\\..\\Volume31\\f") == V31
    assert (cluster.get_volume_path_name("\\\\?\\C:\\ClusterStorage\\Volume1\\..\\Volume31\\f")
            == "\\\\?\\C:\\ClusterStorage\\Volume1\\")
    # a CSV named by its own volume GUID path
    assert cluster.get_volume_path_name(VOLUME31_GUID + "dir\\f") == VOLUME31_GUID
    assert cluster.get_volume_path_name(VOLUME31_GUID.upper().replace("VOLUME", "Volume") + "f") \
        == VOLUME31_GUID.upper().replace("VOLUME", "Volume")
    # off the CSVs: the system volume's root
    assert cluster.get_volume_path_name("C:\\Windows\\notepad.exe") == "C:\\"
    assert cluster.get_volume_path_name("C:\\ClusterStorage\\Volume99\\f") == "C:\\"
    assert not cluster.is_path_on_shared_volume("C:\\Windows\\notepad.exe")


# --- docs/reference/cluster-formats.md section 7: ClusterGetVolumeNameForVolumeMountPoint ---

@pytest.mark.parametrize("mount_point, expected", [
    (V31, VOLUME31_GUID),
    ("\\\\?\\C:\\ClusterStorage\\Volume31\\Filename.Ext", cb.InvalidParameterError),
    ("C:\\ClusterStorage\\Volume31\\File\\that\\does\\not\\exist", cb.InvalidNameError),
    ("C:\\ClusterStorage\\Volume31\\Directory\\that\\does\\not\\exist\\", cb.InvalidNameError),
    (VOLUME31_GUID, VOLUME31_GUID),
    (SYSTEM_GUID + "ClusterStorage\\Volume31\\", VOLUME31_GUID),
    ("\\\\?\\GLOBALROOT\\Device\\Harddisk0\\Partition1\\ClusterStorage\\Volume31\\", VOLUME31_GUID),
    ("\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1\\ClusterStorage\\Volume31\\", VOLUME31_GUID),
    ("C:\\", SYSTEM_GUID),
])
def test_get_volume_name_examples(cluster, mount_point, expected):
    if isinstance(expected, str):
        assert cluster.get_volume_name_for_mount_point(mount_point) == expected
    else:
        with pytest.raises(expected):
            cluster.get_volume_name_for_mount_point(mount_point)


def test_get_volume_name_not_local_and_not_mount_point(cluster):
    cluster.set_resource_online("Cluster Disk 31", False)
    with pytest.raises(cb.VolumeNotLocalError) as e:
        cluster.get_volume_name_for_mount_point(V31)
    assert e.value.winerror == 5951
    # an existing directory that is no mount point: ERROR_NOT_A_REPARSE_POINT (Wine's tests)
    assert cb.raw.get_volume_name_for_mount_point(V31 + "Existing\\Dir\\", 50) == (False, 4390, None)
    # the real folder is "Existing": mount points compare by case
    assert cb.raw.get_volume_name_for_mount_point(V31 + "existing\\", 50)[1] == 123


def test_get_volume_name_buffer(cluster):
    assert cb.raw.get_volume_name_for_mount_point(V31, 50) == (True, 0, VOLUME31_GUID)
    assert cb.raw.get_volume_name_for_mount_point(V31, 49) == (False, 206, None)
    assert cb.raw.get_volume_name_for_mount_point(V31, 0) == (False, 87, None)


# --- ClusterPrepareSharedVolumeForBackup ---

@pytest.mark.parametrize("c1", [0, 1, 27, 28, 29, 260])
@pytest.mark.parametrize("c2", [0, 49, 50, 51])
def test_prepare_more_data_at_each_boundary(cluster, c1, c2):
    status, vp, n1, vn, n2 = cb.raw.prepare_shared_volume_for_backup(V31 + "vm\\disk.vhdx", c1, c2)
    # the sizes count the NUL: 27 + 1 and 49 + 1, on ERROR_MORE_DATA and on success alike
    assert (n1, n2) == (28, 50)
    if c1 >= 28 and c2 >= 50:
        assert (status, vp, vn) == (0, V31, VOLUME31_GUID)
    else:
        assert (status, vp, vn) == (234, None, None)


def test_prepare_facade_and_modern_behaviour(cluster):
    p = cluster.prepare_shared_volume_for_backup("\\\\?\\c:\\clusterstorage\\volume1\\x")
    assert p == cb.PreparedVolume("\\\\?\\c:\\ClusterStorage\\Volume1\\", VOLUME1_GUID)
    # modern Windows: Prepare only resolves names
    assert cluster.backup_state("Volume1") == cb.BackupState.NONE


@pytest.mark.parametrize("path, error", [
    ("", cb.InvalidParameterError),
    ("relative\\path", cb.InvalidParameterError),
    ("C:relative", cb.InvalidParameterError),
    ("\\rooted\\no\\drive", cb.InvalidParameterError),
    ("C:\\Windows\\System32\\x", cb.InvalidParameterError),
    ("D:\\ClusterStorage\\Volume31\\x", cb.InvalidParameterError),
    ("\\\\server\\share\\x", cb.InvalidParameterError),
    ("\\\\?\\Volume{00000000-0000-0000-0000-00000000dead}\\x", cb.InvalidParameterError),
    ("\\\\?\\Volume{not-a-guid}\\x", cb.InvalidNameError),
    ("\\\\?\\Volume{deadbeef-895e-4a1d-9d64-9b82fa068d7}\\x", cb.InvalidNameError),
    ("C:\\ClusterStorage\\Volume31\\bad|name", cb.InvalidNameError),
    ("C:\\ClusterStorage\\Volume31\\a\0b", cb.InvalidParameterError),
    ("C:\\ClusterStorage\\Volume31\\" + "a" * 32767, cb.FilenameTooLongError),
])
def test_prepare_bad_paths(cluster, path, error):
    with pytest.raises(error) as e:
        cluster.prepare_shared_volume_for_backup(path)
    assert isinstance(e.value, cb.Win32Error) and e.value.winerror == error.default_winerror


def test_prepare_longest_path_is_accepted(cluster):
    path = V31 + "\\".join(["d" * 200] * 200)
    path = path[:32767]
    assert cluster.prepare_shared_volume_for_backup(path).volume_path == V31
    assert cluster.get_volume_path_name(path) == V31


def test_prepare_offline_volume(cluster):
    cluster.set_resource_online("Cluster Disk 1", False)
    with pytest.raises(cb.VolumeNotLocalError):
        cluster.prepare_shared_volume_for_backup("C:\\ClusterStorage\\Volume1\\x")


def test_prepare_type_errors(cluster):
    with pytest.raises(TypeError):
        cluster.prepare_shared_volume_for_backup(b"C:\\x")
    with pytest.raises(TypeError):
        cluster.prepare_shared_volume_for_backup(None)


# --- ClusterClearBackupStateForSharedVolume ---

@pytest.mark.parametrize("volume_path", [V31, V31[:-1], VOLUME31_GUID, "c:/clusterstorage/volume31/"])
def test_clear_takes_the_volume_path(cluster, volume_path):
    cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, 60)
    cluster.clear_backup_state(volume_path)
    assert cluster.backup_state("Volume31") == cb.BackupState.NONE


@pytest.mark.parametrize("volume_path", ["", "C:\\", "C:\\Windows", V31 + "file.txt", "relative"])
def test_clear_rejects_other_paths(cluster, volume_path):
    with pytest.raises(cb.InvalidParameterError):
        cluster.clear_backup_state(volume_path)


# --- ClusterIsPathOnSharedVolume: domain account or owning node (MSDOC-A) ---

def test_is_path_on_shared_volume_local_account(tmp_path):
    with sim_cluster.open_sim(tmp_path, domain_account=False, local_node="NODE1") as c:
        assert c.is_path_on_shared_volume(V31 + "x")                    # NODE1 owns Volume31
        assert not c.is_path_on_shared_volume("C:\\ClusterStorage\\Volume1\\x")  # NODE2 owns it
        assert not c.is_path_on_shared_volume("")


# --- the resolver against the plain-Python oracle ---

PREFIXES = ["C:", "c:", "D:", "\\\\?\\C:", "\\\\?\\c:", "//?/C:", "\\\\.\\C:", SYSTEM_GUID[:-1],
            VOLUME31_GUID[:-1], VOLUME31_GUID[:-1].upper(), VOLUME1_GUID[:-1],
            "\\\\?\\Volume{12345678-1234-1234-1234-123456789abc}", "\\\\?\\Volume{xyz}",
            "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1", "\\\\?\\globalroot\\device\\harddisk0\\partition1",
            "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume2", "\\\\?\\UNC\\srv\\share", "\\\\srv\\share",
            "", "rel", "C"]
COMPONENTS = ["ClusterStorage", "clusterSTORAGE", "Volume31", "VOLUME1", "Volume2", ".", "..",
              "", "a", "file.txt", "b*", "x:y", "\u00e9t\u00e9", "\ud800", "dir with space"]


@given(st.sampled_from(PREFIXES),
       st.lists(st.tuples(st.sampled_from(["\\", "/", "\\\\"]), st.sampled_from(COMPONENTS)),
                max_size=7),
       st.booleans())
def test_resolver_matches_oracle(sim_config, prefix, parts, trailing):
    path = prefix + "".join(s + c for s, c in parts) + ("\\" if trailing else "")
    with cb.open_cluster(sim_config) as cluster:
        root = str(cluster.get_common_properties()["SharedVolumesRoot"].value)
        err, csv, volume_path, _ = cluster_oracle.resolve(
            path, system_volume=SYSTEM_GUID, devices=DEVICES, root=root,
            csvs=[("Volume31", VOLUME31_GUID), ("Volume1", VOLUME1_GUID)])
        ok, got_err, got = cb.raw.get_volume_path_name(path, 1024)
        if path == "":
            assert (ok, got_err) == (False, 0)
        elif err:
            assert (ok, got_err) == (False, err), path
        else:
            assert (ok, got) == (True, volume_path), path
        assert cluster.is_path_on_shared_volume(path) == (err == 0 and csv is not None)
