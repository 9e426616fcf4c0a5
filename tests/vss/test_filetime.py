"""FILETIME conversions: 100-ns ticks since 1601-01-01 UTC."""
import datetime as dt

import numpy as np
import pytest

import csvbackup as cb

UTC = dt.UTC


def test_epochs():
    assert cb.to_filetime(dt.datetime(1601, 1, 1, tzinfo=UTC)) == 0
    assert cb.to_filetime(dt.datetime(1970, 1, 1, tzinfo=UTC)) == 116444736000000000
    assert cb.to_filetime(np.datetime64("1970-01-01T00:00:00", "ns")) == 116444736000000000
    assert cb.filetime_to_datetime(116444736000000000) == dt.datetime(1970, 1, 1, tzinfo=UTC)


def test_naive_is_utc_and_aware_is_converted():
    naive = dt.datetime(2026, 11, 22, 12, 0, 0)
    aware = dt.datetime(2026, 11, 22, 13, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert cb.to_filetime(naive) == cb.to_filetime(aware)


@pytest.mark.parametrize("unit", ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "10ms"])
def test_datetime64_units_agree(unit):
    t = np.datetime64("2026-11-22T01:02:03.456789", unit)
    expected = cb.to_filetime(t.astype("datetime64[us]").item())
    assert cb.datetime64_to_filetime(np.array([t]))[0] == expected


def test_finer_than_ns():
    t = np.array(["1970-01-01T00:00:00.000000250"], dtype="datetime64[ps]")
    assert cb.datetime64_to_filetime(t)[0] == 116444736000000002


def test_units_that_a_cast_would_wrap():
    """No datetime64 unit conversion may wrap: [100ns] past 2262, huge [Y]/[M] values."""
    x = np.array(["2300-01-01"], "datetime64[D]").astype("datetime64[100ns]")
    assert cb.datetime64_to_filetime(x)[0] == cb.to_filetime(dt.datetime(2300, 1, 1))
    assert cb.datetime64_to_filetime(np.array([50505469855533110], "datetime64[Y]"))[0] == -1
    months = np.array(["1601-01", "30828-12", "1600-12"], "datetime64[M]")
    assert cb.datetime64_to_filetime(months).tolist() == [0, -1, -1]
    raw = np.array([-116444736000000000, -116444736000000001, 2**63 - 1], np.int64)
    assert cb.datetime64_to_filetime(raw.view("datetime64[100ns]")).tolist() == [0, -1, -1]
    three_ns = np.array([-11644473600001], np.int64).view("datetime64[3ns]")
    assert cb.datetime64_to_filetime(three_ns)[0] == 116444386665791999  # floor(-3.49e11) + epoch


def test_sub_tick_precision_is_floored():
    t = np.array(["1970-01-01T00:00:00.000000199", "1969-12-31T23:59:59.999999999"],
                 dtype="datetime64[ns]")
    assert cb.datetime64_to_filetime(t).tolist() == [116444736000000001, 116444735999999999]


def test_out_of_range_and_nat_are_marked_invalid():
    t = np.array(["1600-12-31", "NaT", "2000-01-01", "31000-01-01"], dtype="datetime64[D]")
    got = cb.datetime64_to_filetime(t, invalid=-1)
    assert got[0] == -1 and got[1] == -1 and got[2] > 0 and got[3] == -1


def test_scalar_errors():
    with pytest.raises(ValueError, match="never negative"):
        cb.to_filetime(dt.datetime(1600, 1, 1))
    with pytest.raises(ValueError, match="NaT"):
        cb.to_filetime(np.datetime64("NaT"))
    with pytest.raises(ValueError, match="beyond"):
        cb.to_filetime(2**63)
    for bad in (1.5, "2026-01-01", True, None):
        with pytest.raises(TypeError):
            cb.to_filetime(bad)
    with pytest.raises(ValueError, match="year 9999"):
        cb.filetime_to_datetime(2**63 - 1)
