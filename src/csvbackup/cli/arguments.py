"""Argument types shared by the commands, and `UsageError`: a bad argument or input that the
command line reports in one line with exit status 2."""
import argparse
import datetime as dt

from ..filetime import to_filetime
from ..vss import BackupType

__all__ = ["UsageError", "add_command", "backup_type", "filetime", "positive_int",
           "non_negative_int", "name_value", "read_input"]

#: The most bytes `read_input` reads: CLUSPROP lists and writer metadata are kilobytes to a
#: few megabytes; a larger input is a mistake (a disk image, /dev/zero), not a list.
MAX_INPUT_BYTES = 256 << 20


class UsageError(Exception):
    """A bad argument or input found by a command (not by argparse): one line, exit 2."""


def add_command(sub, name, help, *, examples, description=None, notes=None, func=None):
    """Add command `name` to the subparsers `sub`: its one-line `help`, a `description` (the
    help when None), and an epilog of `examples` (command lines) and `notes`, so every
    ``--help`` ends with how to run the command. Returns its parser."""
    epilog = ("example:\n" if len(examples) == 1 else "examples:\n")
    epilog += "".join(f"  {e}\n" for e in examples) + (notes or "")
    p = sub.add_parser(name, help=help, description=description or help, epilog=epilog,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    if func is not None:
        p.set_defaults(func=func)
    return p


def backup_type(text):
    """``--type``: a requested VSS backup type by name, any case."""
    try:
        t = BackupType[text.upper()]
    except KeyError:
        t = None
    if t is None or t == BackupType.UNDEFINED:
        raise argparse.ArgumentTypeError(
            f"{text!r}: one of full, incremental, differential, log, copy, other")
    return t


def filetime(text):
    """``--since``: a FILETIME integer, or an ISO 8601 date or time (naive = UTC)."""
    if text.strip().isdigit():
        value = int(text)
    else:
        try:
            value = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r}: an ISO 8601 time (2026-11-30T22:00, naive = UTC) or a FILETIME "
                "integer") from None
    try:
        return to_filetime(value, "--since")
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(
            f"{text!r}: outside the FILETIME range (1601-01-01 UTC to the year 30828)") from None


def positive_int(text):
    """A whole number >= 1 (``--threads``, ``--batch-rows``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a whole number >= 1")
    return value


def non_negative_int(text):
    """A whole number >= 0 (``--seed``, ``--rows``)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a whole number >= 0")
    return value


def read_input(path):
    """The bytes of file `path`, or of stdin for ``-``; at most `MAX_INPUT_BYTES`."""
    import sys
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        where = "stdin"
    else:
        with open(path, "rb") as f:
            data = f.read(MAX_INPUT_BYTES + 1)
        where = path
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"{where}: larger than {MAX_INPUT_BYTES >> 20} MiB, not a list")
    return data


def name_value(text):
    """``NAME=VALUE`` (``--env``)."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r}: NAME=VALUE")
    return name, value
