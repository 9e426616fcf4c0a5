"""FILETIME: int64 counts of 100-ns ticks since 1601-01-01 UTC, the time of every VSS and
cluster API. ``datetime`` and ``numpy.datetime64`` are accepted and converted here."""
import datetime as _dt
import math
import operator

import numpy as np

__all__ = ["FILETIME_EPOCH", "UNIX_EPOCH_AS_FILETIME", "to_filetime", "datetime64_to_filetime",
           "filetime_to_datetime"]

#: 1601-01-01 00:00 UTC, FILETIME zero.
FILETIME_EPOCH = _dt.datetime(1601, 1, 1, tzinfo=_dt.UTC)
#: 1970-01-01 as a FILETIME.
UNIX_EPOCH_AS_FILETIME = 116444736000000000
_INT64_MAX = (1 << 63) - 1



def to_filetime(value, name="time"):
    """One time as a FILETIME int.

    Accepts an int (already a FILETIME), a ``datetime.datetime`` (naive means UTC: VSS times
    are "always given in Greenwich Mean Time") or a ``numpy.datetime64`` (also as a 0-d
    array). Negative results, NaT and times past the int64 range are a ValueError naming
    `name`.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a FILETIME int, datetime or datetime64, not bool")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.UTC)
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


# Length of one datetime64 unit in FILETIME ticks, as the fraction (numerator, denominator).
_UNIT_TICKS = {"W": (7 * 864_000_000_000, 1), "D": (864_000_000_000, 1),
               "h": (36_000_000_000, 1), "m": (600_000_000, 1), "s": (10_000_000, 1),
               "ms": (10_000, 1), "us": (10, 1), "ns": (1, 100), "ps": (1, 100_000),
               "fs": (1, 100_000_000), "as": (1, 100_000_000_000)}
# Months and years are not fixed lengths: numpy converts them to days exactly, once the
# value is known to be within the FILETIME years (so that the conversion cannot wrap).
_FIRST_YEAR, _LAST_YEAR = 1601, 30828


def datetime64_to_filetime(arr, *, invalid=-1):
    """A datetime64 array as FILETIME int64, exactly, in integer arithmetic (no unit cast
    that could wrap). NaT and times outside the FILETIME range become `invalid`. Sub-tick
    precision is floored (FILETIME counts whole 100-ns ticks)."""
    arr = np.asarray(arr)
    unit, count = np.datetime_data(arr.dtype)
    if unit == "generic":  # only NaT has no unit
        return np.full(arr.shape, invalid, dtype=np.int64)
    v = arr.view(np.int64)
    bad = np.isnat(arr)
    if unit in ("Y", "M"):
        per_year = 1 if unit == "Y" else 12
        lo = (_FIRST_YEAR - 1970) * per_year
        hi = (_LAST_YEAR + 1 - 1970) * per_year
        bad = bad | (v < lo // count) | (v > hi // count)
        safe = np.where(bad, 0, v).astype(arr.dtype)
        v, unit, count = safe.astype("datetime64[D]").view(np.int64), "D", 1
    num, den = _UNIT_TICKS[unit]
    num *= count
    g = math.gcd(num, den)
    num, den = num // g, den // g
    # ticks = floor(v * num / den) + epoch, as (v // den) * num + ((v % den) * num) // den
    q = np.floor_divide(v, den)
    qmax = (_INT64_MAX - UNIX_EPOCH_AS_FILETIME) // num
    qmin = -(UNIX_EPOCH_AS_FILETIME // num) - 1
    bad = bad | (q > qmax) | (q < qmin)
    q = np.where(bad, 0, q)
    whole = q * num + UNIX_EPOCH_AS_FILETIME          # cannot overflow: q within [qmin, qmax]
    frac = ((v - q * den) * num) // den if den > 1 else 0
    if den > 1:
        bad |= whole > _INT64_MAX - frac
        whole = np.where(bad, 0, whole) + np.where(bad, 0, frac)
    bad |= whole < 0
    out = np.ascontiguousarray(whole, dtype=np.int64)
    if bad.any():
        out[bad] = invalid
    return out


def filetime_to_datetime(ticks):
    """A FILETIME int as an aware UTC ``datetime`` (microsecond precision, floored)."""
    ticks = to_filetime(ticks, "ticks")
    try:
        return FILETIME_EPOCH + _dt.timedelta(microseconds=ticks // 10)
    except OverflowError:
        raise ValueError(f"ticks = {ticks}: after the last datetime (year 9999)") from None
