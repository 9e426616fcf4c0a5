"""Cluster coordination: CSV backup mode, Prepare/Clear, control codes and common properties.

``open_cluster()`` gives a :class:`Cluster`. On Windows it is the local failover cluster,
through the real ClusAPI.dll and ResUtils.dll; elsewhere (or with ``config=`` /
``CSVBACKUP_CLUSTER``) it is a simulated cluster (``csvbackup.simulator``). Both run the same
C calls from the same Cython code, and ``Cluster.backend`` says which answered: there is no
silent fallback from one to the other.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import struct
import sys

from . import _csvcore as _core
from . import controls
from .backup_mode import BackupState, SharedVolumeBackupMode
from .clusprop import PropertyList, ValueList
from .errors import (
    ERROR_FILENAME_EXCED_RANGE,
    ERROR_INVALID_PARAMETER,
    ERROR_MORE_DATA,
    ERROR_NOT_SUPPORTED,
    ERROR_RESOURCE_NOT_FOUND,
    ERROR_SUCCESS,
    InvalidParameterError,
    StateFileError,
    Win32Error,
)
from .session import BackupSession

__all__ = ["open_cluster", "Cluster", "SharedVolume", "PreparedVolume", "CsvVolumeInfo",
           "ResourceState"]

MAX_PATH = 260
_VOLUME_INFO = struct.Struct("<QIII520s100s")  # CLUS_CSV_VOLUME_INFO, 640 bytes (csv_backup.h)


@dataclasses.dataclass(frozen=True)
class SharedVolume:
    """One Cluster Shared Volume: friendly name, mount point, volume GUID path, its resource,
    the node that owns it and its backup state when listed.

    An offline CSV answers no volume query (ERROR_RESOURCE_NOT_ONLINE): it is listed with
    ``online=False``, state NONE, and the names last seen while it was online (a simulated
    cluster's from its configuration; on Windows "" if this Cluster never saw it online).
    """

    name: str
    path: str
    volume_guid_path: str
    resource: str
    owner_node: str
    state: BackupState
    online: bool = True


@dataclasses.dataclass(frozen=True)
class PreparedVolume:
    """What ClusterPrepareSharedVolumeForBackup returns: the CSV's volume path (its mount
    point, ``C:\\ClusterStorage\\Volume1\\``) and its volume GUID path."""

    volume_path: str
    volume_name: str


@dataclasses.dataclass(frozen=True)
class CsvVolumeInfo:
    """One CLUS_CSV_VOLUME_INFO (CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO)."""

    volume_offset: int
    partition_number: int
    fault_state: int
    backup_state: BackupState
    friendly_name: str
    volume_name: str

    @classmethod
    def from_bytes(cls, data):
        """Decode the 640 bytes of one CLUS_CSV_VOLUME_INFO."""
        if len(data) != _VOLUME_INFO.size:
            raise InvalidParameterError(
                f"a CLUS_CSV_VOLUME_INFO is {_VOLUME_INFO.size} bytes, not {len(data)}")
        offset, partition, fault, state, friendly, name = _VOLUME_INFO.unpack(data)
        if state > 1:
            raise InvalidParameterError(f"CLUS_CSV_VOLUME_INFO.BackupState is {state} (0 or 1)")
        return cls(offset, partition, fault, BackupState(state), _wstr(friendly, "szVolumeFriendlyName"),
                   _wstr(name, "szVolumeName"))


@dataclasses.dataclass(frozen=True)
class ResourceState:
    """GetClusterResourceState: the state (CLUSTER_RESOURCE_STATE), owner node and group."""

    state: int
    owner_node: str
    group: str

    @property
    def online(self):
        """True for ClusterResourceOnline (2)."""
        return self.state == 2


def _wstr(field, what):
    units = field.decode("utf-16-le", "surrogatepass")
    end = units.find("\0")
    if end < 0:
        raise InvalidParameterError(f"{what} has no NUL")
    return units[:end]


@functools.lru_cache(maxsize=4096)
def _fold(path):
    """A volume's name, path or resource in the one form csvbackup compares them in (the C
    canonicaliser and simple uppercase of include/csvbackup/filespec.h, as VolumeMap and the
    simulator use them). Cached: a cluster has few names, and every lookup folds them all."""
    return _core.canonical_path(path)[1]


class Cluster:
    """An open failover cluster (real or simulated); use as a context manager or close()."""

    def __init__(self, handle, backend, config=None):
        self._handle = handle
        self.backend = backend  #: "clusapi" (Windows) or "simulator"
        self.config = config    #: the SimulatorConfig, for a simulated cluster
        self._seen = {}  # resource -> CsvVolumeInfo list, from when it was last online
        if config is not None:  # a simulated cluster's topology is known without asking it
            for v in config.shared_volumes:
                self._seen[v.resource] = [CsvVolumeInfo(v.volume_offset, v.partition_number, 0,
                                                        BackupState.NONE, v.name,
                                                        v.volume_guid_path)]

    # --- life cycle ---
    def close(self):
        """CloseCluster; the object is unusable afterwards."""
        self._handle.close()

    @property
    def closed(self):
        """True once closed."""
        return self._handle.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        where = f" {self.config.path}" if self.config else ""
        return f"<Cluster backend={self.backend!r}{where}{' closed' if self.closed else ''}>"

    def _call(self, fn, *args):
        try:
            return fn(*args)
        except StateFileError as e:
            if self.config is not None:
                e.path = self.config.state_file
            raise

    # --- resources ---
    def nodes(self):
        """The cluster's node names."""
        return [n for _, n in self._call(_core.enum_cluster, self._handle, _core.CLUSTER_ENUM_NODE)]

    def resources(self):
        """Every resource's name (CSVs included)."""
        return [n for _, n in self._call(_core.enum_cluster, self._handle,
                                         _core.CLUSTER_ENUM_RESOURCE)]

    @contextlib.contextmanager
    def _resource(self, name):
        handle = self._call(_core.open_resource, self._handle, _name(name, "resource"))
        try:
            yield handle
        finally:
            handle.close()

    def resource_state(self, resource):
        """GetClusterResourceState of a resource: ResourceState(state, owner_node, group)."""
        with self._resource(resource) as h:
            return ResourceState(*self._call(_core.resource_state, h))

    def set_resource_online(self, resource, online=True):
        """OnlineClusterResource / OfflineClusterResource; False if the change is pending."""
        with self._resource(resource) as h:
            return self._call(_core.set_resource_online, h, online)

    def resource_control(self, resource, code, in_buffer=b""):
        """ClusterResourceControl(resource, code, in_buffer): the output bytes. The output
        buffer grows and the call is retried on ERROR_MORE_DATA (234)."""
        with self._resource(resource) as h:
            return self._call(_core.resource_control, h, int(code), in_buffer)

    def cluster_control(self, code, in_buffer=b""):
        """ClusterControl(code, in_buffer): the output bytes (grown and retried on 234)."""
        return self._call(_core.cluster_control, self._handle, int(code), in_buffer)

    # --- shared volumes ---
    def volume_info(self, resource):
        """The CLUS_CSV_VOLUME_INFO of each partition of a CSV resource."""
        out = self.resource_control(resource,
                                    controls.CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO)
        infos = [CsvVolumeInfo.from_bytes(bytes(v.value)) for v in ValueList.from_buffer(out)]
        self._seen[resource] = infos
        return infos

    def shared_volumes(self):
        """Every CSV: [SharedVolume(name, path, volume_guid_path, resource, owner_node, state)]."""
        root = str(self.get_common_properties()["SharedVolumesRoot"].value).rstrip("\\")
        result = []
        for _, resource in self._call(_core.enum_cluster, self._handle,
                                      _core.CLUSTER_ENUM_SHARED_VOLUME_RESOURCE):
            rs = self.resource_state(resource)
            if rs.online:
                infos = self.volume_info(resource)
            else:
                infos = self._seen.get(resource) or [CsvVolumeInfo(0, 0, 0, BackupState.NONE, "", "")]
            for info in infos:
                path = f"{root}\\{info.friendly_name}\\" if info.friendly_name else ""
                result.append(SharedVolume(info.friendly_name, path, info.volume_name, resource,
                                           rs.owner_node,
                                           info.backup_state if rs.online else BackupState.NONE,
                                           rs.online))
        return result

    def shared_volume(self, volume):
        """The SharedVolume `volume` names (its name, path, volume GUID path or resource);
        NotSharedVolumeError when none."""
        return self._volume(volume)

    def _volume(self, volume):
        """The SharedVolume `volume` names: itself, or its name, path, GUID path or resource."""
        if isinstance(volume, SharedVolume):
            volume = volume.resource
        if not isinstance(volume, str):
            raise TypeError(f"volume: a SharedVolume or str, not {type(volume).__name__}")
        key = _fold(volume)
        for v in self.shared_volumes():
            if key in (_fold(v.resource), *(_fold(x) for x in (v.name, v.path, v.volume_guid_path) if x)):
                return v
        raise _core.check_status(ERROR_RESOURCE_NOT_FOUND,
                                 f"no Cluster Shared Volume is named {volume!r}") or None

    def backup_state(self, volume):
        """The CSV's backup state (CLUS_CSV_VOLUME_INFO.BackupState); an offline CSV raises
        ResourceNotOnlineError."""
        if isinstance(volume, str):  # fast path: a CSV seen before, asked directly
            key = _fold(volume)
            for resource, infos in list(self._seen.items()):
                if key == _fold(resource) or any(key in (_fold(i.friendly_name), _fold(i.volume_name))
                                                 for i in infos):
                    with contextlib.suppress(Win32Error):
                        fresh = self.volume_info(resource)
                        if key == _fold(resource) or any(
                                key in (_fold(i.friendly_name), _fold(i.volume_name)) for i in fresh):
                            return fresh[0].backup_state
        v = self._volume(volume)
        return v.state if v.online else self.volume_info(v.resource)[0].backup_state

    def set_backup_mode(self, volume, state, delay_timer_secs=0):
        """CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE on the CSV's resource. IN_PROGRESS
        needs a delay > 0: if no backup starts before it expires, the mode lapses to NONE."""
        v = self._volume(volume)
        name = v.name if v.online else self.volume_info(v.resource)[0].friendly_name  # offline: 5004
        mode = SharedVolumeBackupMode(BackupState(state), delay_timer_secs, name)
        self.resource_control(v.resource, controls.CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE,
                              mode.to_bytes())

    def backup_session(self, volumes, delay_timer_secs=600):
        """A :class:`~csvbackup.session.BackupSession`: backup mode IN_PROGRESS on every volume
        for the ``with`` block, which it yields (the SharedVolumes); NONE again on the way out,
        whether the block ends, raises or is interrupted, including by a Ctrl-C that lands
        while the session is entering or leaving. If setting one volume fails, those already
        set are cleared before the error propagates."""
        if isinstance(volumes, (str, SharedVolume)):
            volumes = [volumes]
        if delay_timer_secs <= 0:
            raise InvalidParameterError("delay_timer_secs must be > 0 for a backup session")
        return BackupSession(self, volumes, delay_timer_secs)

    def prepare_shared_volume_for_backup(self, path):
        """ClusterPrepareSharedVolumeForBackup(path): PreparedVolume(volume_path, volume_name).
        Buffers start at MAX_PATH and grow on ERROR_MORE_DATA to the reported sizes."""
        path = _path(path)
        c1, c2 = MAX_PATH, MAX_PATH
        for _ in range(4):
            rc, vp, n1, vn, n2 = self._call(_core.prepare_shared_volume_for_backup, path, c1, c2)
            if rc == ERROR_SUCCESS:
                return PreparedVolume(vp, vn)
            if rc != ERROR_MORE_DATA:
                break
            # Modern Windows may zero the counts instead of reporting sizes
            # (docs/reference/cluster-formats.md section 4.2): then grow to the longest path there
            # is.
            c1, c2 = (n1, n2) if n1 > c1 or n2 > c2 else (32768, 32768)
        _core.check_status(rc, f"ClusterPrepareSharedVolumeForBackup({path!r})")

    def clear_backup_state(self, volume_path):
        """ClusterClearBackupStateForSharedVolume(volume_path): backup-in-progress off now."""
        self._call(_core.clear_backup_state, _path(volume_path, "volume_path"))

    def is_path_on_shared_volume(self, path):
        """ClusterIsPathOnSharedVolume(path)."""
        return self._call(_core.is_path_on_shared_volume, _path(path))

    def get_volume_path_name(self, path):
        """ClusterGetVolumePathName(path): the volume path (mount point) holding `path`."""
        path = _path(path)
        for cch in (len(path) + 64, 32768):
            ok, err, out = self._call(_core.get_volume_path_name, path, cch)
            if ok:
                return out
            if err != ERROR_FILENAME_EXCED_RANGE:
                break
        _core.check_status(err or ERROR_INVALID_PARAMETER, f"ClusterGetVolumePathName({path!r})")

    def get_volume_name_for_mount_point(self, mount_point):
        """ClusterGetVolumeNameForVolumeMountPoint(mount_point): its \\\\?\\Volume{GUID}\\."""
        mount_point = _path(mount_point, "mount_point")
        ok, err, out = self._call(_core.get_volume_name_for_mount_point, mount_point, 51)
        if not ok:
            _core.check_status(err or ERROR_INVALID_PARAMETER,
                               f"ClusterGetVolumeNameForVolumeMountPoint({mount_point!r})")
        return out

    def shared_volume_id(self, path):
        """CLUSCTL_CLUSTER_GET_SHARED_VOLUME_ID: "<resource id>:<partition offset>"."""
        data = self.cluster_control(controls.CLUSCTL_CLUSTER_GET_SHARED_VOLUME_ID,
                                    _path(path).encode("utf-16-le", "surrogatepass") + b"\0\0")
        return _wstr(data, "the shared volume id")

    # --- common properties ---
    def get_common_properties(self):
        """CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES as a PropertyList (BackupInProgress, ...)."""
        return PropertyList.from_buffer(
            self.cluster_control(controls.CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES))

    def set_common_properties(self, properties):
        """CLUSCTL_CLUSTER_SET_COMMON_PROPERTIES with a PropertyList or mapping."""
        pl = properties if isinstance(properties, PropertyList) else PropertyList(properties)
        self.cluster_control(controls.CLUSCTL_CLUSTER_SET_COMMON_PROPERTIES, pl.to_bytes())

    def validate_common_properties(self, properties):
        """CLUSCTL_CLUSTER_VALIDATE_COMMON_PROPERTIES: raises what SET would, changes nothing."""
        pl = properties if isinstance(properties, PropertyList) else PropertyList(properties)
        self.cluster_control(controls.CLUSCTL_CLUSTER_VALIDATE_COMMON_PROPERTIES, pl.to_bytes())


def _name(value, what):
    if not isinstance(value, str):
        raise TypeError(f"{what}: a str, not {type(value).__name__}")
    return value


def _path(value, what="path"):
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise TypeError(f"{what}: a str or os.PathLike, not {type(value).__name__}")
    return value


def open_cluster(config=None, *, name=None, reset=False):
    """Open a failover cluster.

    - ``config`` (a path to a simulator TOML file), else ``$CSVBACKUP_CLUSTER``: that
      simulated cluster. Its state file must exist (``csvbackup sim init`` writes it;
      ``reset=True`` writes a new one): a missing one raises StateFileError naming it;
    - else on Windows: the cluster `name` (None: the one this machine is a node of), through
      ClusAPI.dll;
    - else: the embedded default simulated cluster, written on first use where
      :func:`csvbackup.simulator.default_config_path` says.
    """
    from . import simulator

    config = config or os.environ.get("CSVBACKUP_CLUSTER") or None
    if config is None and sys.platform == "win32":
        return Cluster(_core.open_cluster(name), "clusapi")
    if not _core.HAVE_SIMULATOR:
        raise _core.check_status(ERROR_NOT_SUPPORTED,
                                 "the simulated cluster is built only off Windows") or None
    first_use = False
    if config is None:
        config = simulator.default_config_path()
        if not config.exists():  # the whole default cluster is new: its state file too
            simulator.write_example(config.parent)
            first_use = True
    cfg = simulator.load_config(config)
    simulator.attach(cfg, reset=reset, create=first_use)
    return Cluster(_core.open_cluster(name), "simulator", cfg)
