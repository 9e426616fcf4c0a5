"""Bad cluster.toml files: every string that reaches C is checked for NULs, each error names
the file and the key, and no input escapes as another exception (RecursionError, ValueError)."""
import os

import pytest

import csvbackup as cb
import sim_cluster


@pytest.fixture
def config(tmp_path):
    return sim_cluster.write_config(tmp_path)


def refused(config, old, new, match):
    """The InvalidParameterError load_config raises, matching `match`, once the configuration's
    first `old` is replaced by `new`."""
    config.write_text(config.read_text().replace(old, new, 1))
    with pytest.raises(cb.InvalidParameterError, match=match) as e:
        cb.simulator.load_config(config)
    return e.value


@pytest.mark.parametrize("old, new, key", [
    ("[cluster]\n", '[cluster]\nstate_file = "clu\\u0000ster.state"\n', "cluster.state_file"),
    ('local_dir = "v31"', 'local_dir = "v3\\u00001"', "shared_volume[0].local_dir"),
    ('nodes = ["NODE1", "NODE2"]', 'nodes = ["NODE1", "NO\\u0000DE2"]', "cluster.nodes[1]"),
    ('name = "TESTCLUSTER"', 'name = "TEST\\u0000CLUSTER"', "cluster.name"),
    ('resource = "Cluster Disk 31"', 'resource = "Cluster\\u0000Disk 31"',
     "shared_volume[0].resource"),
])
def test_a_nul_in_a_string_names_the_key(config, old, new, key):
    assert f"{config}: {key}: " in str(refused(config, old, new, "contains a NUL character"))


@pytest.mark.parametrize("value, key, what", [
    ("volume_offset = -1", "volume_offset", "-1 is not a ULARGE_INTEGER"),
    ("volume_offset = 18446744073709551616", "volume_offset", "18446744073709551616 is not a ULARGE_INTEGER"),
    ("partition_number = -1", "partition_number", "-1 is not a DWORD"),
    ("partition_number = 4294967296", "partition_number", "4294967296 is not a DWORD"),
])
def test_numbers_out_of_range_name_their_own_key(config, value, key, what):
    refused(config, 'local_dir = "v31"', f'local_dir = "v31"\n{value}',
            f"shared_volume\\[0\\].{key}: {what}")


@pytest.mark.parametrize("depth", [1_000, 50_000])
def test_deeply_nested_toml_is_a_parameter_error(config, depth):
    config.write_text("a = " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(cb.InvalidParameterError, match=f"{config}: ") as e:
        cb.simulator.load_config(config)
    assert "nested too deeply" in str(e.value) or "unknown table" in str(e.value)


def test_bytes_that_are_not_utf8_are_named_by_offset(config):
    text = config.read_bytes()
    config.write_bytes(text[:10] + b"\xff" + text[10:])
    with pytest.raises(cb.InvalidParameterError, match=f"{config}: byte 10: not UTF-8"):
        cb.simulator.load_config(config)
    config.write_bytes("\ufeff[cluster]\n".encode("utf-16"))
    with pytest.raises(cb.InvalidParameterError, match="byte 0: not UTF-8"):
        cb.simulator.load_config(config)


def test_an_integer_past_python_int_limit_is_a_parameter_error(config):
    config.write_text(config.read_text().replace('local_dir = "v31"',
                                                 'local_dir = "v31"\nvolume_offset = ' + "9" * 5000, 1))
    with pytest.raises(cb.InvalidParameterError, match=f"{config}: not valid TOML"):
        cb.simulator.load_config(config)


@pytest.mark.parametrize("kind", ["missing", "directory", "self-loop"])
def test_a_configuration_that_cannot_be_read_is_named(tmp_path, kind):
    path = tmp_path / "cluster.toml"
    if kind == "directory":
        path.mkdir()
    elif kind == "self-loop":
        path.symlink_to(path.name)
    with pytest.raises(cb.InvalidParameterError, match="cluster.toml: ") as e:
        cb.simulator.load_config(path)
    assert str(tmp_path) in str(e.value)


def test_an_unreadable_configuration_is_access_denied(config):
    config.chmod(0o000)
    res = sim_cluster.run_child(f"""
        import csvbackup as cb
        try:
            cb.simulator.load_config({str(config)!r})
        except cb.AccessDeniedError as e:
            print("denied", e.winerror, {str(config)!r} in str(e))
    """, unprivileged=True)
    assert res.stdout.split() == ["denied", "5", "True"], res.stderr[-2000:]


def test_a_fifo_in_place_of_the_configuration_is_refused(tmp_path):
    fifo = tmp_path / "cluster.toml"
    os.mkfifo(fifo)
    # in a child: before, open() blocked until a writer came, forever
    res = sim_cluster.run_child(f"""
        import csvbackup as cb
        try:
            cb.open_cluster({str(fifo)!r})
        except cb.InvalidParameterError as e:
            print("refused", "not a regular file" in str(e))
    """)
    assert res.stdout.split() == ["refused", "True"], res.stderr[-2000:]


@pytest.mark.parametrize("line", [
    "x" + ".a" * 50_000 + " = 1",
    "[x" + ".a" * 50_000 + "]",
    "x = {" + '"a".' * 50_000 + "b = 1}",
])
def test_keys_dotted_thousands_deep_are_refused_at_once(tmp_path, line):
    """tomllib takes time quadratic in a dotted key's depth (50,000 levels: minutes); the
    child's timeout is what a regression hits."""
    path = tmp_path / "cluster.toml"
    path.write_text(line + "\n")
    res = sim_cluster.run_child(f"""
        import csvbackup as cb
        try:
            cb.simulator.load_config({str(path)!r})
        except cb.InvalidParameterError as e:
            print("refused", "over 16 dotted parts" in str(e))
    """)
    assert res.stdout.split() == ["refused", "True"], res.stderr[-2000:]


def test_dots_in_strings_and_comments_are_not_keys(config):
    text = config.read_text().replace(
        'name = "TESTCLUSTER"',
        'name = "TESTCLUSTER"\ndescription = "v1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18" '
        '# a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r', 1)
    config.write_text(text)
    assert cb.simulator.load_config(config).description.startswith("v1.2.3")


@pytest.mark.parametrize("old, new, key", [
    ('name = "TESTCLUSTER"', 'name = "' + "\U0001F600" * 40 + '"', "cluster.name"),
    ('name = "Volume31"', 'name = "' + "\U0001F600" * 101 + '"', "shared_volume[0].name"),
    ("[cluster]\n", '[cluster]\ndescription = "' + "\U0001F600" * 130 + '"\n', "cluster.description"),
])
def test_lengths_count_utf16_units_as_the_simulator_stores_them(config, old, new, key):
    assert f"{config}: {key}: " in str(refused(config, old, new, "UTF-16 units"))


@pytest.mark.parametrize("value, what", [
    ('""', "does not name a file"), ('"."', "does not name a file"),
    ('"sub/"', "does not name a file"), ('"' + "s/" * 2100 + 'x"', "over 4,088 bytes"),
])
def test_a_state_file_must_be_a_file_path_the_simulator_can_hold(config, value, what):
    refused(config, "[cluster]\n", f"[cluster]\nstate_file = {value}\n",
            f"cluster.state_file: .*{what}")


def test_a_local_dir_longer_than_the_simulator_holds_names_its_key(config):
    refused(config, 'local_dir = "v31"', 'local_dir = "' + "d/" * 600 + '"',
            r"shared_volume\[0\].local_dir: .*1,023 bytes")


@pytest.mark.parametrize("old, new, key", [
    ('local_dir = "v31"', 'local_dir = "v31"\npartition_number = 0x' + "f" * 5000, "partition_number"),
    ('local_dir = "v31"', 'local_dir = "v31"\npath = 0x' + "f" * 5000, "path"),
    ('name = "Volume31"', 'name = 0x' + "f" * 5000, "name"),
])
def test_a_hexadecimal_integer_past_repr_limit_is_described(config, old, new, key):
    """int(..., 16) has no digit limit, repr() of the result has: the message describes it."""
    assert f"shared_volume[0].{key}: " in str(refused(config, old, new, "an integer of 20,000 bits"))


def test_shared_volumes_root_counts_utf16_units(config):
    refused(config, "shared_volumes_root = 'C:\\ClusterStorage'",
            "shared_volumes_root = 'C:\\" + "\U0001F600" * 150 + "'", "cluster.shared_volumes_root: ")
