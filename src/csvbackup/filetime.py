"""FILETIME: int64 counts of 100-ns ticks since 1601-01-01 UTC, the time of every VSS and
cluster API. ``datetime`` and ``numpy.datetime64`` are accepted and converted here."""
import datetime as _dt
import operator

import numpy as np

__all__ = ["FILETIME_EPOCH", "UNIX_EPOCH_AS_FILETIME", "to_filetime", "datetime64_to_filetime",
           "filetime_to_datetime"]

#: 1601-01-01 00:00 UTC, FILETIME zero.
FILETIME_EPOCH = _dt.datetime(1601, 1, 1, tzinfo=_dt.timezone.utc)
#: 1970-01-01 as a FILETIME.
UNIX_EPOCH_AS_FILETIME = 116444736000000000
_INT64_MAX = (1 << 63) - 1

# FILETIME ticks per datetime64 unit, for units of at least one tick.
_TICKS_PER_UNIT = {"W": 7 * 864_000_000_000, "D": 864_000_000_000, "h": 36_000_000_000,
                   "m": 600_000_000, "s": 10_000_000, "ms": 10_000, "us": 10}


def to_filetime(value, name="time"):
    """One time as a FILETIME int.

    Accepts an int (already a FILETIME), a ``datetime.datetime`` (naive means UTC: VSS times
    are "always given in Greenwich Mean Time") or a ``numpy.datetime64``. Negative results, NaT
    and times past the int64 range are a ValueError naming `name`.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a FILETIME int, datetime or datetime64, not bool")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        delta = value - FILETIME_EPOCH
        ticks = (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10
    elif isinstance(value, np.datetime64):
        ticks = int(datetime64_to_filetime(np.array([value]), invalid=-1)[0])
        if ticks < 0:
            raise ValueError(f"{name} = {value!r}: NaT or outside the FILETIME range")
    else:
        try:
            ticks = operator.index(value)
        except TypeError:
            raise TypeError(
                f"{name} must be a FILETIME int, datetime or datetime64, "
                f"not {type(value).__name__}") from None
    if ticks < 0:
        raise ValueError(f"{name} = {value!r}: a FILETIME is never negative (before 1601-01-01)")
    if ticks > _INT64_MAX:
        raise ValueError(f"{name} = {value!r}: beyond the FILETIME range (int64)")
    return ticks


def datetime64_to_filetime(arr, *, invalid=-1):
    """A datetime64 array as FILETIME int64; NaT and times outside the FILETIME range become
    `invalid`. Sub-tick precision is floored (FILETIME counts whole 100-ns ticks)."""
    arr = np.asarray(arr)
    unit, count = np.datetime_data(arr.dtype)
    if unit == "generic":  # only NaT has no unit
        return np.full(arr.shape, invalid, dtype=np.int64)
    if unit in ("Y", "M"):
        arr = arr.astype("datetime64[D]")
        unit, count = "D", 1
    elif unit in ("ns", "ps", "fs", "as") and (unit, count) != ("ns", 1):
        arr = arr.astype("datetime64[ns]")
        unit, count = "ns", 1
    v = arr.view(np.int64)
    nat = np.isnat(arr)
    if unit == "ns":
        out = np.floor_divide(v, 100) + UNIX_EPOCH_AS_FILETIME  # 1678..2262: always in range
        bad = nat
    else:
        mult = _TICKS_PER_UNIT[unit] * count
        lo = -(UNIX_EPOCH_AS_FILETIME // mult)
        hi = (_INT64_MAX - UNIX_EPOCH_AS_FILETIME) // mult
        bad = nat | (v < lo) | (v > hi)
        out = np.where(bad, 0, v) * mult + UNIX_EPOCH_AS_FILETIME
    if bad.any():
        out[bad] = invalid
    return np.ascontiguousarray(out, dtype=np.int64)


def filetime_to_datetime(ticks):
    """A FILETIME int as an aware UTC ``datetime`` (microsecond precision, floored)."""
    ticks = to_filetime(ticks, "ticks")
    try:
        return FILETIME_EPOCH + _dt.timedelta(microseconds=ticks // 10)
    except OverflowError:
        raise ValueError(f"ticks = {ticks}: after the last datetime (year 9999)") from None
