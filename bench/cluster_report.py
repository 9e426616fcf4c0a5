"""Print the cost of csvbackup's cluster calls on the simulated cluster, against the floor of
what any process sharing the same state must do, measured in this run.

    python bench/cluster_report.py [--calls 3000] [--repeat 3]

Every simulator call reads the whole state file (and checks its CRC-32); every write also
takes the lock, writes a temporary file and renames it over. The floors are those same file
operations done from Python with nothing else: ``open().read()`` + ``zlib.crc32`` for a read,
``flock`` + write + ``os.replace`` for a write (fsync on and off). The ratio says how close
the C call layer gets to its I/O floor.
"""
import argparse
import fcntl
import os
import sys
import tempfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

import csvbackup as cb  # noqa: E402
import sim_cluster  # noqa: E402
from clusprop_report import per_call  # noqa: E402

V31 = "C:\\ClusterStorage\\Volume31\\"


def read_floor(path):
    def fn():
        with open(path, "rb") as f:
            zlib.crc32(f.read())
    return fn


def write_floor(path, fsync):
    lock, tmp = f"{path}.lock", f"{path}.tmp"

    def fn():
        with open(lock, "a+b") as lk:
            fcntl.flock(lk, fcntl.LOCK_EX)
            with open(path, "rb") as f:
                data = f.read()
            zlib.crc32(data)
            with open(tmp, "wb") as f:
                f.write(data)
                if fsync:
                    f.flush()
                    os.fsync(f.fileno())
            os.replace(tmp, path)
    return fn


def row(name, t, floor=None):
    ratio = f"{t / floor:5.2f}x floor" if floor else ""
    print(f"  {name:<48} {t * 1e6:9.1f} us  {ratio}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n, r = args.calls, args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        for fsync in (False, True):
            d = Path(tmp) / f"fsync{int(fsync)}"
            d.mkdir()
            with sim_cluster.open_sim(d, fsync=fsync) as c:
                state = c.config.state_file
                print(f"simulated cluster, fsync={'on' if fsync else 'off'}, state file "
                      f"{state.stat().st_size:,} bytes")
                floor_r = per_call(read_floor(state), n, r)
                (Path(tmp) / "floor.state").write_bytes(state.read_bytes())
                floor_w = per_call(write_floor(Path(tmp) / "floor.state", fsync), n // 10 if fsync else n, r)
                if not fsync:
                    row("read floor: open+read+crc32 (Python)", floor_r)
                    row("raw.prepare_shared_volume_for_backup", per_call(
                        lambda: cb.raw.prepare_shared_volume_for_backup(V31 + "vm.vhdx", 260, 50),
                        n, r), floor_r)
                    row("raw.get_volume_path_name", per_call(
                        lambda: cb.raw.get_volume_path_name(V31 + "a\\b\\c.txt", 260), n, r), floor_r)
                    row("raw GET_SHARED_VOLUME_INFO (652 B out)", per_call(
                        lambda: cb.raw.resource_control(
                            c, "Cluster Disk 31", cb.controls.CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO,
                            None, 1024), n, r), floor_r)
                    row("Cluster.get_common_properties (parsed)",
                        per_call(c.get_common_properties, n, r), floor_r)
                    row("Cluster.backup_state (a CSV seen before)", per_call(
                        lambda: c.backup_state("Volume31"), n // 4, r), floor_r)
                mode = cb.SharedVolumeBackupMode(cb.BackupState.IN_PROGRESS, 600, "Volume31").to_bytes()
                code = cb.controls.CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE
                row("write floor: flock+read+write+rename (Python)", floor_w)
                row("raw SET_SHARED_VOLUME_BACKUP_MODE", per_call(
                    lambda code=code, mode=mode: cb.raw.resource_control(
                        c, "Cluster Disk 31", code, mode, 0),
                    n // 10 if fsync else n, r), floor_w)


if __name__ == "__main__":
    main()
