"""One rule for equal names and paths in every layer: the simple uppercase of each UTF-16 code
unit (csvb_fold_unit, include/csvbackup/filespec.h), as NTFS's upcase table compares names.

The same non-ASCII names go to the simulator's C (path resolution, OpenClusterResource, the
backup-mode name check), to Cluster's volume lookup in Python and to VolumeMap; each must
answer what the plain-Python oracle of tests/filespec_oracle.py says. Full Unicode case
mapping (Python's str.upper: 'ß' -> 'SS', 𐐨 -> 𐐀) is not the rule."""
import pytest

import csvbackup as cb
import filespec_oracle as oracle

# (name of a CSV, spellings to look it up by); every name folds differently from the others
NAMES = {
    "Straße": ["STRAßE", "straße", "STRASSE", "strasse", "STRAẞE"],
    "Été": ["ÉTÉ", "été", "ETE", "Ete"],
    "İzmir": ["İZMIR", "İZMİR", "izmir", "IZMIR", "i\u0307zmir"],
    "ſun": ["SUN", "sun", "ſUN"],
    "σοφός": ["ΣΟΦΌΣ", "σοφόσ", "ςοφός", "ΣΟΦΟΣ"],
    "𐐨𐐩": ["𐐨𐐩", "𐐀𐐁", "𐐨𐐁"],
    "Дом": ["ДОМ", "дом", "дОм", "ДOМ"],  # the last one's O is Latin
    "ıx": ["IX", "ix", "ıX", "İX"],
}
ROOT = "C:\\ClusterStorage"
QUERIES = [(name, q) for name, spellings in NAMES.items() for q in spellings]


def same(a, b):
    return oracle.fold(oracle.units(a)) == oracle.fold(oracle.units(b))


def expected(query):
    """The CSV `query` names by the oracle, or None."""
    hits = [n for n in NAMES if same(query, n)]
    assert len(hits) <= 1
    return hits[0] if hits else None


def test_the_queries_cover_both_answers():
    assert {expected(q) is None for _, q in QUERIES} == {True, False}
    assert all(expected(name) == name for name in NAMES)
    # full case mapping would get these wrong
    assert "STRASSE" == "Straße".upper() and expected("STRASSE") is None
    assert "𐐀𐐁" == "𐐨𐐩".upper() and expected("𐐀𐐁") is None


@pytest.fixture(scope="module")
def folding_cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("folding")
    volumes = "".join(f"""
[[shared_volume]]
resource = "Disk {name}"
name = "{name}"
volume_guid_path = '\\\\?\\Volume{{{k:08x}-0000-4000-8000-000000000000}}\\'
""" for k, name in enumerate(NAMES, 1))
    config = tmp / "cluster.toml"
    config.write_text(f"""[cluster]
name = "FOLDING"
nodes = ["NODE1"]
shared_volumes_root = '{ROOT}'
fsync = false
{volumes}""", encoding="utf-8")
    with cb.open_cluster(config, reset=True) as c:
        yield c


@pytest.mark.parametrize("name, query", QUERIES)
def test_every_layer_agrees_with_the_oracle(folding_cluster, name, query):
    c = folding_cluster
    want = expected(query)
    path = f"{ROOT}\\{query}\\dir\\file.txt"

    # the simulator (C): resolving a path, opening a resource by name
    mount = c.get_volume_path_name(path)
    assert mount == (f"{ROOT}\\{want}\\" if want else "C:\\")
    try:
        by_resource = c.volume_info(f"Disk {query}")[0].friendly_name
    except cb.ResourceNotFoundError:
        by_resource = None
    assert by_resource == want

    # ...and the name a backup-mode record gives for this CSV
    mode = cb.SharedVolumeBackupMode(cb.BackupState.NONE, 0, query).to_bytes()
    try:
        c.resource_control(f"Disk {name}",
                           cb.controls.CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, mode)
        accepted = True
    except cb.InvalidParameterError:
        accepted = False
    assert accepted == (want == name)

    # Cluster's volume lookup (Python, through the core's canonical form)
    for key in (query, f"Disk {query}", f"{ROOT}\\{query}\\"):
        try:
            found = c.backup_state(key) is not None and c._volume(key).name
        except cb.ResourceNotFoundError:
            found = None
        assert found == want, key

    # VolumeMap (the C mount map)
    volumes = c.shared_volumes()
    index = cb.VolumeMap(volumes).lookup([path])[0]
    assert (volumes[index].name if index >= 0 else None) == want


def test_fold_name_is_the_oracle():
    for _, q in QUERIES:
        assert oracle.units(cb._csvcore.fold_name(q)) == oracle.fold(oracle.units(q))
