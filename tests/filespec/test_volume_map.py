r"""VolumeMap: path -> CSV index, longest mount point first, over every path form."""
import numpy as np
import pytest

import csvbackup as cb
from sim_cluster import open_sim

pa = pytest.importorskip("pyarrow")

G1 = "\\\\?\\Volume{deadbeef-0000-0000-0000-000000000001}\\"
G2 = "\\\\?\\Volume{deadbeef-0000-0000-0000-000000000002}\\"
VOLUMES = [(r"C:\ClusterStorage\Volume1", G1), (r"C:\ClusterStorage\Volume1\Nested", G2),
           (r"C:\ClusterStorage\Volume10", None)]

CASES = [
    (r"C:\ClusterStorage\Volume1\a\b.txt", 0),
    (r"c:/clusterstorage/VOLUME1/a", 0),
    (r"C:\ClusterStorage\Volume1", 0),
    (r"C:\ClusterStorage\Volume1\\", 0),
    (r"\\?\C:\ClusterStorage\Volume1\x", 0),
    (r"C:\ClusterStorage\Volume1\Nested\x", 1),
    (r"C:\ClusterStorage\Volume1\Nestedx\y", 0),
    (r"C:\ClusterStorage\Volume10\x", 2),
    (r"C:\ClusterStorage\Volume100\x", -1),
    (r"C:\ClusterStorage\Volume", -1),
    (r"C:\ClusterStorage", -1),
    (G1 + r"dir\f", 0),
    (G1.lower() + r"dir\f", 0),
    (G1.rstrip("\\"), 0),
    (G2 + "f", 1),
    (r"\\?\Volume{deadbeef-0000-0000-0000-000000000003}\f", -1),
    (r"D:\x", -1),
    ("", -1),
    (None, -1),
    ("C:\\ClusterStorage\\Volume1\\a\0", -1),
]


@pytest.mark.parametrize("make", [list, lambda p: np.array(p, dtype=object), pa.array,
                                  lambda p: pa.array(p, pa.large_string())])
def test_lookup_forms(make):
    vm = cb.VolumeMap(VOLUMES)
    got = vm.lookup(make([p for p, _ in CASES]))
    assert got.dtype == np.int32
    assert got.tolist() == [want for _, want in CASES]


def test_long_paths_and_prefix_only_loading():
    vm = cb.VolumeMap(VOLUMES)
    deep = r"C:\ClusterStorage\Volume1\Nested" + "\\x" * 2000
    bad = deep + "\0"
    assert vm.lookup(pa.array([deep, bad, deep + "\\" + "y" * 40000])).tolist() == [1, -1, -1]


def test_out_and_errors():
    vm = cb.VolumeMap(VOLUMES)
    out = np.full(2, 7, np.int32)
    assert vm.lookup([r"C:\ClusterStorage\Volume10\a", "x"], out=out) is out
    assert out.tolist() == [2, -1]
    with pytest.raises(ValueError):
        vm.lookup(["a"], out=np.empty(2, np.int32))
    with pytest.raises(cb.InvalidParameterError, match=r"volumes\[1\] and volumes\[0\]"):
        cb.VolumeMap([(r"C:\CS\V1", None), (r"c:/cs/v1/", None)])
    with pytest.raises(cb.InvalidParameterError):
        cb.VolumeMap([("\\", None)])
    with pytest.raises(TypeError):
        cb.VolumeMap([42])


def test_from_the_simulated_cluster(tmp_path):
    cluster = open_sim(tmp_path)
    volumes = cluster.shared_volumes()
    vm = cb.VolumeMap(volumes)
    paths = [v.path + r"\data\f.txt" for v in volumes] + [
        v.volume_guid_path + "f" for v in volumes if v.volume_guid_path]
    want = list(range(len(volumes))) + [i for i, v in enumerate(volumes) if v.volume_guid_path]
    assert vm.lookup(paths).tolist() == want
