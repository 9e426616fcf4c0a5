"""``csvbackup info`` and ``csvbackup sim init|status``: the build, and the simulated cluster."""

from .. import __version__
from ..build_info import get_include, kernel_isa, openmp_enabled, resolve_threads
from .arguments import UsageError, add_command
from .operator_commands import VOLUME_COLUMNS, volume_dict, volume_row
from .output import Output

__all__ = ["add_parsers"]


def add_parsers(sub):
    p = add_command(sub, "info", "show how this csvbackup was built", func=cmd_info,
                    description="The build: version, kernel ISA, OpenMP, C header folder.",
                    examples=["csvbackup info --json"])
    p.add_argument("--json", action="store_true", help="print the build as JSON")
    p = sub.add_parser("sim", help="the simulated cluster (off Windows)")
    simsub = p.add_subparsers(dest="sim_command", required=True, metavar="SUBCOMMAND")
    q = add_command(simsub, "init", "write an example simulated cluster into DIR",
                    func=cmd_sim_init,
                    examples=["csvbackup sim init ./cluster",
                              "CSVBACKUP_CLUSTER=./cluster/cluster.toml csvbackup volumes"])
    q.add_argument("directory")
    q.add_argument("--force", action="store_true", help="overwrite an existing one")
    q.add_argument("--json", action="store_true", help="print {config} as JSON")
    q = add_command(simsub, "status", "show a cluster's CSVs and backup states",
                    func=cmd_sim_status, examples=["csvbackup sim status ./cluster/cluster.toml"])
    q.add_argument("config", nargs="?", help="simulator TOML (default: $CSVBACKUP_CLUSTER, "
                                             "else the embedded default)")
    q.add_argument("--cluster", metavar="CONFIG", help="the same as CONFIG")
    q.add_argument("--json", action="store_true",
                   help="print {backend, config, volumes, backup_in_progress} as JSON")


def cmd_info(args, out):
    info = {"version": __version__, "kernel_isa": kernel_isa(), "openmp": openmp_enabled(),
            "threads": resolve_threads(), "include": get_include()}
    output = Output(out, json_mode=args.json)
    output.line(f"csvbackup {info['version']}\nkernel ISA: {info['kernel_isa']}\n"
                f"OpenMP: {'on' if info['openmp'] else 'off'}\n"
                f"threads (default): {info['threads']}\nC headers: {info['include']}")
    output.json(info)
    return 0


def cmd_sim_init(args, out):
    from .. import simulator

    if not args.directory.strip():
        raise UsageError("sim init: DIR is empty (name the folder to write the cluster into)")
    config = simulator.init(args.directory, force=args.force)
    output = Output(out, json_mode=args.json)
    output.line(f"simulated cluster written: {config}\n"
                f"open it with cb.open_cluster(config=r\"{config}\") or "
                f"CSVBACKUP_CLUSTER={config}")
    output.json({"config": str(config)})
    return 0


def cmd_sim_status(args, out):
    from ..cluster import open_cluster

    if args.config and args.cluster and args.config != args.cluster:
        raise UsageError("give the configuration once: CONFIG or --cluster CONFIG")
    output = Output(out, json_mode=args.json)
    with open_cluster(args.config or args.cluster) as cluster:
        where = str(cluster.config.path) if cluster.config else None
        volumes = [volume_dict(v) for v in cluster.shared_volumes()]
        bip = int(cluster.get_common_properties()["BackupInProgress"])
    output.line(f"{cluster.backend}: {where or 'local cluster'}")
    output.line()
    output.table(None, VOLUME_COLUMNS, [volume_row(v) for v in volumes])
    output.line()
    output.line(f"BackupInProgress (cluster common property): {bip}")
    output.json({"backend": cluster.backend, "config": where, "volumes": volumes,
                 "backup_in_progress": bip})
    return 0
