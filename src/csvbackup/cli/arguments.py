"""Argument types shared by the commands, and `UsageError`: a bad argument or input that the
command line reports in one line with exit status 2."""
import argparse
import datetime as dt

from ..filetime import to_filetime
from ..vss import BackupType

__all__ = ["UsageError", "backup_type", "filetime", "positive_int", "name_value"]


class UsageError(Exception):
    """A bad argument or input found by a command (not by argparse): one line, exit 2."""


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
    except (ValueError, OverflowError) as e:
        raise argparse.ArgumentTypeError(f"{text!r}: {e}") from None


def positive_int(text):
    """A whole number >= 1 (``--threads``, ``--batch-rows``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a whole number >= 1")
    return value


def name_value(text):
    """``NAME=VALUE`` (``--env``)."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r}: NAME=VALUE")
    return name, value
