"""Bad cluster.toml files: every string that reaches C is checked for NULs, each error names
the file and the key, and no input escapes as another exception (RecursionError, ValueError)."""
import pytest

import csvbackup as cb
import sim_cluster


@pytest.fixture
def config(tmp_path):
    return sim_cluster.write_config(tmp_path)


@pytest.mark.parametrize("old, new, key", [
    ("[cluster]\n", '[cluster]\nstate_file = "clu\\u0000ster.state"\n', "cluster.state_file"),
    ('local_dir = "v31"', 'local_dir = "v3\\u00001"', "shared_volume[0].local_dir"),
    ('nodes = ["NODE1", "NODE2"]', 'nodes = ["NODE1", "NO\\u0000DE2"]', "cluster.nodes[1]"),
    ('name = "TESTCLUSTER"', 'name = "TEST\\u0000CLUSTER"', "cluster.name"),
    ('resource = "Cluster Disk 31"', 'resource = "Cluster\\u0000Disk 31"',
     "shared_volume[0].resource"),
])
def test_a_nul_in_a_string_names_the_key(config, old, new, key):
    config.write_text(config.read_text().replace(old, new, 1))
    with pytest.raises(cb.InvalidParameterError, match="contains a NUL character") as e:
        cb.simulator.load_config(config)
    assert f"{config}: {key}: " in str(e.value)


@pytest.mark.parametrize("value, key, what", [
    ("volume_offset = -1", "volume_offset", "-1 is not a ULARGE_INTEGER"),
    ("volume_offset = 18446744073709551616", "volume_offset", "18446744073709551616 is not a ULARGE_INTEGER"),
    ("partition_number = -1", "partition_number", "-1 is not a DWORD"),
    ("partition_number = 4294967296", "partition_number", "4294967296 is not a DWORD"),
])
def test_numbers_out_of_range_name_their_own_key(config, value, key, what):
    config.write_text(config.read_text().replace('local_dir = "v31"',
                                                 f'local_dir = "v31"\n{value}', 1))
    with pytest.raises(cb.InvalidParameterError, match=f"shared_volume\\[0\\].{key}: {what}"):
        cb.simulator.load_config(config)


@pytest.mark.parametrize("depth", [1_000, 50_000])
def test_deeply_nested_toml_is_a_parameter_error(config, depth):
    config.write_text("a = " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(cb.InvalidParameterError, match=f"{config}: ") as e:
        cb.simulator.load_config(config)
    assert "nested too deeply" in str(e.value) or "unknown table" in str(e.value)
