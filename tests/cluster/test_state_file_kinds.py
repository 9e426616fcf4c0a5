"""What stands where the simulated cluster's state file should be: a FIFO is refused at once
(it used to block open() forever), an unreadable file is ERROR_ACCESS_DENIED (5), not a
damaged one (1392)."""
import os
import shutil
import subprocess
import sys
import textwrap

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
    code = textwrap.dedent(f"""
        import csvbackup as cb
        try:
            cb.simulator.state({str(state_file)!r})
        except cb.StateFileError as e:
            print("refused", e.winerror, "not a regular file" in str(e))
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert res.stdout.split() == ["refused", "1392", "True"], res.stderr[-2000:]


def test_an_unreadable_state_file_is_access_denied(tmp_path):
    # root reads any file: as root, the child runs without the capabilities that allow it
    # (util-linux setpriv drops them from the bounding set before exec)
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: no way to be refused a file")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    config, state_file = _cluster(tmp_path)
    os.chmod(state_file, 0o000)
    code = textwrap.dedent(f"""
        import csvbackup as cb
        try:
            cb.simulator.state({str(state_file)!r})
        except cb.AccessDeniedError as e:
            print("denied", e.winerror, isinstance(e, PermissionError),
                  {str(state_file)!r} in str(e))
    """)
    res = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert res.stdout.split() == ["denied", "5", "True", "True"], res.stderr[-2000:]


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
