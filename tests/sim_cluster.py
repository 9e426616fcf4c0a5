"""Simulated clusters for the cluster tests: a configuration written into a temporary
directory, with the volume of docs/reference/cluster-formats.md section 7 (Volume31, GUID
deadbeef-...) among the CSVs."""
import textwrap

import csvbackup as cb

SYSTEM_GUID = "\\\\?\\Volume{de8b99bb-895e-4a1d-9d64-9b82fa068d76}\\"
VOLUME31_GUID = "\\\\?\\Volume{deadbeef-895e-4a1d-9d64-9b82fa068d76}\\"
VOLUME1_GUID = "\\\\?\\Volume{11111111-2222-4333-8444-555555555555}\\"


def write_config(directory, *, behaviour="modern", fsync=False, domain_account=True,
                 volume1_online=True, local_node="NODE1", system_guid=SYSTEM_GUID,
                 volume31_guid=VOLUME31_GUID, state=True):
    """A two-node cluster with CSVs Volume31 (NODE1) and Volume1 (NODE2), and one non-CSV
    resource, and (`state`) its state file, as ``csvbackup sim init`` writes both; returns
    the configuration path."""
    (directory / "v31").mkdir(parents=True, exist_ok=True)
    (directory / "v31" / "Existing" / "Dir").mkdir(parents=True, exist_ok=True)
    (directory / "v1").mkdir(parents=True, exist_ok=True)
    config = directory / "cluster.toml"
    config.write_text(textwrap.dedent(f"""\
        [cluster]
        name = "TESTCLUSTER"
        nodes = ["NODE1", "NODE2"]
        local_node = "{local_node}"
        behaviour = "{behaviour}"
        domain_account = {str(domain_account).lower()}
        shared_volumes_root = 'C:\\ClusterStorage'
        system_volume = '{system_guid}'
        system_devices = ['\\Device\\HarddiskVolume1', '\\Device\\Harddisk0\\Partition1']
        fsync = {str(fsync).lower()}

        [[shared_volume]]
        resource = "Cluster Disk 31"
        name = "Volume31"
        volume_guid_path = '{volume31_guid}'
        owner_node = "NODE1"
        local_dir = "v31"

        [[shared_volume]]
        resource = "Cluster Disk 1"
        name = "Volume1"
        volume_guid_path = '{VOLUME1_GUID}'
        owner_node = "NODE2"
        local_dir = "v1"
        online = {str(volume1_online).lower()}

        [[resource]]
        name = "Cluster IP Address"
        type = "IP Address"
        """), encoding="utf-8")
    if state:
        cb.simulator.attach(cb.simulator.load_config(config), create=True)
    return config


def open_sim(directory, **kw):
    """open_cluster on a fresh configuration in `directory` (reset state)."""
    return cb.open_cluster(write_config(directory, **kw), reset=True)


def run_child(code, *, unprivileged=False):
    """Run Python `code` in a child (so that a hang or a crash is the child's, bounded by a
    timeout) and return its CompletedProcess. `unprivileged`: without the capabilities that
    let root read and write any file (util-linux setpriv drops them from the bounding set
    before exec), so that file permissions apply even when the tests run as root."""
    import os
    import shutil
    import subprocess
    import sys

    import pytest
    prefix = []
    if unprivileged and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: no way to be refused a file")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    return subprocess.run([*prefix, sys.executable, "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=60)
