"""Fixtures of the cluster tests: a fresh simulated cluster per test, and its clock."""
import pytest

import csvbackup as cb
import sim_cluster

SEC = 10_000_000  # FILETIME ticks per second
T0 = 133_000_000_000_000_000


@pytest.fixture(scope="module")
def sim_config(tmp_path_factory):
    """One configuration for a module's read-only tests (hypothesis reuses it per example)."""
    config = sim_cluster.write_config(tmp_path_factory.mktemp("sim"))
    cb.open_cluster(config, reset=True).close()  # its state file
    return config


@pytest.fixture
def cluster(tmp_path):
    """The two-node cluster of sim_cluster.write_config, its state reset, open for the test."""
    with sim_cluster.open_sim(tmp_path) as c:
        yield c


@pytest.fixture
def clock():
    """The simulator's clock fixed at T0; advance with clock(seconds)."""
    now = [T0]

    def advance(seconds=0):
        now[0] += int(seconds * SEC)
        cb.simulator.set_time(now[0])
    advance()
    yield advance
    cb.simulator.set_time(None)
