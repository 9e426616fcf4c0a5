"""A Ctrl-C at any point of a backup session's entry or exit leaves no volume IN_PROGRESS.

Deterministic: a trace function counts the lines the library runs while a session enters and
leaves, then, one run per line, sends a real SIGINT (``signal.raise_signal``) at that line.
By brute force: children running sessions in a tight loop are sent SIGINT at random times.
"""
import concurrent.futures
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import csvbackup as cb
import sim_cluster

pytestmark = pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR, reason="simulator not built")

PACKAGE = str(Path(cb.__file__).parent)
VOLUMES = ["Volume31", "Volume1"]


class Injector:
    """A trace function over the library's own frames: counts their line events and, at the
    `at`-th (1-based), sends SIGINT to this process."""

    def __init__(self, at=0):
        self.at, self.count = at, 0

    def __call__(self, frame, event, arg):
        if event == "call":
            return self._local if frame.f_code.co_filename.startswith(PACKAGE) else None
        return None

    def _local(self, frame, event, arg):
        if event == "line":
            self.count += 1
            if self.count == self.at:
                signal.raise_signal(signal.SIGINT)
        return self._local


def checkpoint():
    """A Python call: CPython runs pending signal handlers as a function starts."""


def run_session(cluster, injector):
    """One session (entry and exit traced by `injector`); True when it was interrupted."""
    previous = sys.gettrace()
    sys.settrace(injector)
    try:
        with cluster.backup_session(VOLUMES, delay_timer_secs=600):
            sys.settrace(previous)
            assert {cluster.backup_state(v) for v in VOLUMES} == {cb.BackupState.IN_PROGRESS}
            sys.settrace(injector)
        checkpoint()  # a Ctrl-C held while leaving is delivered here
    except KeyboardInterrupt:
        return True
    finally:
        sys.settrace(previous)
    return False


def states(cluster):
    return {v.name: v.state for v in cluster.shared_volumes()}


def test_an_interrupt_at_every_line_of_entry_and_exit(cluster):
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    run_session(cluster, Injector())  # warm the caches, so that every run takes the same path
    counter = Injector()
    assert not run_session(cluster, counter)
    assert counter.count > 50
    for at in range(1, counter.count + 1):
        assert run_session(cluster, Injector(at)), f"line event {at}: no KeyboardInterrupt"
        assert states(cluster) == dict.fromkeys(VOLUMES, cb.BackupState.NONE), f"line event {at}"
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler, f"line event {at}"


def test_clearing_goes_on_past_a_failure_and_reports_it(cluster):
    with pytest.raises(cb.ResourceNotOnlineError):
        with cluster.backup_session(["Volume1", "Volume31"]):
            cluster.set_resource_online("Cluster Disk 31", False)
    assert cluster.backup_state("Volume1") == cb.BackupState.NONE


def test_a_session_enters_once_at_a_time_and_can_be_reused(cluster):
    session = cluster.backup_session("Volume31")
    assert isinstance(session, cb.BackupSession)
    with session as vols:
        with pytest.raises(RuntimeError, match="already entered"):
            with session:
                pass
        assert [v.name for v in vols] == ["Volume31"]
        assert cluster.backup_state("Volume31") == cb.BackupState.IN_PROGRESS
    assert cluster.backup_state("Volume31") == cb.BackupState.NONE
    with session:
        assert cluster.backup_state("Volume31") == cb.BackupState.IN_PROGRESS
    assert cluster.backup_state("Volume31") == cb.BackupState.NONE


def test_sigint_hold_holds_a_ctrl_c_until_the_block_ends():
    from csvbackup.session import SigintHold
    seen = []
    with pytest.raises(KeyboardInterrupt):
        with SigintHold():
            with SigintHold():  # nested: the inner hands it to the outer
                signal.raise_signal(signal.SIGINT)
                seen.append("inner")
            seen.append("outer")
    assert seen == ["inner", "outer"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    custom = []
    old = signal.signal(signal.SIGINT, lambda s, f: custom.append(s))
    try:
        with SigintHold():
            signal.raise_signal(signal.SIGINT)
            assert custom == []
        assert custom == [signal.SIGINT]  # delivered to the handler that was in place
    finally:
        signal.signal(signal.SIGINT, old)
    entered = []  # another thread: signals only reach the main one, there is nothing to hold
    thread = threading.Thread(target=lambda: entered.append(SigintHold().__enter__()))
    thread.start()
    thread.join()
    assert entered and signal.getsignal(signal.SIGINT) is signal.default_int_handler


# --- brute force ------------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import sys
    import csvbackup as cb
    cluster = cb.open_cluster(sys.argv[1])
    with cluster.backup_session({volumes!r}):
        pass
    print("ready", flush=True)
    while True:
        with cluster.backup_session({volumes!r}):
            pass
""").format(volumes=VOLUMES)


def interrupt_child(config, delay):
    """Start a child looping over sessions on `config`, SIGINT it `delay` s after it is ready;
    its return code."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(config)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "ready\n", child.stderr.read()
        threading.Event().wait(delay)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert "KeyboardInterrupt" in err, err
    return child.returncode


@pytest.mark.slow
def test_children_interrupted_at_random_leave_no_volume_in_backup_mode(tmp_path):
    rng = random.Random(20261202)
    configs = [sim_cluster.write_config(tmp_path / str(i), state=True) for i in range(2)]
    with concurrent.futures.ThreadPoolExecutor(len(configs)) as pool:
        for trial in range(16):
            delays = [rng.uniform(0.0, 0.05) for _ in configs]
            results = list(pool.map(interrupt_child, configs, delays))
            assert results == [-signal.SIGINT] * len(configs), f"trial {trial}: {results}"
            for config in configs:
                with cb.open_cluster(config) as cluster:
                    assert states(cluster) == dict.fromkeys(VOLUMES, cb.BackupState.NONE), \
                        f"trial {trial}, delays {delays}"
