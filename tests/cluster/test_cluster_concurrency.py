"""Several processes on one simulated cluster's state file (src/clussim/clussim.h): locked
read-modify-write updates lose nothing, readers never see a torn or invented state, a writer
killed mid-write leaves a valid file and no stuck lock, and a damaged file is reported (with
its path), never silently rewritten.

Processes are started with the "spawn" context: the extension uses OpenMP, so fork is unsafe.
"""
import fcntl
import multiprocessing
import os
import random
import re
import signal
import time

import pytest

import csvbackup as cb
import sim_cluster

pytestmark = pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR,
                                reason="the simulated cluster is built only off Windows")

CTX = multiprocessing.get_context("spawn")
VOLUMES = ["Volume31", "Volume1"]
DESCRIPTION = re.compile(r"(\d+):(\d+)\Z")


def _config(tmp_path, **kw):
    config = sim_cluster.write_config(tmp_path, **kw)
    cb.open_cluster(config, reset=True).close()
    return config


# ---- workers (module level: the spawn context pickles them by name) ---------------------

def _writer(config, worker, ops, go, results):
    """Toggle backup mode on volume worker % 2 and set Description to "worker:i", `ops`
    times; every successful call is exactly one write. Reports (worker, writes, error)."""
    writes, error = 0, None
    try:
        with cb.open_cluster(config) as cluster:
            volume = VOLUMES[worker % 2]
            go.wait(30)
            for i in range(ops):
                if i % 2 == 0:
                    cluster.set_backup_mode(volume, cb.BackupState.IN_PROGRESS,
                                            delay_timer_secs=3600)
                else:
                    cluster.set_backup_mode(volume, cb.BackupState.NONE)
                writes += 1
                cluster.set_common_properties({"Description": f"{worker}:{i}"})
                writes += 1
    except Exception as e:  # noqa: BLE001 - reported to the parent, which fails the test
        error = repr(e)
    results.put(("writer", worker, writes, error))


def _reader(config, workers, ops, go, stop, results):
    """Read the cluster until `stop`; every value seen must be one some writer wrote, and the
    generation never goes back. Reports (reads, problems)."""
    reads, problems, last_generation = 0, [], -1
    try:
        with cb.open_cluster(config) as cluster:
            go.wait(30)
            while not stop.is_set() and len(problems) < 20:
                for volume in VOLUMES:
                    state = cluster.backup_state(volume)
                    if state not in (cb.BackupState.NONE, cb.BackupState.IN_PROGRESS):
                        problems.append(f"backup_state({volume}) = {state!r}")
                pl = cluster.get_common_properties()
                description = pl["Description"].value
                m = DESCRIPTION.match(description)
                if description != "" and not (m and int(m[1]) < workers and int(m[2]) < ops):
                    problems.append(f"Description {description!r} was never written")
                if pl["BackupInProgress"].value != 0:
                    problems.append(f"BackupInProgress {pl['BackupInProgress'].value!r}")
                s = cb.simulator.state(cluster.config)
                if s["generation"] < last_generation:
                    problems.append(f"generation went back: {last_generation} -> "
                                    f"{s['generation']}")
                last_generation = s["generation"]
                reads += 1
    except Exception as e:  # noqa: BLE001 - a torn read raises StateFileError: report it
        problems.append(f"raised {e!r}")
    results.put(("reader", reads, problems))


def _run(config, writers, readers, ops, timeout):
    go, stop, results = CTX.Event(), CTX.Event(), CTX.Queue()
    procs = [CTX.Process(target=_writer, args=(str(config), w, ops, go, results))
             for w in range(writers)]
    procs += [CTX.Process(target=_reader, args=(str(config), writers, ops, go, stop, results))
              for _ in range(readers)]
    for p in procs:
        p.start()
    go.set()
    out = []
    try:
        deadline = time.monotonic() + timeout
        while len([r for r in out if r[0] == "writer"]) < writers:
            out.append(results.get(timeout=max(0.1, deadline - time.monotonic())))
        stop.set()
        while len(out) < writers + readers:
            out.append(results.get(timeout=30))
    finally:
        stop.set()
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join()
    return [r for r in out if r[0] == "writer"], [r for r in out if r[0] == "reader"]


# ---- a. no lost updates, no torn reads ---------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("writers,readers,ops,fsync", [(4, 2, 1000, False), (2, 1, 100, True)],
                         ids=["4x1000-nofsync", "2x100-fsync"])
def test_concurrent_writers_lose_no_update(tmp_path, writers, readers, ops, fsync):
    config = _config(tmp_path, fsync=fsync)
    state_file = cb.simulator.load_config(config).state_file
    initial = cb.simulator.state(state_file)
    assert initial["fsync"] is fsync

    writer_results, reader_results = _run(config, writers, readers, ops, timeout=120)

    errors = [r for r in writer_results if r[3] is not None]
    assert not errors, f"writers failed: {errors}"
    total = sum(r[2] for r in writer_results)
    assert total == writers * ops * 2
    final = cb.simulator.state(state_file)
    assert final["generation"] == initial["generation"] + total, (
        f"lost updates: {initial['generation']} + {total} writes, but the generation is "
        f"{final['generation']}")
    # each writer's last call on its volume set NONE (ops is even), its last Description
    # "w:ops-1"; whichever writer came last, that is what stays
    assert ops % 2 == 0
    for volume in VOLUMES:
        r = next(r for r in final["resources"] if r["friendly_name"] == volume)
        assert r["stored_backup_state"] == 0 and r["backup_state"] == 0, volume
    m = DESCRIPTION.match(final["description"])
    assert m and int(m[1]) < writers and int(m[2]) == ops - 1, final["description"]
    for _, reads, problems in reader_results:
        assert not problems, problems
        assert reads > 0
    print(f"{total} writes; reader rounds: {[r[1] for r in reader_results]}")
    assert not os.path.exists(f"{state_file}.tmp")


# ---- b. a writer killed mid-write --------------------------------------------------------

def _killable_writer(config, started, done):
    """Write in a tight loop; `done` counts the writes known complete."""
    with cb.open_cluster(config) as cluster:
        started.value = 1
        n = 0
        while True:
            n += 1
            cluster.set_common_properties({"Description": f"kill:{n}",
                                           "BackupInProgress": cb.Dword(n % 2)})
            done.value = n


def _lock_is_free(state_file, timeout):
    """Whether an exclusive flock on "<state>.lock" can be had within `timeout` seconds."""
    fd = os.open(f"{state_file}.lock", os.O_RDWR)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.01)
                continue
            fcntl.flock(fd, fcntl.LOCK_UN)
            return True
    finally:
        os.close(fd)


@pytest.mark.slow
def test_writer_killed_mid_write_leaves_valid_state(tmp_path):
    config = _config(tmp_path, fsync=True)
    rng = random.Random(20240611)
    with cb.open_cluster(config) as cluster:
        state_file = cluster.config.state_file
        leftover_tmp = 0
        for round_ in range(20):
            before = cb.simulator.state(state_file)
            started, done = CTX.Value("i", 0), CTX.Value("q", 0, lock=False)
            p = CTX.Process(target=_killable_writer, args=(str(config), started, done))
            p.start()
            deadline = time.monotonic() + 30
            while not started.value:
                assert p.is_alive() and time.monotonic() < deadline, "the writer did not start"
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.05))
            os.kill(p.pid, signal.SIGKILL)
            p.join(10)
            assert p.exitcode == -signal.SIGKILL
            n = done.value

            # the file is one complete version: the last finished write, or the one whose
            # rename happened just before the kill
            s = cb.simulator.state(state_file)
            assert s["generation"] - before["generation"] in (n, n + 1), (round_, n, s)
            k = s["generation"] - before["generation"]
            assert s["description"] == (f"kill:{k}" if k else before["description"])
            assert s["backup_in_progress"] == (k % 2 if k else before["backup_in_progress"])
            assert cluster.backup_state("Volume31") == cb.BackupState.NONE
            assert cluster.get_common_properties()["Description"].value == s["description"]
            leftover_tmp += os.path.exists(f"{state_file}.tmp")

            # flock dies with its process: no stale lock; the next write goes through at once
            assert _lock_is_free(state_file, timeout=5), "the lock outlived the killed writer"
            t0 = time.monotonic()
            cluster.set_common_properties({"Description": f"after kill {round_}"})
            assert time.monotonic() - t0 < 5
            s2 = cb.simulator.state(state_file)
            assert s2["generation"] == s["generation"] + 1
            assert s2["description"] == f"after kill {round_}"
            # the stale .tmp (if any) was reused and renamed away
            assert not os.path.exists(f"{state_file}.tmp")
    print(f"{leftover_tmp} of 20 kills left a .tmp behind")


# ---- c. a damaged or missing state file --------------------------------------------------

def _flip(offset):
    def corrupt(data):
        data = bytearray(data)
        data[offset % len(data)] ^= 0x40
        return bytes(data)
    return corrupt


CORRUPTIONS = {
    "truncated-half": lambda d: d[:len(d) // 2],
    "truncated-one-byte": lambda d: d[:-1],
    "truncated-in-header": lambda d: d[:40],
    "zero-length": lambda d: b"",
    "extended": lambda d: d + b"\0",
    "flip-magic": _flip(0),
    "flip-version": _flip(8),
    "flip-crc": _flip(16),
    "flip-generation": _flip(40),
    "flip-cluster-body": _flip(64 + 2000),
    "flip-resource": _flip(-100),
    "flip-last-byte": _flip(-1),
    "garbage-same-size": lambda d: random.Random(1).randbytes(len(d)),
    "garbage-short": lambda d: b"this is not a state file\n",
    "valid-header-garbage-body": lambda d: d[:64] + random.Random(2).randbytes(len(d) - 64),
}


def _expect_state_file_error(call, state_file, what):
    with pytest.raises(cb.StateFileError) as e:
        call()
    assert e.value.winerror == 1392, what
    assert str(state_file) in str(e.value), f"{what}: the message should name the file: {e.value}"
    return e.value


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_damaged_state_file_is_reported_never_rewritten(tmp_path, kind):
    config = _config(tmp_path)
    with cb.open_cluster(config) as cluster:
        state_file = cluster.config.state_file
        cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, delay_timer_secs=600)
        cluster.set_common_properties({"Description": "before the damage"})
        damaged = CORRUPTIONS[kind](state_file.read_bytes())
        state_file.write_bytes(damaged)

        e = _expect_state_file_error(lambda: cluster.backup_state("Volume31"), state_file,
                                     "backup_state")
        assert e.path == state_file
        _expect_state_file_error(lambda: cluster.set_backup_mode("Volume31", cb.BackupState.NONE),
                                 state_file, "set_backup_mode")
        _expect_state_file_error(
            lambda: cluster.set_common_properties({"Description": "over the damage"}),
            state_file, "set_common_properties")
        _expect_state_file_error(
            lambda: cluster.clear_backup_state("C:\\ClusterStorage\\Volume31\\"), state_file,
            "clear_backup_state")
        _expect_state_file_error(lambda: cluster.set_resource_online("Cluster Disk 1", False),
                                 state_file, "set_resource_online")
        _expect_state_file_error(lambda: cb.simulator.state(state_file), state_file,
                                 "simulator.state")
    _expect_state_file_error(lambda: cb.open_cluster(config), state_file, "open_cluster")

    assert state_file.read_bytes() == damaged, "the damaged state file was rewritten"
    assert not os.path.exists(f"{state_file}.tmp")

    with cb.open_cluster(config, reset=True) as cluster:
        assert cluster.backup_state("Volume31") == cb.BackupState.NONE
        assert cluster.get_common_properties()["Description"].value == ""
        assert cb.simulator.state(state_file)["generation"] == 0
        cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, delay_timer_secs=60)
        assert cluster.backup_state("Volume31") == cb.BackupState.IN_PROGRESS


def test_deleted_state_file_is_reported_not_recreated(tmp_path):
    """StateFileError: "the simulated cluster's state file is missing, truncated or damaged";
    calls on an attached cluster must not bring a fresh cluster back behind its back."""
    config = _config(tmp_path)
    with cb.open_cluster(config) as cluster:
        state_file = cluster.config.state_file
        cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, delay_timer_secs=600)
        state_file.unlink()
        for what, call in [
                ("backup_state", lambda: cluster.backup_state("Volume31")),
                ("set_backup_mode", lambda: cluster.set_backup_mode("Volume31",
                                                                    cb.BackupState.NONE)),
                ("set_common_properties",
                 lambda: cluster.set_common_properties({"Description": "x"})),
                ("simulator.state", lambda: cb.simulator.state(state_file))]:
            try:
                call()
            except cb.Win32Error as e:
                assert isinstance(e, cb.StateFileError), (
                    f"BUG: {what} on a deleted state file raises {type(e).__name__} "
                    f"(winerror {e.winerror}), not StateFileError (1392), whose docstring "
                    f"covers a missing file: {e}")
                assert str(state_file) in str(e)
            else:
                pytest.fail(f"{what} succeeded on a deleted state file")
            assert not state_file.exists(), f"{what} recreated the state file"
    # a later open_cluster in any process does not bring it back either (the IN_PROGRESS
    # state would be lost): only reset=True, or csvbackup sim init, writes a new one
    with pytest.raises(cb.StateFileError, match="No such file") as e:
        cb.open_cluster(config)
    assert str(state_file) in str(e.value) and not state_file.exists()
    with cb.open_cluster(config, reset=True) as cluster:
        assert cb.simulator.state(state_file)["generation"] == 0
        assert cluster.backup_state("Volume31") == cb.BackupState.NONE
