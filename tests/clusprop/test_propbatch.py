"""build_property_lists / read_property: every list byte-identical to PropertyList.to_bytes,
values read back exactly, and bad offsets, malformed lists, format mismatches and missing
properties reported with their index."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import csvbackup as cb

FORMATS = [(cb.Format.DWORD, cb.Dword, 0, 2**32 - 1), (cb.Format.LONG, cb.Long, -(2**31), 2**31 - 1),
           (cb.Format.WORD, cb.Word, 0, 2**16 - 1),
           (cb.Format.ULARGE_INTEGER, cb.ULargeInteger, 0, 2**64 - 1),
           (cb.Format.LARGE_INTEGER, cb.LargeInteger, -(2**63), 2**63 - 1),
           (cb.Format.FILETIME, cb.FileTime, 0, 2**64 - 1)]


@pytest.mark.parametrize("fmt, cls, lo, hi", FORMATS, ids=lambda x: getattr(x, "name", ""))
@pytest.mark.parametrize("endmark", [True, False])
def test_each_list_equals_its_property_list(fmt, cls, lo, hi, endmark):
    values = np.array([lo, hi, lo // 2 + hi // 2, 0 if lo == 0 else -1],
                      dtype=cb.FIXED_FORMAT_DTYPES[fmt])
    buf, offsets = cb.build_property_lists("Name\u00e9\U0001F600", values, fmt, endmark=endmark)
    assert offsets.dtype == np.int64 and offsets.shape == (5,) and offsets[-1] == buf.size
    for i, v in enumerate(values.tolist()):
        one = bytes(buf[offsets[i]:offsets[i + 1]])
        assert one == cb.PropertyList({"Name\u00e9\U0001F600": cls(v)}, endmark=endmark).to_bytes()
    back = cb.read_property(buf, offsets, "Name\u00e9\U0001F600")
    assert back.dtype == values.dtype and (back == values).all()


@given(st.lists(st.integers(0, 2**32 - 1), max_size=300), st.integers(1, 4))
def test_build_and_read_back_many(values, threads):
    arr = np.array(values, dtype=np.uint64)
    buf, offsets = cb.build_property_lists("BackupInProgress", arr, threads=threads)
    assert (cb.read_property(buf, offsets, "BackupInProgress") == arr).all()


def test_parallel_build_is_identical_to_serial():
    v = np.random.default_rng(1).integers(0, 2**32, 300_001, dtype=np.uint32)
    one, _ = cb.build_property_lists("BackupInProgress", v, threads=1)
    two, _ = cb.build_property_lists("BackupInProgress", v, threads=2)
    assert np.array_equal(one, two)


def test_out_buffer():
    v = np.arange(10, dtype=np.uint32)
    size = cb.PropertyList({"A": 0}).size
    out = np.full(10 * size + 5, 0xEE, np.uint8)
    buf, offsets = cb.build_property_lists("A", v, out=out)
    assert buf.base is out or np.shares_memory(buf, out)
    assert (out[-5:] == 0xEE).all()
    with pytest.raises(cb.MoreDataError) as e:
        cb.build_property_lists("A", v, out=np.empty(10 * size - 1, np.uint8))
    assert e.value.required == 10 * size
    with pytest.raises(TypeError):
        cb.build_property_lists("A", v, out=np.empty(10 * size, np.uint16))


def test_build_rejects_values_that_do_not_fit():
    with pytest.raises(cb.InvalidRowError) as e:
        cb.build_property_lists("A", np.array([1, 2, -1, 5]))
    assert e.value.index == 2 and e.value.argument == "values"
    with pytest.raises(cb.InvalidRowError):
        cb.build_property_lists("A", np.array([2**31]), cb.Format.LONG)
    with pytest.raises(TypeError):
        cb.build_property_lists("A", np.array([1.5]))
    with pytest.raises(cb.InvalidParameterError):
        cb.build_property_lists("A", np.array([1]), cb.Format.SZ)
    with pytest.raises(cb.InvalidParameterError):
        cb.build_property_lists("A", np.zeros((2, 2), np.uint32))


def test_filetime_from_datetime64():
    t = np.array(["1601-01-01", "2020-01-01T00:00:00.000001"], "datetime64[us]")
    buf, offsets = cb.build_property_lists("T", t, cb.Format.FILETIME)
    assert cb.read_property(buf, offsets, "T").tolist() == [0, 132223104000000010]


def test_read_mixed_lists_and_strings():
    lists = [cb.PropertyList({"A": 1, "S": "x"}), cb.PropertyList({"S": "yz"}),
             cb.PropertyList({"A": 3, "S": cb.Sz("")})]
    blobs = [pl.to_bytes() for pl in lists]
    buf = np.frombuffer(b"".join(blobs), np.uint8)
    offsets = np.cumsum([0] + [len(b) for b in blobs])
    assert cb.read_property(buf, offsets, "S").tolist() == ["x", "yz", ""]
    masked = cb.read_property(buf, offsets, "A", missing="mask")
    assert masked.mask.tolist() == [False, True, False] and masked[0] == 1 and masked[2] == 3
    with pytest.raises(cb.PropertyNotFoundError) as e:
        cb.read_property(buf, offsets, "A")
    assert e.value.index == 1 and e.value.winerror == 1168
    with pytest.raises(cb.PropertyTypeMismatchError):
        cb.read_property(buf, offsets, "S", format=cb.Format.DWORD)
    assert cb.read_property(buf, offsets, "none", missing="mask").mask.all()


def test_read_reports_the_malformed_list_and_byte():
    buf, offsets = cb.build_property_lists("A", np.arange(4, dtype=np.uint32))
    bad = buf.copy()
    at = offsets[2] + 4  # list 2's NAME syntax
    bad[at] = 0x99
    with pytest.raises(cb.InvalidDataError) as e:
        cb.read_property(bad, offsets, "A")
    assert e.value.offset == at and "list 2" in str(e.value)
    mismatch = cb.PropertyList({"A": cb.Long(1)}).to_bytes()
    b2 = np.concatenate([buf[:offsets[1]], np.frombuffer(mismatch, np.uint8)])
    with pytest.raises(cb.PropertyTypeMismatchError):
        cb.read_property(b2, [0, offsets[1], offsets[1] + len(mismatch)], "A")


@pytest.mark.parametrize("offsets, index, value", [
    (np.array([0, 2**64 - 1], np.uint64), 1, 2**64 - 1),  # not "-1": the value as given
    (np.array([0, 2**63], np.uint64), 1, 2**63),
    ([0, 2**70], 1, 2**70),
])
def test_read_names_offsets_past_int64_as_given(offsets, index, value):
    buf, _ = cb.build_property_lists("A", np.arange(2, dtype=np.uint32))
    with pytest.raises(cb.InvalidRowError, match=f"offsets\\[{index}\\] = {value} ") as e:
        cb.read_property(buf, offsets, "A")
    assert (e.value.argument, e.value.index, e.value.value) == ("offsets", index, value)


@pytest.mark.parametrize("offsets", [np.array([0.0, 12.0]), [0, 12.5], np.array([0, 1], bool), ["0", "12"]])
def test_read_refuses_offsets_that_are_not_integers(offsets):
    buf, _ = cb.build_property_lists("A", np.arange(2, dtype=np.uint32))
    with pytest.raises(TypeError, match="offsets must be integers"):
        cb.read_property(buf, offsets, "A")


def test_read_format_by_enum_name_or_number():
    buf, offsets = cb.build_property_lists("A", np.arange(3, dtype=np.uint32))
    want = cb.read_property(buf, offsets, "A")
    for fmt in (cb.Format.DWORD, "DWORD", "dword", int(cb.Format.DWORD), np.uint16(2)):
        assert np.array_equal(cb.read_property(buf, offsets, "A", format=fmt), want)
    for fmt, error, match in [(-1, cb.InvalidParameterError, "format: -1 is not"),
                              (0x10000, cb.InvalidParameterError, "format: 65536 is not"),
                              ("DWORDS", cb.InvalidParameterError, "format: 'DWORDS' is not a"),
                              (2.0, TypeError, "format: a Format"),
                              (True, TypeError, "format: a Format")]:
        with pytest.raises(error, match=match):
            cb.read_property(buf, offsets, "A", format=fmt)


@pytest.mark.parametrize("offsets", [[0, 10**9], [5, 3], [-1, 0], []])
def test_read_rejects_bad_offsets(offsets):
    buf, _ = cb.build_property_lists("A", np.arange(2, dtype=np.uint32))
    with pytest.raises((cb.InvalidRowError, cb.InvalidParameterError)):
        cb.read_property(buf, offsets, "A")
