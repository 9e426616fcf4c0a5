"""The ``csvbackup`` command.

``csvbackup demo [DIR]``            the newcomer's tour: a simulated two-CSV cluster with a
                                    Hyper-V and SQL Server host's files, a full and an
                                    incremental backup plan, a backup session between them
``csvbackup plan ...``              the main job: writer metadata + a catalog (Parquet, or a
                                    scan of the CSVs) -> a backup plan and its snapshot set
``csvbackup volumes``               the CSVs: paths, owners, states, backup states
``csvbackup prepare PATH...``       ClusterPrepareSharedVolumeForBackup for each path
``csvbackup backup-mode ...``       get, set (--delay, --wait) or clear a CSV's backup mode
``csvbackup properties get|set``    the cluster's common properties (BackupInProgress, ...)
``csvbackup proplist decode FILE``  a CLUSPROP property or value list, entry by entry
``csvbackup proplist encode N=V...`` the byte-exact list of NAME=VALUE items (or JSON)
``csvbackup writers WMD...``        what writer metadata says: schemas, components, file sets
``csvbackup classify --demo``       the decision kernel's benchmark on a generated catalog
``csvbackup classify CATALOG.npz``  classify a catalog saved with numpy.savez
``csvbackup info``                  the build: version, kernel ISA, OpenMP, header folder
``csvbackup sim init DIR``          write an example simulated cluster (two CSVs, real files)
``csvbackup sim status [CONFIG]``   a cluster's CSVs and backup states

Every mistake in the arguments or the input is one line on stderr and exit status 2; an
unexpected failure is exit status 1 (with the traceback under ``--debug``).
"""
import argparse
import sys

from ..errors import Win32Error
from . import (
    classify_command,
    cluster_commands,
    demo_command,
    operator_commands,
    plan_command,
    proplist_command,
    writers_command,
)
from .arguments import UsageError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake reported in two lines (the error, where to find the usage)
    rather than the whole usage, which wraps over many lines for the larger commands."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n"
                     f"run '{self.prog} --help' for the usage and an example\n")


def _parser():
    parser = _Parser(
        prog="csvbackup", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run 'csvbackup COMMAND --help' for a command's options and an example.")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an unexpected failure")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (demo_command, plan_command, operator_commands, proplist_command,
                   writers_command, classify_command, cluster_commands):
        module.add_parsers(sub)
    return parser


def _one_line(e):
    """The message of a bad-input exception, on one line, naming what failed."""
    if isinstance(e, Win32Error):
        from ..errors import WIN32_ERROR_NAMES
        name = WIN32_ERROR_NAMES.get(e.winerror, "")
        text = str(e.args[0])
        if not (name and name in text):  # the message may name its code already
            text += f" (Win32 error {e.winerror}{': ' + name if name else ''})"
        if getattr(e, "offset", None) is not None:
            text += f" (at byte offset 0x{e.offset:X})"
    elif isinstance(e, OSError) and e.filename is not None:
        text = f"{e.filename}: {e.strerror or e}"
    else:
        text = str(e)
    return " ".join(text.split())


def main(argv=None, out=None):
    """Entry point of the ``csvbackup`` command; returns the exit status."""
    from ..build_info import ISA_OVERRIDE_ERROR
    if ISA_OVERRIDE_ERROR:
        sys.stderr.write(f"csvbackup: error: {ISA_OVERRIDE_ERROR}\n")
        return 2
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args, out or sys.stdout)
    except KeyboardInterrupt:
        sys.stderr.write("csvbackup: interrupted\n")
        return 130
    except (UsageError, Win32Error, OSError, ValueError) as e:
        if args.debug:
            raise
        sys.stderr.write(f"{_prog(args)}: error: {_one_line(e)}\n")
        return 2
    except MemoryError as e:  # an input too large for this machine: say so, not a traceback
        if args.debug:
            raise
        sys.stderr.write(f"{_prog(args)}: error: not enough memory"
                         f"{': ' + _one_line(e) if str(e) else ''}\n")
        return 2
    except Exception as e:  # noqa: BLE001 - the boundary: anything else is a bug, exit 1
        if args.debug:
            raise
        sys.stderr.write(f"{_prog(args)}: unexpected {type(e).__name__}: "
                         f"{_one_line(e)} (run with --debug for the traceback)\n")
        return 1


def _prog(args):
    """``csvbackup COMMAND [ACTION]``: the command the error is from."""
    action = getattr(args, "sim_command", None) or getattr(args, "proplist_command", None)
    return f"csvbackup {args.command}" + (f" {action}" if action else "")
