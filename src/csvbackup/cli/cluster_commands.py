"""``csvbackup info`` and ``csvbackup sim init|status``: the build, and the simulated cluster."""
import argparse

from .. import __version__
from ..build_info import get_include, kernel_isa, openmp_enabled, resolve_threads
from .arguments import UsageError
from .output import Output

__all__ = ["add_parsers"]


def add_parsers(sub):
    p = sub.add_parser("info", help="show how this csvbackup was built",
                       description="The build: version, kernel ISA, OpenMP, C header folder.")
    p.set_defaults(func=cmd_info)
    p = sub.add_parser("sim", help="the simulated cluster (off Windows)")
    simsub = p.add_subparsers(dest="sim_command", required=True, metavar="SUBCOMMAND")
    q = simsub.add_parser("init", help="write an example simulated cluster into DIR",
                          epilog="example:\n  csvbackup sim init ./cluster\n"
                                 "  CSVBACKUP_CLUSTER=./cluster/cluster.toml csvbackup volumes",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("directory")
    q.add_argument("--force", action="store_true", help="overwrite an existing one")
    q.set_defaults(func=cmd_sim_init)
    q = simsub.add_parser("status", help="show a cluster's CSVs and backup states",
                          epilog="example:\n  csvbackup sim status ./cluster/cluster.toml",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("config", nargs="?", help="simulator TOML (default: $CSVBACKUP_CLUSTER, "
                                             "else the embedded default)")
    q.set_defaults(func=cmd_sim_status)


def cmd_info(args, out):
    out.write(f"csvbackup {__version__}\nkernel ISA: {kernel_isa()}\n"
              f"OpenMP: {'on' if openmp_enabled() else 'off'}\n"
              f"threads (default): {resolve_threads()}\nC headers: {get_include()}\n")
    return 0


def cmd_sim_init(args, out):
    from .. import simulator

    if not args.directory.strip():
        raise UsageError("sim init: DIR is empty (name the folder to write the cluster into)")
    config = simulator.init(args.directory, force=args.force)
    out.write(f"simulated cluster written: {config}\n"
              f"open it with cb.open_cluster(config=r\"{config}\") or CSVBACKUP_CLUSTER={config}\n")
    return 0


def volume_rows(cluster):
    """One row per CSV: name, path, volume GUID path, resource, owner, online, backup state."""
    return [[v.name, v.path, v.volume_guid_path, v.resource, v.owner_node,
             "yes" if v.online else "no", v.state.name] for v in cluster.shared_volumes()]


def cmd_sim_status(args, out):
    from ..cluster import open_cluster

    output = Output(out)
    with open_cluster(args.config) as cluster:
        where = cluster.config.path if cluster.config else "local cluster"
        output.line(f"{cluster.backend}: {where}")
        output.line()
        output.table(None, ["CSV", "path", "volume GUID path", "resource", "owner", "online",
                            "backup"], volume_rows(cluster))
        bip = cluster.get_common_properties()["BackupInProgress"].value
        output.line()
        output.line(f"BackupInProgress (cluster common property): {bip}")
    return 0
