"""The simulated cluster: its TOML configuration, ``csvbackup sim init``, and the clock.

Off Windows, csvbackup's direct cluster calls go to ``src/clussim/``, a simulated failover
cluster kept in a *state file* that every process opening the same configuration shares
(locked, atomically replaced, CRC-checked: see ``src/clussim/clussim.h``). The configuration
says what the cluster is::

    [cluster]
    name = "CLUSTER1"
    nodes = ["NODE1", "NODE2"]
    local_node = "NODE1"                     # the node this machine plays
    behaviour = "modern"                     # or "2008r2" (Prepare sets backup in progress)
    shared_volumes_root = 'C:\\ClusterStorage'
    system_volume = '\\\\?\\Volume{...}\\'
    state_file = "cluster.state"             # relative to the configuration file

    [[shared_volume]]
    resource = "Cluster Disk 1"
    name = "Volume1"                         # friendly name: C:\\ClusterStorage\\Volume1\\
    volume_guid_path = '\\\\?\\Volume{...}\\'
    owner_node = "NODE1"
    local_dir = "volumes/Volume1"            # the real directory holding its files

    [[resource]]                             # other resources (not CSVs)
    name = "Cluster IP Address"
    type = "IP Address"

``load_config`` checks every field and names the file and key of anything wrong.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import stat
import tomllib
import uuid
from pathlib import Path, PureWindowsPath

from . import _csvcore as _core
from .errors import AccessDeniedError, InvalidParameterError, StateFileError

__all__ = ["SimulatorConfig", "SharedVolumeConfig", "ResourceConfig", "load_config", "init",
           "write_example", "set_time", "now", "BEHAVIOURS", "default_config_path"]

#: ``behaviour`` values: what ClusterPrepareSharedVolumeForBackup does
#: (docs/reference/cluster-formats.md section 4.3).
BEHAVIOURS = {"modern": 0, "2008r2": 1}

_GUID_PATH = re.compile(r"\\\\\?\\Volume\{[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\}\\\Z")
_BAD_NAME = re.compile(r'[\x00-\x1f\\/:*?"<>|]')
# uuid5 namespace for resource ids that a configuration does not give
_ID_NAMESPACE = uuid.UUID("7c1f7f2e-3b0a-5b8e-9a4e-6d1c2b3a4f50")
# Names compare as the simulator's C compares them: csvb_fold_unit (include/csvbackup/
# filespec.h), the simple uppercase of each UTF-16 unit.
_fold = _core.fold_name


@dataclasses.dataclass(frozen=True)
class SharedVolumeConfig:
    """One CSV of a simulated cluster."""

    resource: str
    name: str
    volume_guid_path: str
    owner_node: str
    local_dir: Path | None
    online: bool = True
    partition_number: int = 2
    volume_offset: int = 1048576
    id: uuid.UUID | None = None


@dataclasses.dataclass(frozen=True)
class ResourceConfig:
    """A resource that is not a CSV (so CSV control codes sent to it fail with 1)."""

    name: str
    type: str
    owner_node: str
    online: bool = True
    id: uuid.UUID | None = None


@dataclasses.dataclass(frozen=True)
class SimulatorConfig:
    """A simulated cluster, as read from its TOML file by :func:`load_config`."""

    path: Path
    name: str
    nodes: tuple
    local_node: str
    behaviour: str
    shared_volumes_root: str
    system_volume: str
    system_devices: tuple
    description: str
    domain_account: bool
    fsync: bool
    state_file: Path
    shared_volumes: tuple
    resources: tuple

    @property
    def fingerprint(self):
        """16 bytes naming this topology; a state file made from another is refused."""
        topology = dataclasses.asdict(self)
        for key in ("path", "local_node", "state_file"):
            topology.pop(key)
        text = json.dumps(topology, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).digest()[:16]

    def mount_point(self, volume):
        """The CSV's mount point: SharedVolumesRoot\\<name>\\."""
        return f"{self.shared_volumes_root}\\{volume.name}\\"


def _show(value):
    """repr(value) for a message; an integer too long for repr (over int()'s 4,300-digit
    limit, which a hexadecimal TOML integer passes) is described instead."""
    if isinstance(value, int) and value.bit_length() > 256:
        return f"an integer of {value.bit_length():,} bits"
    return repr(value)


def _fail(path, key, message):
    raise InvalidParameterError(f"{path}: {key}: {message}")


def _get(table, key, kind, path, where, default=dataclasses.MISSING):
    if key not in table:
        if default is dataclasses.MISSING:
            _fail(path, f"{where}{key}", "missing")
        return default
    value = table[key]
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        _fail(path, f"{where}{key}", f"expected {getattr(kind, '__name__', kind)}, got {_show(value)}")
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        if isinstance(item, str) and "\0" in item:  # C would read the string only up to it
            at = f"[{index}]" if isinstance(value, list) else ""
            _fail(path, f"{where}{key}{at}", f"{item!r} contains a NUL character")
    return value


def _units(text):
    """Its length in UTF-16 units, as the simulator's C stores it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _name(value, path, key, limit=63):
    if not value or _units(value) > limit or _BAD_NAME.search(value) or value[-1] in " .":
        _fail(path, key, f"{value!r} is not a valid name (1-{limit} UTF-16 units, no \\ / : * ? "
                         f"\" < > | or control characters, not ending in a space or dot)")
    return value


def _guid_path(value, path, key):
    if not _GUID_PATH.match(value):
        _fail(path, key, f"{value!r} is not a volume GUID path \\\\?\\Volume{{GUID}}\\")
    return value.lower().replace("\\\\?\\volume{", "\\\\?\\Volume{")


def _uuid(table, path, key):
    if "id" not in table:
        return None
    try:
        return uuid.UUID(_get(table, "id", str, path, key))
    except ValueError:
        _fail(path, f"{key}id", f"{table['id']!r} is not a GUID")


# A configuration is a page of TOML: 1 MiB is far more than 64 resources take, and bounds the
# work of reading a hostile one.
_MAX_CONFIG_BYTES = 1 << 20
# Dotted keys deeper than this are refused before tomllib reads them: it takes time quadratic in
# a key's depth (50,000 levels ran for minutes), and no key of a configuration has more than two.
_MAX_KEY_DEPTH = 16
# The simulator keeps the state file's path, and makes "<path>.lock" and "<path>.tmp", in
# 4,096-byte buffers (src/clussim/state.c).
_MAX_STATE_PATH_BYTES = 4096 - 8
# Strings and comments, found in one linear pass: every alternative succeeds once started (an
# unterminated string runs to the end of its line, or of the text), so nothing is rescanned.
_TOML_SKIP = re.compile(r'"""[\s\S]*?(?:"""|\Z)|' r"'''[\s\S]*?(?:'''|\Z)|"
                        r'"(?:[^"\\\n]|\\[^\n]?)*"?|' r"'[^'\n]*'?|(?P<comment>#[^\n]*)")
# _MAX_KEY_DEPTH dotted parts; a part starts only where a word does and is read possessively,
# so each part is read a bounded number of times.
_DEEP_KEY = re.compile(rf'(?<![\w"-])(?:(?:[\w-]++|"")[ \t]*+\.[ \t]*+){{{_MAX_KEY_DEPTH}}}')


def _read_config(path):
    """The configuration's text: a regular file of at most 1 MiB, UTF-8 (as TOML is)."""
    def unreadable(e):
        kind = AccessDeniedError if isinstance(e, PermissionError) else InvalidParameterError
        return kind(f"{path}: cannot read the cluster configuration: {e.strerror or e}")
    try:
        # O_NONBLOCK: a FIFO in the configuration's place must not block the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise unreadable(e) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InvalidParameterError(f"{path}: the cluster configuration is not a regular file")
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(_MAX_CONFIG_BYTES + 1)
        except OSError as e:
            raise unreadable(e) from None
    if len(data) > _MAX_CONFIG_BYTES:
        raise InvalidParameterError(f"{path}: over {_MAX_CONFIG_BYTES:,} bytes: not a cluster "
                                    "configuration")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InvalidParameterError(f"{path}: byte {e.start}: not UTF-8 (a TOML file is UTF-8)") \
            from None


def _parse_toml(text, path):
    bare = _TOML_SKIP.sub(lambda m: "" if m["comment"] else '""', text)
    if _DEEP_KEY.search(bare):
        raise InvalidParameterError(f"{path}: not a cluster configuration: a key with over "
                                    f"{_MAX_KEY_DEPTH} dotted parts")
    try:
        return tomllib.loads(text)
    except ValueError as e:  # TOMLDecodeError, and int()'s digit limit on a huge integer
        raise InvalidParameterError(f"{path}: not valid TOML: {e}") from None
    except RecursionError:
        raise InvalidParameterError(f"{path}: not a cluster configuration: arrays or tables "
                                    "nested too deeply to read") from None


def load_config(path):
    """Read and check a simulated cluster's TOML configuration: InvalidParameterError naming
    the file (and the key) for anything wrong, AccessDeniedError when it cannot be read."""
    try:
        path = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop: RuntimeError before Python 3.13
        path = Path(os.path.abspath(path))
    doc = _parse_toml(_read_config(path), path)
    unknown = set(doc) - {"cluster", "shared_volume", "resource"}
    if unknown:
        _fail(path, sorted(unknown)[0], "unknown table")
    c = _get(doc, "cluster", dict, path, "")
    known = {"name", "nodes", "local_node", "behaviour", "shared_volumes_root", "system_volume",
             "system_devices", "description", "domain_account", "fsync", "state_file"}
    if set(c) - known:
        _fail(path, f"cluster.{sorted(set(c) - known)[0]}", "unknown key")
    name = _name(_get(c, "name", str, path, "cluster."), path, "cluster.name")
    nodes = _get(c, "nodes", list, path, "cluster.")
    if not 1 <= len(nodes) <= 16:
        _fail(path, "cluster.nodes", f"a cluster has 1-16 nodes, not {len(nodes)}")
    for k, node in enumerate(nodes):
        if not isinstance(node, str):
            _fail(path, f"cluster.nodes[{k}]", f"expected str, got {_show(node)}")
        _name(node, path, f"cluster.nodes[{k}]")
    folded = [_fold(n) for n in nodes]
    if len(set(folded)) != len(nodes):
        _fail(path, "cluster.nodes", "node names repeat (they compare case-insensitively)")

    def node_of(value, key):
        if _fold(value) not in folded:
            _fail(path, key, f"{value!r} is not one of the cluster's nodes {nodes}")
        return nodes[folded.index(_fold(value))]

    local_node = node_of(_get(c, "local_node", str, path, "cluster.", nodes[0]), "cluster.local_node")
    behaviour = _get(c, "behaviour", str, path, "cluster.", "modern")
    if behaviour not in BEHAVIOURS:
        _fail(path, "cluster.behaviour", f"{behaviour!r}: one of {sorted(BEHAVIOURS)}")
    root = _get(c, "shared_volumes_root", str, path, "cluster.", "C:\\ClusterStorage")
    parts = PureWindowsPath(root).parts
    if (not re.match(r"[A-Za-z]:\\[^\\]", root) or root.endswith("\\") or "/" in root
            or _units(root) > 200 or any(_BAD_NAME.search(p) or p in (".", "..") for p in parts[1:])):
        _fail(path, "cluster.shared_volumes_root",
              f"{root!r} is not a folder path like C:\\ClusterStorage (no final backslash)")
    system_volume = _guid_path(_get(c, "system_volume", str, path, "cluster.",
                                    "\\\\?\\Volume{00000000-0000-0000-0000-000000000001}\\"),
                               path, "cluster.system_volume")
    devices = _get(c, "system_devices", list, path, "cluster.",
                   ["\\Device\\HarddiskVolume1", "\\Device\\Harddisk0\\Partition1"])
    if len(devices) > 2 or not all(isinstance(d, str) and re.match(r"\\Device\\[^\\/]", d)
                                   and len(d) < 128 for d in devices):
        _fail(path, "cluster.system_devices", "at most 2 names like \\Device\\HarddiskVolume1")
    description = _get(c, "description", str, path, "cluster.", "")
    if _units(description) > 259:
        _fail(path, "cluster.description", "at most 259 UTF-16 units")
    given_state = _get(c, "state_file", str, path, "cluster.", "cluster.state")
    state_file = path.parent / given_state
    if Path(given_state).name in ("", ".", "..") or given_state.endswith(("/", os.sep)):
        _fail(path, "cluster.state_file", f"{given_state!r} does not name a file")
    if len(os.fsencode(state_file)) > _MAX_STATE_PATH_BYTES:
        _fail(path, "cluster.state_file", f"the path is over {_MAX_STATE_PATH_BYTES:,} bytes")

    ids = set()

    def resource_id(table, key, res_name):
        rid = _uuid(table, path, key) or uuid.uuid5(_ID_NAMESPACE, f"{name}/{_fold(res_name)}")
        if rid in ids:
            _fail(path, f"{key}id", "resource ids repeat")
        ids.add(rid)
        return rid

    volumes, names, resources = [], set(), []
    for k, v in enumerate(_get(doc, "shared_volume", list, path, "", [])):
        key = f"shared_volume[{k}]."
        if not isinstance(v, dict):
            _fail(path, key[:-1], "expected a table")
        extra = set(v) - {"resource", "name", "volume_guid_path", "path", "owner_node",
                          "local_dir", "online", "partition_number", "volume_offset", "id"}
        if extra:
            _fail(path, key + sorted(extra)[0], "unknown key")
        res = _name(_get(v, "resource", str, path, key), path, key + "resource", 259)
        friendly = _name(_get(v, "name", str, path, key), path, key + "name", 200)
        local = _get(v, "local_dir", str, path, key, None)
        if local:
            try:
                local = (path.parent / local).resolve()
            except (OSError, RuntimeError) as e:  # a symlink loop: RuntimeError before 3.13
                _fail(path, key + "local_dir", f"{local!r}: {e}")
            if len(os.fsencode(local)) > 1023:
                _fail(path, key + "local_dir", "the path is over 1,023 bytes (UTF-8)")
        vol = SharedVolumeConfig(
            resource=res, name=friendly,
            volume_guid_path=_guid_path(_get(v, "volume_guid_path", str, path, key), path,
                                        key + "volume_guid_path"),
            owner_node=node_of(_get(v, "owner_node", str, path, key, local_node), key + "owner_node"),
            local_dir=local or None,
            online=_get(v, "online", bool, path, key, True),
            partition_number=_get(v, "partition_number", int, path, key, 2),
            volume_offset=_get(v, "volume_offset", int, path, key, 1048576),
            id=resource_id(v, key, res))
        if not 0 <= vol.partition_number < 2**32:
            _fail(path, key + "partition_number", f"{_show(vol.partition_number)} is not a DWORD")
        if not 0 <= vol.volume_offset < 2**64:
            _fail(path, key + "volume_offset", f"{_show(vol.volume_offset)} is not a ULARGE_INTEGER")
        given = v.get("path")
        if given is not None and (not isinstance(given, str) or _core.canonical_path(given)[1]
                                  != _core.canonical_path(f"{root}\\{friendly}")[1]):
            _fail(path, key + "path", f"{_show(given)}: a CSV's path is SharedVolumesRoot\\name\\ "
                                      f"({root}\\{friendly}\\)")
        for label, value in (("resource", _fold(res)), ("name", _fold(friendly)),
                             ("volume_guid_path", vol.volume_guid_path.lower())):
            if (label, value) in names:
                _fail(path, key + label, f"{value!r} is used twice")
            names.add((label, value))
        if vol.volume_guid_path == system_volume:
            _fail(path, key + "volume_guid_path", "is the system volume's")
        volumes.append(vol)
    for k, r in enumerate(_get(doc, "resource", list, path, "", [])):
        key = f"resource[{k}]."
        if not isinstance(r, dict):
            _fail(path, key[:-1], "expected a table")
        extra = set(r) - {"name", "type", "owner_node", "online", "id"}
        if extra:
            _fail(path, key + sorted(extra)[0], "unknown key")
        res = _name(_get(r, "name", str, path, key), path, key + "name", 259)
        if ("resource", _fold(res)) in names:
            _fail(path, key + "name", f"{res!r} is used twice")
        names.add(("resource", _fold(res)))
        resources.append(ResourceConfig(
            name=res, type=_name(_get(r, "type", str, path, key), path, key + "type"),
            owner_node=node_of(_get(r, "owner_node", str, path, key, local_node), key + "owner_node"),
            online=_get(r, "online", bool, path, key, True), id=resource_id(r, key, res)))
    if len(volumes) + len(resources) > 64:
        _fail(path, "shared_volume", "a simulated cluster has at most 64 resources")
    return SimulatorConfig(
        path=path, name=name, nodes=tuple(nodes), local_node=local_node, behaviour=behaviour,
        shared_volumes_root=root, system_volume=system_volume, system_devices=tuple(devices),
        description=description, domain_account=_get(c, "domain_account", bool, path,
                                                     "cluster.", True),
        fsync=_get(c, "fsync", bool, path, "cluster.", True), state_file=state_file,
        shared_volumes=tuple(volumes), resources=tuple(resources))


def _topology(cfg):
    nodes = [_fold(n) for n in cfg.nodes]
    cluster = dict(
        name=cfg.name, nodes=list(cfg.nodes), system_drive=cfg.shared_volumes_root[:2].upper(),
        system_volume=cfg.system_volume, system_devices=list(cfg.system_devices),
        shared_volumes_root=cfg.shared_volumes_root, description=cfg.description,
        backup_in_progress=0, behaviour=BEHAVIOURS[cfg.behaviour],
        domain_account=cfg.domain_account, fsync=cfg.fsync, fingerprint=cfg.fingerprint)
    resources = [dict(name=v.resource, type="Physical Disk", id=v.id.bytes,
                      owner_node=nodes.index(_fold(v.owner_node)), online=v.online, is_csv=True,
                      friendly_name=v.name, volume_guid_path=v.volume_guid_path,
                      volume_offset=v.volume_offset, partition_number=v.partition_number,
                      local_dir=str(v.local_dir) if v.local_dir else "")
                 for v in cfg.shared_volumes]
    resources += [dict(name=r.name, type=r.type, id=r.id.bytes,
                       owner_node=nodes.index(_fold(r.owner_node)), online=r.online,
                       is_csv=False) for r in cfg.resources]
    return cluster, resources


def attach(cfg, *, reset=False, create=False):
    """Make the state file of `cfg` this process's local cluster, playing ``cfg.local_node``.

    Only `reset` (a new state, replacing any) or `create` (a new state where none exists)
    writes one: a missing state file is a lost state (StateFileError naming it), never an
    empty cluster brought back behind the backup's back."""
    if reset or create:
        cluster, resources = _topology(cfg)
        try:
            cfg.state_file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            message = f"cannot make the folder of state file {cfg.state_file}: {e.strerror or e}"
            if isinstance(e, PermissionError):
                raise AccessDeniedError(message) from None
            raise StateFileError(message, path=cfg.state_file) from None
        _core.sim_create(os.fspath(cfg.state_file), cluster, resources, reset)
    _core.sim_attach(os.fspath(cfg.state_file), cfg.local_node, cfg.fingerprint)


def state(cfg_or_path):
    """The state file's contents as plain values (generation, resources, timers...)."""
    path = cfg_or_path.state_file if isinstance(cfg_or_path, SimulatorConfig) else cfg_or_path
    return _core.sim_read(os.fspath(path))


def set_time(when):
    """Fix the simulator's clock in this process (``None``: the wall clock again).

    `when` is a FILETIME int or a timezone-aware ``datetime``. The delay timers and the
    2008 R2 stale timeout are evaluated against this clock, lazily, whenever state is read.
    """
    from .filetime import to_filetime

    _core.sim_set_time(0 if when is None else to_filetime(when, "when"))


def now():
    """The simulator's clock, as a FILETIME int."""
    return _core.sim_now()


_EXAMPLE = """\
# A simulated Windows failover cluster for csvbackup (written by `csvbackup sim init`).
# Open it with cb.open_cluster(config="{config}") or CSVBACKUP_CLUSTER={config}.

[cluster]
name = "SIMCLUSTER"
nodes = ["NODE1", "NODE2"]
local_node = "NODE1"
behaviour = "modern"          # "2008r2": Prepare puts the CSV in backup mode (30-minute stale timeout)
shared_volumes_root = 'C:\\ClusterStorage'
system_volume = '\\\\?\\Volume{{5a2c0b7e-1f00-4a4e-8d2b-000000000001}}\\'
system_devices = ['\\Device\\HarddiskVolume1', '\\Device\\Harddisk0\\Partition1']
description = "csvbackup simulated cluster"
state_file = "cluster.state"
fsync = true

[[shared_volume]]
resource = "Cluster Disk 1"
name = "Volume1"
path = 'C:\\ClusterStorage\\Volume1\\'
volume_guid_path = '\\\\?\\Volume{{2f0c5e1a-7d3b-4c8e-9a61-0b1d2c3e4f51}}\\'
owner_node = "NODE1"
local_dir = "volumes/Volume1"

[[shared_volume]]
resource = "Cluster Disk 2"
name = "Volume2"
path = 'C:\\ClusterStorage\\Volume2\\'
volume_guid_path = '\\\\?\\Volume{{8b4d6f20-19ac-4e3b-b7d5-3c2e1f0a9b62}}\\'
owner_node = "NODE2"
local_dir = "volumes/Volume2"

[[resource]]
name = "Cluster IP Address"
type = "IP Address"
owner_node = "NODE1"
"""

_EXAMPLE_FILES = {
    "Volume1": ["VMs/web01/web01.vhdx", "VMs/web01/web01.xml", "SQL/Data/sales.mdf",
                "SQL/Logs/sales_log.ldf"],
    "Volume2": ["VMs/db01/db01.vhdx", "VMs/db01/Snapshots/db01-2026.avhdx",
                "Shares/Finance/budget.xlsx"],
}


def write_example(directory, *, force=False):
    """Write the example cluster (two CSVs with a few real files) into `directory`; returns
    the configuration's path. An existing configuration is kept unless `force`."""
    directory = Path(directory).resolve()
    config = directory / "cluster.toml"
    if config.exists() and not force:
        raise FileExistsError(f"{config} exists (use force=True / --force to overwrite)")
    directory.mkdir(parents=True, exist_ok=True)
    config.write_text(_EXAMPLE.format(config=config), encoding="utf-8")
    for volume, files in _EXAMPLE_FILES.items():
        for rel in files:
            f = directory / "volumes" / volume / rel
            f.parent.mkdir(parents=True, exist_ok=True)
            if not f.exists():
                f.write_bytes(rel.encode() * 64)
    state_file = directory / "cluster.state"
    if force and state_file.exists():
        state_file.unlink()
    return config


def init(directory, *, force=False):
    """``csvbackup sim init DIR``: write the example cluster and its state file."""
    config = write_example(directory, force=force)
    attach(load_config(config), reset=force, create=True)
    return config


def default_config_path():
    """Where the embedded default cluster lives: $CSVBACKUP_HOME, else the XDG state
    directory (~/.local/state/csvbackup/default)."""
    home = os.environ.get("CSVBACKUP_HOME")
    if home:
        return Path(home) / "cluster.toml"
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "csvbackup" / "default" / "cluster.toml"
