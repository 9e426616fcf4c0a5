"""A hypothesis state machine driving one simulated cluster against a small pure-Python model.

The model keeps, per CSV, the stored backup state, its delay-timer deadline (FILETIME), the
delay and the NoDirectIO fault bit; per resource whether it is online; the cluster common
properties BackupInProgress and Description; the simulator clock; and the state file's
generation (one increment per successful write, none for a failed or read-only call).
After every step the invariants compare the cluster (through the public API, the per-resource
control code and ``csvbackup.simulator.state``) with the model.
"""
import shutil
import tempfile
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

import csvbackup as cb
import sim_cluster

pytestmark = pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR,
                                reason="the simulated cluster is built only off Windows")

TICKS = 10_000_000                 # FILETIME ticks per second
T0 = 133_500_000_000_000_000       # a fixed FILETIME (2024) the clock starts at
STALE_SECS = 1800                  # 2008 R2 Prepare: the 30-minute stale timeout
NO_DIRECT_IO = 1                   # CSVB_VOLUME_STATE_NO_DIRECT_IO

ROOT = "C:\\ClusterStorage"
CSVS = {
    "Volume31": {"resource": "Cluster Disk 31", "guid": sim_cluster.VOLUME31_GUID},
    "Volume1": {"resource": "Cluster Disk 1", "guid": sim_cluster.VOLUME1_GUID},
}
RESOURCES = ["Cluster Disk 31", "Cluster Disk 1", "Cluster IP Address"]
RESOURCE_OF = {v: c["resource"] for v, c in CSVS.items()}


def mount_point(volume):
    return f"{ROOT}\\{volume}\\"


def name_forms(volume):
    """Every way set_backup_mode / backup_state accept to name a CSV."""
    c = CSVS[volume]
    return [volume, volume.lower(), c["resource"], c["resource"].upper(), mount_point(volume),
            mount_point(volume).rstrip("\\").lower(), c["guid"], c["guid"].upper()]


descriptions = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
    max_size=259).filter(lambda s: len(s.encode("utf-16-le")) // 2 <= 259)


class ClusterStateMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="csvb-sm-"))
        self.cluster = None

    # ---- set-up and tear-down ---------------------------------------------------------

    @initialize(behaviour=st.sampled_from(["modern", "2008r2"]))
    def open(self, behaviour):
        cb.simulator.set_time(T0)
        self.cluster = sim_cluster.open_sim(self.tmp, behaviour=behaviour)
        self.behaviour = behaviour
        self.now = T0
        self.online = {r: True for r in RESOURCES}
        self.stored = {v: 0 for v in CSVS}        # backup state as last set
        self.deadline = {v: 0 for v in CSVS}      # FILETIME it lapses at (0: none)
        self.delay = {v: 0 for v in CSVS}
        self.no_direct_io = {v: False for v in CSVS}
        self.backup_in_progress = 0
        self.description = ""
        self.generation = cb.simulator.state(self.cluster.config)["generation"]

    def teardown(self):
        try:
            if self.cluster is not None:
                self.cluster.close()
        finally:
            cb.simulator.set_time(None)
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- the model --------------------------------------------------------------------

    def effective(self, volume):
        return 1 if self.stored[volume] == 1 and self.now < self.deadline[volume] else 0

    def offline_csvs(self):
        return [v for v in CSVS if not self.online[RESOURCE_OF[v]]]

    def set_mode(self, volume, state, delay, prepared=False):
        """The simulator's set_backup_mode mutator, one write."""
        self.stored[volume] = state
        self.delay[volume] = delay
        self.deadline[volume] = self.now + delay * TICKS if state == 1 else 0
        if prepared:
            self.no_direct_io[volume] = True
        elif state == 0:
            self.no_direct_io[volume] = False
        self.generation += 1

    def expect_name_call(self, volume, call):
        """Run a name-resolving call on `volume` (set_backup_mode / backup_state): it must
        raise 5004 naming that CSV's resource when the CSV is offline, and succeed when it is
        online, whatever the other CSVs are doing (an offline neighbour must not matter: see
        test_offline_csv_does_not_block_another_csv). Returns (True, result) or (False, None)."""
        resource = RESOURCE_OF[volume]
        if not self.online[resource]:
            try:
                result = call()
            except cb.Win32Error as e:
                assert isinstance(e, cb.ResourceNotOnlineError) and e.winerror == 5004, (
                    f"BUG: {volume} is offline: expected ResourceNotOnlineError (5004), got {e!r}")
                assert resource in str(e), f"the 5004 should name {resource!r}: {e}"
                return False, None
            raise AssertionError(f"{volume} is offline, yet the call returned {result!r}")
        try:
            return True, call()
        except cb.ResourceNotOnlineError as e:
            raise AssertionError(
                f"BUG: {volume} is online, yet the call failed with {e} (offline CSVs: "
                f"{self.offline_csvs()})") from e

    # ---- rules: backup mode -----------------------------------------------------------

    @rule(volume=st.sampled_from(list(CSVS)), form=st.integers(0, 7),
          delay=st.integers(1, 3600))
    def set_in_progress(self, volume, form, delay):
        name = name_forms(volume)[form]
        done, _ = self.expect_name_call(volume, lambda: self.cluster.set_backup_mode(
            name, cb.BackupState.IN_PROGRESS, delay_timer_secs=delay))
        if done:
            self.set_mode(volume, 1, delay)

    @rule(volume=st.sampled_from(list(CSVS)), form=st.integers(0, 7))
    def set_none(self, volume, form):
        name = name_forms(volume)[form]
        done, _ = self.expect_name_call(
            volume, lambda: self.cluster.set_backup_mode(name, cb.BackupState.NONE))
        if done:
            self.set_mode(volume, 0, 0)

    @rule(volume=st.sampled_from(list(CSVS)),
          below=st.sampled_from(["", "Existing\\Dir", "Existing\\Dir\\", "VMs\\a.vhdx",
                                 "no\\such/dir/x.avhdx"]),
          by_guid=st.booleans())
    def prepare(self, volume, below, by_guid):
        base = CSVS[volume]["guid"] if by_guid else mount_point(volume)
        path = base + below
        if not self.online[RESOURCE_OF[volume]]:
            with pytest.raises(cb.VolumeNotLocalError) as e:
                self.cluster.prepare_shared_volume_for_backup(path)
            assert e.value.winerror == 5951
            return
        prepared = self.cluster.prepare_shared_volume_for_backup(path)
        assert prepared == cb.PreparedVolume(base, CSVS[volume]["guid"])
        if self.behaviour == "2008r2":
            self.set_mode(volume, 1, STALE_SECS, prepared=True)

    @rule(volume=st.sampled_from(list(CSVS)), trailing=st.booleans(), lower=st.booleans())
    def clear(self, volume, trailing, lower):
        path = mount_point(volume) if trailing else mount_point(volume).rstrip("\\")
        path = path.lower() if lower else path
        # The simulator does not check that the CSV is online here (neither the reference
        # nor MSDOC says Clear fails for an offline CSV): it clears either way.
        self.cluster.clear_backup_state(path)
        self.set_mode(volume, 0, 0)

    @rule(volume=st.sampled_from(list(CSVS)))
    def clear_below_volume_is_rejected(self, volume):
        with pytest.raises(cb.InvalidParameterError) as e:
            self.cluster.clear_backup_state(mount_point(volume) + "Existing\\Dir")
        assert e.value.winerror == 87

    @rule()
    def reopen(self):
        """Close and re-attach the same state file (no reset): a fresh Cluster object sees
        the same state, and attaching writes nothing."""
        self.cluster.close()
        self.cluster = cb.open_cluster(self.tmp / "cluster.toml")

    # ---- rules: the clock -------------------------------------------------------------

    @rule(secs=st.integers(0, 4000))
    def advance(self, secs):
        self.now += secs * TICKS
        cb.simulator.set_time(self.now)

    @precondition(lambda self: any(self.deadline[v] > self.now - TICKS for v in CSVS))
    @rule(volume=st.sampled_from(list(CSVS)), offset=st.sampled_from([-1, 0, 1]))
    def advance_to_deadline(self, volume, offset):
        """Step onto a deadline's edge: one tick before, at, one tick after."""
        target = self.deadline[volume] + offset
        if self.deadline[volume] and target >= self.now:
            self.now = target
            cb.simulator.set_time(self.now)

    # ---- rules: resources and common properties --------------------------------------

    @rule(resource=st.sampled_from(RESOURCES), online=st.booleans())
    def set_online(self, resource, online):
        assert self.cluster.set_resource_online(resource, online) is True
        self.online[resource] = online
        self.generation += 1

    @rule(value=st.integers(0, 1))
    def set_backup_in_progress(self, value):
        self.cluster.set_common_properties({"BackupInProgress": cb.Dword(value)})
        self.backup_in_progress = value
        self.generation += 1

    @rule(value=st.integers(2, 2**32 - 1))
    def set_backup_in_progress_out_of_range(self, value):
        with pytest.raises(cb.InvalidDataError) as e:
            self.cluster.set_common_properties({"BackupInProgress": cb.Dword(value)})
        assert e.value.winerror == 13

    @rule(text=descriptions)
    def set_description(self, text):
        self.cluster.set_common_properties({"Description": text})
        self.description = text
        self.generation += 1

    @rule(extra=st.integers(0, 40))
    def set_description_too_long(self, extra):
        with pytest.raises(cb.InvalidDataError) as e:
            self.cluster.set_common_properties({"Description": "d" * (260 + extra)})
        assert e.value.winerror == 13

    @rule(text=descriptions, value=st.integers(0, 1))
    def set_both(self, text, value):
        self.cluster.set_common_properties({"Description": text,
                                            "BackupInProgress": cb.Dword(value)})
        self.description, self.backup_in_progress = text, value
        self.generation += 1

    # ---- invariants -------------------------------------------------------------------

    @invariant()
    def clock_matches(self):
        if self.cluster is not None:
            assert cb.simulator.now() == self.now

    @invariant()
    def state_file_matches(self):
        if self.cluster is None:
            return
        s = cb.simulator.state(self.cluster.config)
        assert s["generation"] == self.generation, "a write happened that the model did not " \
            "expect (or an expected one did not)"
        assert s["backup_in_progress"] == self.backup_in_progress
        assert s["description"] == self.description
        by_name = {r["name"]: r for r in s["resources"]}
        for resource in RESOURCES:
            assert by_name[resource]["online"] == self.online[resource], resource
        for volume in CSVS:
            r = by_name[RESOURCE_OF[volume]]
            assert r["backup_state"] == self.effective(volume), volume
            assert r["stored_backup_state"] == self.stored[volume], volume
            assert r["delay_timer_secs"] == self.delay[volume], volume
            assert r["deadline"] == self.deadline[volume], volume
            assert bool(r["fault_state"] & NO_DIRECT_IO) == self.no_direct_io[volume], volume

    @invariant()
    def backup_states_match(self):
        if self.cluster is None:
            return
        for volume in CSVS:
            for name in (volume, RESOURCE_OF[volume], mount_point(volume)):
                done, state = self.expect_name_call(
                    volume, lambda name=name: self.cluster.backup_state(name))
                if done:
                    assert state == cb.BackupState(self.effective(volume)), (volume, name)
            # the per-resource control code answers for an online CSV whatever the others do
            resource = RESOURCE_OF[volume]
            if self.online[resource]:
                [info] = self.cluster.volume_info(resource)
                assert info.backup_state == cb.BackupState(self.effective(volume)), volume
                assert bool(info.fault_state & NO_DIRECT_IO) == self.no_direct_io[volume]
                assert info.friendly_name == volume
            else:
                with pytest.raises(cb.ResourceNotOnlineError) as e:
                    self.cluster.volume_info(resource)
                assert e.value.winerror == 5004

    @invariant()
    def resources_online_match(self):
        if self.cluster is None:
            return
        for resource in RESOURCES:
            rs = self.cluster.resource_state(resource)
            assert rs.online == self.online[resource], resource
            assert rs.state == (2 if self.online[resource] else 3), resource

    @invariant()
    def common_properties_match(self):
        if self.cluster is None:
            return
        pl = self.cluster.get_common_properties()
        assert pl["BackupInProgress"].value == self.backup_in_progress
        assert pl["Description"].value == self.description
        assert pl["SharedVolumesRoot"].value == ROOT


TestClusterStateMachine = ClusterStateMachine.TestCase
TestClusterStateMachine.settings = settings(max_examples=50, stateful_step_count=30,
                                            deadline=None)


# ---- offline CSVs, pinned down on their own --------------------------------------------
# CMRP 3.1.4.3.1.54/.48: the backup-mode and volume-info control codes on an offline CSV fail
# with ERROR_RESOURCE_NOT_ONLINE (5004). Cluster.backup_state / set_backup_mode name a CSV by
# friendly name, resource, mount point or GUID path; an offline CSV must still be found (and
# answer 5004), and an online CSV must not be affected by an offline one.


def _expect_5004(call, resource, what):
    try:
        result = call()
    except cb.Win32Error as e:
        assert isinstance(e, cb.ResourceNotOnlineError) and e.winerror == 5004, (
            f"BUG: {what} on an offline CSV should raise ResourceNotOnlineError (5004), "
            f"got {e!r}")
        assert resource in str(e)
        return
    raise AssertionError(f"{what} on an offline CSV returned {result!r}")


def test_offline_csv_does_not_block_another_csv(tmp_path):
    with sim_cluster.open_sim(tmp_path) as cluster:
        assert cluster.backup_state("Volume1") == cb.BackupState.NONE
        cluster.set_resource_online("Cluster Disk 1", False)   # Volume1 offline
        _expect_5004(lambda: cluster.backup_state("Volume1"), "Cluster Disk 1",
                     "backup_state('Volume1')")
        # Volume31 is online and must keep working
        assert cluster.volume_info("Cluster Disk 31")[0].backup_state == cb.BackupState.NONE
        try:
            cluster.set_backup_mode("Volume31", cb.BackupState.IN_PROGRESS, delay_timer_secs=60)
            state = cluster.backup_state("Volume31")
        except cb.Win32Error as e:
            pytest.fail("BUG: Cluster.set_backup_mode/backup_state on the online CSV Volume31 "
                        f"fail because another CSV (Volume1) is offline: {e!r}")
        assert state == cb.BackupState.IN_PROGRESS


@pytest.mark.parametrize("name", ["Volume1", "Cluster Disk 1", "C:\\ClusterStorage\\Volume1\\",
                                  sim_cluster.VOLUME1_GUID])
def test_offline_csv_is_found_by_every_name(tmp_path, name):
    """A CSV offline from the start (so this process never saw its volume info) is still
    found by each of its names, and answers 5004 -- not 5007 "no such CSV"."""
    config = sim_cluster.write_config(tmp_path, volume1_online=False)
    with cb.open_cluster(config, reset=True) as cluster:
        _expect_5004(lambda: cluster.backup_state(name), "Cluster Disk 1",
                     f"backup_state({name!r})")
        _expect_5004(lambda: cluster.set_backup_mode(name, cb.BackupState.IN_PROGRESS,
                                                     delay_timer_secs=60),
                     "Cluster Disk 1", f"set_backup_mode({name!r})")
        _expect_5004(lambda: cluster.set_backup_mode(name, cb.BackupState.NONE),
                     "Cluster Disk 1", f"set_backup_mode({name!r}, NONE)")
        generation = cb.simulator.state(cluster.config)["generation"]
        assert generation == 0, "a failed call must not write the state file"
