"""What stands where the simulated cluster's state file should be: a FIFO is refused at once
(it used to block open() forever), an unreadable file is ERROR_ACCESS_DENIED (5), not a
damaged one (1392)."""
import os
import sys

import pytest

import csvbackup as cb
import sim_cluster

pytestmark = pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR or sys.platform == "win32",
                                reason="the simulator's state file (POSIX)")


def _cluster(directory):
    config = sim_cluster.write_config(directory)
    with cb.open_cluster(config, reset=True) as c:
        state_file = c.config.state_file
    return config, state_file


def test_a_fifo_in_place_of_the_state_file_is_refused(tmp_path):
    config, state_file = _cluster(tmp_path)
    state_file.unlink()
    os.mkfifo(state_file)
    # in a child process, so that a regression hangs the child, not the test run
    res = sim_cluster.run_child(f"""
        import csvbackup as cb
        try:
            cb.simulator.state({str(state_file)!r})
        except cb.StateFileError as e:
            print("refused", e.winerror, "not a regular file" in str(e))
    """)
    assert res.stdout.split() == ["refused", "1392", "True"], res.stderr[-2000:]


def test_an_unreadable_state_file_is_access_denied(tmp_path):
    config, state_file = _cluster(tmp_path)
    os.chmod(state_file, 0o000)
    res = sim_cluster.run_child(f"""
        import csvbackup as cb
        try:
            cb.simulator.state({str(state_file)!r})
        except cb.AccessDeniedError as e:
            print("denied", e.winerror, isinstance(e, PermissionError),
                  {str(state_file)!r} in str(e))
    """, unprivileged=True)
    assert res.stdout.split() == ["denied", "5", "True", "True"], res.stderr[-2000:]


def test_a_lock_file_that_cannot_be_written_is_access_denied(tmp_path):
    """Writes take "<state file>.lock": refused it, a write is ERROR_ACCESS_DENIED, and the
    state is unchanged."""
    config, state_file = _cluster(tmp_path)
    lock = state_file.with_name(state_file.name + ".lock")
    lock.touch()
    os.chmod(lock, 0o444)
    before = state_file.read_bytes()
    res = sim_cluster.run_child(f"""
        import csvbackup as cb
        cluster = cb.open_cluster({str(config)!r})
        try:
            cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, 60)
        except cb.AccessDeniedError as e:
            print("denied", e.winerror, {str(lock)!r} in str(e))
    """, unprivileged=True)
    assert res.stdout.split() == ["denied", "5", "True"], res.stderr[-2000:]
    assert state_file.read_bytes() == before


def test_a_string_without_its_nul_is_refused_even_under_a_good_crc(tmp_path):
    """A state file is untrusted bytes: its CRC proves nothing about who wrote it. Each
    resource's local_dir (1,024 bytes of UTF-8) must hold its NUL, or it would be read past."""
    import zlib
    config, state_file = _cluster(tmp_path)
    data = bytearray(state_file.read_bytes())
    local = str(tmp_path / "v31").encode()
    at = data.index(local + b"\0")  # the start of the field, the last of a resource record
    data[at:at + 1024] = b"A" * 1024
    data[16:20] = zlib.crc32(bytes(data[:16]) + b"\0\0\0\0" + bytes(data[20:])).to_bytes(4, "little")
    state_file.write_bytes(bytes(data))
    with pytest.raises(cb.StateFileError, match="resource 0 has an empty or unterminated"):
        cb.open_cluster(config)


@pytest.mark.parametrize("kind", ["missing", "self-loop", "dangling"])
def test_open_cluster_never_recreates_a_state_file(tmp_path, kind):
    """Only csvbackup sim init and reset=True write a state file: whatever took its place,
    open_cluster raises StateFileError naming it and leaves it as it is."""
    config, state_file = _cluster(tmp_path)
    state_file.unlink()
    if kind == "self-loop":
        state_file.symlink_to(state_file.name)  # open() fails with ELOOP
    elif kind == "dangling":
        state_file.symlink_to("nowhere.state")
    with pytest.raises(cb.StateFileError) as e:
        cb.open_cluster(config)
    assert str(state_file) in str(e.value)
    assert state_file.is_symlink() == (kind != "missing")
    assert not (tmp_path / "nowhere.state").exists() and not (kind == "missing"
                                                              and state_file.exists())
