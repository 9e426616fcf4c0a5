"""The operator's commands: ``volumes``, ``prepare``, ``backup-mode`` and ``properties``. Each
prints a table, or JSON with ``--json``."""
import signal
import sys
import threading

from ..backup_mode import BackupState
from ..clusprop import CLUSTER_COMMON_PROPERTIES, PropertyList
from ..clusprop.syntax import Format
from ..cluster import open_cluster
from ..errors import (
    WIN32_ERROR_NAMES,
    PropertyTypeMismatchError,
    UnknownPropertyError,
    Win32Error,
)
from .arguments import UsageError, add_command, name_value
from .output import Output

__all__ = ["add_parsers", "VOLUME_COLUMNS", "volume_dict", "volume_row"]

def _common(p, *, cluster=True):
    if cluster:
        p.add_argument("--cluster", metavar="CONFIG",
                       help="simulator configuration (default: $CSVBACKUP_CLUSTER, else the "
                            "embedded default cluster; on Windows, this machine's cluster)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def add_parsers(sub):
    p = add_command(sub, "volumes", "the CSVs: paths, owners, states, backup states",
                    examples=["csvbackup volumes --json"], func=cmd_volumes)
    _common(p)

    p = add_command(sub, "prepare", "ClusterPrepareSharedVolumeForBackup for each path",
                    examples=["csvbackup prepare 'C:\\ClusterStorage\\Volume1\\VMs'"],
                    notes="Exit status 1 when a path fails (each path's error is shown).",
                    func=cmd_prepare)
    p.add_argument("paths", nargs="+", metavar="PATH")
    _common(p)

    p = add_command(sub, "backup-mode", "get, set or clear a CSV's backup mode",
                    examples=["csvbackup backup-mode get Volume1",
                              "csvbackup backup-mode set Volume1 Volume2 --delay 600",
                              "csvbackup backup-mode set Volume1 --delay 600 --wait",
                              "csvbackup backup-mode clear Volume1"],
                    notes="A VOLUME is a CSV's name, path, volume GUID path or resource.",
                    func=cmd_backup_mode)
    p.add_argument("action", choices=("get", "set", "clear"))
    p.add_argument("volumes", nargs="+", metavar="VOLUME")
    p.add_argument("--delay", type=int, help="set: seconds before the mode lapses to NONE if no "
                                             "backup starts (required, > 0)")
    p.add_argument("--wait", action="store_true",
                   help="set: hold the mode until Ctrl-C or the delay ends, then clear it")
    _common(p)

    p = add_command(sub, "properties", "get or set the cluster's common properties",
                    examples=["csvbackup properties get BackupInProgress",
                              "csvbackup properties set BackupInProgress=1"],
                    notes="Values are checked against CLUSTER_COMMON_PROPERTIES.",
                    func=cmd_properties)
    p.add_argument("action", choices=("get", "set"))
    p.add_argument("items", nargs="*", metavar="NAME[=VALUE]")
    _common(p)


# --- volumes ---
#: The columns of a CSV table (volumes, sim status).
VOLUME_COLUMNS = ["CSV", "path", "volume GUID path", "resource", "owner", "online", "backup"]


def volume_dict(v):
    """A SharedVolume as the JSON the volume commands print."""
    return {"name": v.name, "path": v.path, "volume_guid_path": v.volume_guid_path,
            "resource": v.resource, "owner_node": v.owner_node, "online": v.online,
            "backup_state": v.state.name}


def volume_row(v):
    """A `volume_dict` as a row of `VOLUME_COLUMNS`."""
    return [v["name"], v["path"], v["volume_guid_path"], v["resource"], v["owner_node"],
            "yes" if v["online"] else "no", v["backup_state"]]


def cmd_volumes(args, out):
    output = Output(out, json_mode=args.json)
    with open_cluster(args.cluster) as cluster:
        volumes = [volume_dict(v) for v in cluster.shared_volumes()]
        bip = int(cluster.get_common_properties()["BackupInProgress"])
    output.table(None, VOLUME_COLUMNS, [volume_row(v) for v in volumes])
    output.line()
    output.line(f"BackupInProgress (cluster common property): {bip}")
    output.json({"volumes": volumes, "backup_in_progress": bip})
    return 0


# --- prepare ---
def _error_dict(e):
    return {"winerror": e.winerror, "name": WIN32_ERROR_NAMES.get(e.winerror, ""),
            "message": e.args[0]}


def cmd_prepare(args, out):
    output = Output(out, json_mode=args.json)
    results = []
    with open_cluster(args.cluster) as cluster:
        for path in args.paths:
            try:
                p = cluster.prepare_shared_volume_for_backup(path)
                results.append({"path": path, "volume_path": p.volume_path,
                                "volume_name": p.volume_name, "error": None})
            except Win32Error as e:
                results.append({"path": path, "volume_path": None, "volume_name": None,
                                "error": _error_dict(e)})
    output.table(None, ["path", "volume path", "volume name (for AddToSnapshotSet)"],
                 [[r["path"], r["volume_path"] or "-",
                   r["volume_name"] or f"error {r['error']['winerror']} "
                                      f"{r['error']['name']}: {r['error']['message']}"]
                  for r in results])
    output.json(results)
    return 1 if any(r["error"] for r in results) else 0


# --- backup-mode ---
def _states(cluster, volumes):
    return [{"volume": name, "path": v.path, "volume_guid_path": v.volume_guid_path,
             "backup_state": cluster.backup_state(v).name}
            for name, v in ((n, cluster.shared_volume(n)) for n in volumes)]


def _wait(delay):
    """Sleep until `delay` seconds pass or SIGINT/SIGTERM arrives (the session then ends)."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait(delay)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_backup_mode(args, out):
    output = Output(out, json_mode=args.json)
    if args.action == "set" and (args.delay is None or args.delay <= 0):
        raise UsageError("backup-mode set needs --delay SECS > 0: the seconds after which the "
                         "mode lapses to NONE if no backup starts (the structure's rule)")
    if args.action != "set" and (args.delay is not None or args.wait):
        raise UsageError(f"--delay and --wait apply to 'set', not {args.action!r}")
    with open_cluster(args.cluster) as cluster:
        volumes = [cluster.shared_volume(v) for v in args.volumes]  # an unknown one fails first
        if args.action == "set" and args.wait:
            with cluster.backup_session(volumes, delay_timer_secs=args.delay):
                _show_states(output, cluster, args.volumes, "held")
                if not args.json:
                    sys.stderr.write(f"backup mode IN_PROGRESS for up to {args.delay} s: "
                                     "Ctrl-C ends it now\n")
                _wait(args.delay)
        elif args.action == "set":
            for v in volumes:
                cluster.set_backup_mode(v, BackupState.IN_PROGRESS, args.delay)
        elif args.action == "clear":
            for v in volumes:
                cluster.set_backup_mode(v, BackupState.NONE)
        _show_states(output, cluster, args.volumes, None)
    return 0


def _show_states(output, cluster, names, title):
    states = _states(cluster, names)
    if title is None:
        output.json(states)
    output.table(title, ["volume", "path", "volume GUID path", "backup"],
                 [[s["volume"], s["path"], s["volume_guid_path"], s["backup_state"]]
                  for s in states])


# --- properties ---
def _property_value(name, text):
    """A NAME=VALUE's value as the table's format wants it (numbers for numeric formats)."""
    if name not in CLUSTER_COMMON_PROPERTIES:  # ResUtilVerifyPropertyTable's code, 87
        known = ", ".join(item.name for item in CLUSTER_COMMON_PROPERTIES)
        raise UnknownPropertyError(f"{name!r} is not a cluster common property (known: "
                                   f"{known})", property=name)
    item = CLUSTER_COMMON_PROPERTIES[name]
    if item.format in (Format.SZ, Format.EXPAND_SZ):
        return item._as_format(text)
    if item.format == Format.MULTI_SZ:
        return item._as_format(text.split(","))
    try:
        return item._as_format(int(text, 0))
    except ValueError:  # text for a number: the table's type mismatch, 5895
        raise PropertyTypeMismatchError(f"{name}={text!r}: {item.format.name} needs a number",
                                        property=name) from None


def _plain(value):
    return value.value if not isinstance(value.value, (bytes, bytearray, memoryview)) \
        else bytes(value.value).hex()


def cmd_properties(args, out):
    output = Output(out, json_mode=args.json)
    with open_cluster(args.cluster) as cluster:
        if args.action == "set":
            if not args.items:
                raise UsageError("properties set needs NAME=VALUE ...")
            pairs = [name_value(i) if "=" in i else (i, None) for i in args.items]
            missing = [n for n, v in pairs if v is None]
            if missing:
                raise UsageError(f"{missing[0]!r}: properties set takes NAME=VALUE")
            pl = PropertyList({n: _property_value(n, v) for n, v in pairs})
            CLUSTER_COMMON_PROPERTIES.validate(pl)
            cluster.set_common_properties(pl)
        current = cluster.get_common_properties()
    names = [i.partition("=")[0] for i in args.items] or list(current)
    unknown = [n for n in names if n not in current]
    if unknown:
        raise UsageError(f"{unknown[0]!r}: the cluster has no such common property")
    rows = {n: current[n] for n in names}
    output.table(None, ["property", "format", "value"],
                 [[n, v.format.name if hasattr(v.format, "name") else v.format, _plain(v)]
                  for n, v in rows.items()])
    output.json({n: _plain(v) for n, v in rows.items()})
    return 0
