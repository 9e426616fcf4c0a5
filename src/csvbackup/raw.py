"""The cluster calls with their C contract visible, for benchmark suites and ports.

These are the functions of ``include/csvbackup/clusapi.h`` as C sees them: they return the
status (or BOOL and last error) and the counts instead of raising, so a caller can observe
ERROR_MORE_DATA and the required sizes exactly. They act on this process's local cluster
(``cb.open_cluster()`` attaches the simulated one).
"""
from . import _csvcore as _core

__all__ = ["prepare_shared_volume_for_backup", "get_volume_path_name",
           "get_volume_name_for_mount_point", "is_path_on_shared_volume",
           "resource_control", "cluster_control"]


def prepare_shared_volume_for_backup(path, cch_volume_path, cch_volume_name):
    """ClusterPrepareSharedVolumeForBackup(path, buf1, &cch1, buf2, &cch2) with buffers of
    the given sizes in WCHARs (0: a NULL buffer): ``(status, volume_path, cch1, volume_name,
    cch2)``; the strings are None unless status is 0. The simulator's counts include the NUL,
    on ERROR_MORE_DATA (234) and on success (whether Windows' do is UNVERIFIED)."""
    return _core.prepare_shared_volume_for_backup(path, cch_volume_path, cch_volume_name)


def get_volume_path_name(path, cch):
    """ClusterGetVolumePathName(path, buf, cch): ``(ok, last_error, volume_path)``."""
    return _core.get_volume_path_name(path, cch)


def get_volume_name_for_mount_point(mount_point, cch):
    """ClusterGetVolumeNameForVolumeMountPoint(mount_point, buf, cch): ``(ok, last_error,
    volume_name)``."""
    return _core.get_volume_name_for_mount_point(mount_point, cch)


def is_path_on_shared_volume(path):
    """ClusterIsPathOnSharedVolume(path) -> bool."""
    return _core.is_path_on_shared_volume(path)


def resource_control(cluster, resource, code, in_buffer, out_size):
    """ClusterResourceControl with an `out_size`-byte output buffer on `cluster` (a
    :class:`csvbackup.Cluster`): ``(status, output, bytes_returned)``."""
    handle = _core.open_resource(cluster._handle, resource)
    try:
        return _core.raw_resource_control(handle, int(code), in_buffer, out_size)
    finally:
        handle.close()


def cluster_control(cluster, code, in_buffer, out_size):
    """ClusterControl with an `out_size`-byte output buffer: ``(status, output,
    bytes_returned)``."""
    return _core.raw_cluster_control(cluster._handle, int(code), in_buffer, out_size)
