"""PropertyList / ValueList encoding and parsing: the real server vectors byte for byte, every
format's bytes as docs/reference/cluster-formats.md section 1.2 gives them, the oracle
(tests/clusprop_oracle.py) over generated lists, and the buffer interfaces (pack_into, zero-copy
from_buffer)."""
import mmap
import pickle
import struct
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import csvbackup as cb
import tree
from clusprop_oracle import canonical, decode_list, encode_list, represent
from clusprop_strategies import property_lists, to_property_list

DATA = tree.DATA
CLUSTER = (DATA / "samba_cluster_props.bin").read_bytes()
NODE = (DATA / "samba_node_props.bin").read_bytes()


# === the real vectors (docs/reference/cluster-formats.md section 8; tests/data/README.md) ===

def test_cluster_vector_parses_to_the_listed_properties():
    pl = cb.PropertyList.from_buffer(CLUSTER)
    assert pl.to_dict() == {
        "FixQuorum": 0, "PreventQuorum": 0, "IgnorePersistentStateOnStartup": 0,
        "SharedVolumesRoot": "C:\\ClusterStorage", "WitnessDynamicWeight": 1,
        "AdminAccessPoint": 1}
    assert pl.endmark
    assert pl["SharedVolumesRoot"] == cb.Sz("C:\\ClusterStorage")


def test_node_vector_parses_to_the_listed_properties():
    pl = cb.PropertyList.from_buffer(NODE)
    assert pl["NodeName"] == cb.Sz("node1")
    assert pl["CSDVersion"] == cb.Sz("")
    assert pl["NodeDrainTarget"] == cb.Dword(0xFFFFFFFF)
    assert len(pl["NodeInstanceID"].value) * 2 + 2 == 74


@pytest.mark.parametrize("vector", [CLUSTER, NODE], ids=["cluster", "node"])
def test_real_vectors_reencode_byte_for_byte(vector):
    pl = cb.PropertyList.from_buffer(vector)
    assert pl.to_bytes() == vector
    assert pl.size == len(vector)
    assert cb.PropertyList.from_buffer(pl.to_bytes()) == pl
    assert encode_list(*decode_list(vector)) == vector  # the oracle agrees


def test_rebuilt_from_python_values_is_byte_identical():
    pl = cb.PropertyList({"FixQuorum": 0, "PreventQuorum": 0,
                          "IgnorePersistentStateOnStartup": 0,
                          "SharedVolumesRoot": "C:\\ClusterStorage",
                          "WitnessDynamicWeight": 1, "AdminAccessPoint": 1})
    assert pl.to_bytes() == CLUSTER
    assert cb.PropertyList(pl, endmark=False).to_bytes() == CLUSTER[:-4]


# === each format's bytes (docs/reference/cluster-formats.md section 1.2) ===

def entry(syntax, data):
    return struct.pack("<II", syntax, len(data)) + data + b"\0" * (-len(data) % 4)


SD = (struct.pack("<BBHIIII", 1, 0, 0x8004, 20, 32, 0, 44)
      + struct.pack("<BB6sI", 1, 1, b"\0\0\0\0\0\x05", 18)       # owner S-1-5-18
      + struct.pack("<BB6sI", 1, 1, b"\0\0\0\0\0\x05", 18)       # group
      + struct.pack("<BBHHH", 2, 0, 8, 0, 0))                    # empty DACL

FORMAT_CASES = [
    (cb.Dword(0x01020304), entry(0x00010002, b"\x04\x03\x02\x01")),
    (cb.Long(-1), entry(0x00010007, b"\xff\xff\xff\xff")),
    (cb.Word(7), struct.pack("<IIH", 0x0001000B, 2, 7) + b"\0\0"),
    (cb.ULargeInteger(2**40), entry(0x00010006, struct.pack("<Q", 2**40))),
    (cb.LargeInteger(-5), entry(0x0001000A, struct.pack("<q", -5))),
    (cb.FileTime(132223104000000000), entry(0x0001000C, struct.pack("<Q", 132223104000000000))),
    (cb.Sz("x"), struct.pack("<II", 0x00010003, 4) + b"x\0\0\0"),
    (cb.Sz(""), struct.pack("<II", 0x00010003, 2) + b"\0\0\0\0"),
    (cb.Sz("C:\\ClusterStorage"), entry(0x00010003, "C:\\ClusterStorage\0".encode("utf-16-le"))),
    (cb.ExpandSz("%SystemRoot%"), entry(0x00010004, "%SystemRoot%\0".encode("utf-16-le"))),
    (cb.ExpandedSz("C:\\Windows"), entry(0x00010008, "C:\\Windows\0".encode("utf-16-le"))),
    (cb.MultiSz(["a", "b"]), struct.pack("<II", 0x00010005, 10) + b"a\0\0\0b\0\0\0\0\0\0\0"),
    (cb.MultiSz([]), struct.pack("<II", 0x00010005, 2) + b"\0\0\0\0"),
    (cb.Binary(b"\x01\x02\x03"), struct.pack("<II", 0x00010001, 3) + b"\x01\x02\x03\0"),
    (cb.Binary(b""), struct.pack("<II", 0x00010001, 0)),
    (cb.SecurityDescriptor(SD), entry(0x00010009, SD)),
    (cb.Sz("\U0001F600"), entry(0x00010003, "\U0001F600\0".encode("utf-16-le"))),
    (cb.Value(0x80000001, b"\xaa"), entry(0x80000001, b"\xaa")),
    (cb.Dword(5, syntax=cb.Syntax.DISK_SIGNATURE), entry(0x00050002, b"\x05\0\0\0")),
]


@pytest.mark.parametrize("value, wire", FORMAT_CASES, ids=lambda x: repr(x)[:40])
def test_format_bytes(value, wire):
    vl = cb.ValueList([value])
    assert vl.to_bytes() == wire + b"\0\0\0\0"
    back = cb.ValueList.from_buffer(vl.to_bytes())
    assert back == vl
    # the parser builds the class of the format; Value(syntax, v) is the generic one
    assert type(back[0]) is type(value) or type(value) is cb.Value
    assert value.length == struct.unpack_from("<I", wire, 4)[0]


def test_eight_byte_values_sit_at_4_mod_8():
    data = cb.PropertyList({"NN": cb.ULargeInteger(0x1122334455667788)}).to_bytes()
    at = data.index(struct.pack("<Q", 0x1122334455667788))
    assert at % 8 == 4 and data[at - 8:at] == struct.pack("<II", 0x00010006, 8)
    assert cb.PropertyList.from_buffer(data)["NN"].value == 0x1122334455667788


def test_several_values_per_property():
    pl = cb.PropertyList({"Path": (cb.ExpandSz("%TEMP%"), cb.ExpandedSz("C:\\Temp"))})
    back = cb.PropertyList.from_buffer(pl.to_bytes())
    assert back["Path"] == (cb.ExpandSz("%TEMP%"), cb.ExpandedSz("C:\\Temp"))
    assert back.values_of("Path")[1].value == "C:\\Temp"
    assert back.to_dict() == {"Path": ("%TEMP%", "C:\\Temp")}


def test_nested_property_list():
    inner = cb.PropertyList({"a": 1, "b": "two"})
    pl = cb.PropertyList({"outer": inner, "x": 3})
    back = cb.PropertyList.from_buffer(pl.to_bytes())
    assert back == pl and back["outer"].value == inner
    assert back["outer"].syntax == cb.Syntax.LIST_VALUE_PROPERTY_LIST


# === plain Python values ===

@pytest.mark.parametrize("plain, value", [
    (1, cb.Dword(1)), (0xFFFFFFFF, cb.Dword(0xFFFFFFFF)), (True, cb.Dword(1)),
    (np.uint16(9), cb.Dword(9)), ("s", cb.Sz("s")), (["a", "b"], cb.MultiSz(("a", "b"))),
    (b"\x00", cb.Binary(b"\x00")), (bytearray(b"z"), cb.Binary(b"z")),
    (datetime(1601, 1, 1, tzinfo=UTC), cb.FileTime(0)),
])
def test_plain_values_map_naturally(plain, value):
    assert cb.PropertyList({"p": plain})["p"] == value
    assert cb.as_value(plain) == value


@pytest.mark.parametrize("plain, exc", [
    (-1, cb.InvalidParameterError), (2**32, cb.InvalidParameterError), (1.5, TypeError),
    (object(), TypeError), (["a", ""], cb.InvalidParameterError), (["a", 1], TypeError),
    ("a\0b", cb.InvalidParameterError),
])
def test_plain_values_that_need_a_wrapper(plain, exc):
    with pytest.raises(exc):
        cb.PropertyList({"p": plain})


@pytest.mark.parametrize("make, exc", [
    (lambda: cb.Long(2**31), cb.InvalidParameterError),
    (lambda: cb.Word(-1), cb.InvalidParameterError),
    (lambda: cb.ULargeInteger(2**64), cb.InvalidParameterError),
    (lambda: cb.LargeInteger(2**63), cb.InvalidParameterError),
    (lambda: cb.Sz(b"bytes"), TypeError),
    (lambda: cb.MultiSz("abc"), TypeError),
    (lambda: cb.Binary("text"), TypeError),
    (lambda: cb.Binary(5), TypeError),
    (lambda: cb.SecurityDescriptor(b"\x01\x00\x00\x00"), cb.InvalidParameterError),
    (lambda: cb.SecurityDescriptor(SD[:-1]), cb.InvalidParameterError),
    (lambda: cb.Dword(1, syntax=cb.Syntax.LIST_VALUE_SZ), cb.InvalidParameterError),
    (lambda: cb.Value(cb.Syntax.NAME, "x"), cb.InvalidParameterError),
    (lambda: cb.Value(0, 1), cb.InvalidParameterError),
    (lambda: cb.Value(0x00100002, 1), cb.InvalidParameterError),  # type 16: reserved
    (lambda: cb.Value(0x0001000F, b""), cb.InvalidParameterError),  # format 15: reserved
    (lambda: cb.PropertyListValue({"a": 1}), TypeError),
])
def test_wrappers_check_their_values(make, exc):
    with pytest.raises(exc):
        make()


def test_names_are_checked():
    for bad, exc in (("", cb.InvalidParameterError), ("a\0", cb.InvalidParameterError),
                     (1, TypeError)):
        with pytest.raises(exc):
            cb.PropertyList({bad: 1})


def test_value_identity_equality_hash_pickle():
    assert cb.Dword(1) == cb.Value(0x00010002, 1)
    assert cb.Dword(1) != cb.Long(1) and cb.Dword(1) == 1 == cb.Long(1)
    assert hash(cb.Sz("a")) == hash(cb.Value(0x00010003, "a"))
    pl = cb.PropertyList({"a": cb.Word(3), "b": (cb.ExpandSz("x"), cb.ExpandedSz("y")),
                          "c": cb.PropertyList({"d": b"\x01"})}, endmark=False)
    back = pickle.loads(pickle.dumps(pl))
    assert back == pl and back.to_bytes() == pl.to_bytes()
    assert repr(cb.Dword(5)) == "Dword(5)"
    assert repr(cb.Dword(5, syntax=0x00050002)) == "Dword(5, syntax=0x00050002)"
    assert cb.Dword(5).format is cb.Format.DWORD and cb.Dword(5).type is cb.PropType.LIST_VALUE
    assert cb.FileTime(0).datetime == datetime(1601, 1, 1, tzinfo=UTC)


# === buffers ===

def test_pack_into_every_writable_buffer():
    pl = cb.PropertyList.from_buffer(CLUSTER)
    for buf in (bytearray(500), np.zeros(500, np.uint8), memoryview(bytearray(500))):
        assert pl.pack_into(buf, 7) == len(CLUSTER)
        assert bytes(buf[7:7 + len(CLUSTER)]) == CLUSTER
    with mmap.mmap(-1, 4096) as m:
        pl.pack_into(m, 100)
        assert m[100:100 + len(CLUSTER)] == CLUSTER


def test_pack_into_too_small_says_how_much():
    pl = cb.PropertyList.from_buffer(CLUSTER)
    buf = bytearray(len(CLUSTER) + 3)
    with pytest.raises(cb.MoreDataError) as e:
        pl.pack_into(buf, 4)
    assert e.value.required == len(CLUSTER) + 4 and e.value.winerror == 234
    assert buf == bytearray(len(CLUSTER) + 3)  # nothing written
    with pytest.raises(cb.InvalidParameterError):
        pl.pack_into(buf, -1)
    with pytest.raises((TypeError, BufferError)):
        pl.pack_into(b"read-only bytes" * 40)


def test_zero_copy_binary_values_are_views_of_the_source():
    src = bytearray(cb.PropertyList({"blob": b"abcd", "sd": cb.SecurityDescriptor(SD)}).to_bytes())
    pl = cb.PropertyList.from_buffer(src)
    blob = pl["blob"].value
    assert isinstance(blob, memoryview) and blob == b"abcd"
    src[src.index(b"abcd")] = ord("X")
    assert blob.tobytes() == b"Xbcd"  # a view, not a copy
    copied = cb.PropertyList.from_buffer(src, copy=True)
    assert type(copied["blob"].value) is bytes and type(copied["sd"].value) is bytes
    assert copied == pl


def test_from_buffer_takes_numpy_and_slices():
    arr = np.frombuffer(CLUSTER + b"junk", np.uint8)[:len(CLUSTER)]
    assert cb.PropertyList.from_buffer(arr) == cb.PropertyList.from_buffer(CLUSTER)
    as_u32 = np.frombuffer(CLUSTER, np.uint32)
    assert cb.PropertyList.from_buffer(as_u32) == cb.PropertyList.from_buffer(CLUSTER)


def test_trailing_endmarks_zero_or_more():
    base = CLUSTER[:-4]
    for k in range(4):
        pl = cb.PropertyList.from_buffer(base + b"\0" * 4 * k)
        assert pl.endmark == (k > 0) and len(pl) == 6


def test_value_list_api():
    vl = cb.ValueList([1, "x", b"yy"])
    vl.append(cb.Long(-2))
    vl[0] = 7
    assert vl[0] == cb.Dword(7) and len(vl) == 4 and vl.size == len(vl.to_bytes())
    assert cb.ValueList.from_buffer(vl.to_bytes()) == vl
    buf = np.zeros(vl.size, np.uint8)
    assert vl.pack_into(buf) == vl.size and bytes(buf) == vl.to_bytes()
    assert cb.ValueList.from_buffer(b"\0\0\0\0") == cb.ValueList()


# === the oracle over generated lists ===

@given(property_lists())
def test_encoding_matches_the_oracle(rep):
    pl = to_property_list(rep)
    assert pl.to_bytes() == encode_list(*rep)
    assert pl.size == len(encode_list(*rep))


@given(property_lists(), st.booleans())
def test_round_trip_through_bytes(rep, copy):
    pl = to_property_list(rep)
    data = pl.to_bytes()
    back = cb.PropertyList.from_buffer(data, copy=copy)
    assert back == pl
    assert back.to_bytes() == data
    assert represent(back) == canonical(decode_list(data))


# === the parser's name caches ===

def test_names_survive_the_name_caches():
    """Names come from a hash cache and a by-position guess: lists parsed one after another
    with the same names reordered, names one character apart, non-Latin-1 and astral
    names, very long names and lists longer than the guess covers all come back exact."""
    base = [f"ClusterProperty{i:04d}" for i in range(1200)]
    odd = ["Größe", "Имя", "名前", "\U0001d4b3name", "n" * 300, "ClusterProperty000", "a", "ab"]
    for names in (base, base[::-1], odd, odd[::-1], ["X" + n[1:] for n in base[:50]], base):
        pl = cb.PropertyList({n: i for i, n in enumerate(names)})
        for _ in range(2):
            back = cb.PropertyList.from_buffer(pl.to_bytes())
            assert list(back) == names
            assert [v.value for v in back.values()] == list(range(len(names)))
    nested = cb.PropertyList({"ClusterProperty0001": cb.PropertyList({"ClusterProperty0000": 1})})
    back = cb.PropertyList.from_buffer(nested.to_bytes())
    assert list(back["ClusterProperty0001"].value) == ["ClusterProperty0000"]


def test_fixed_size_values_are_plain_ints():
    """Fixed-size values keep their wire bits and make the int on demand: always an exact
    int (not the bool or IntEnum they were built from), signed for LONG and LARGE_INTEGER."""
    assert type(cb.Dword(True).value) is int and cb.Dword(True).value == 1
    assert type(cb.Dword(cb.Format.SZ).value) is int
    cases = [(cb.Long, -1), (cb.Long, -2**31), (cb.LargeInteger, -2**63), (cb.Word, 65535),
             (cb.ULargeInteger, 2**64 - 1), (cb.FileTime, 2**63), (cb.Dword, 2**32 - 1)]
    pl = cb.PropertyList({f"P{i}": make(x) for i, (make, x) in enumerate(cases)})
    for built in (pl, cb.PropertyList.from_buffer(pl.to_bytes())):
        assert [v.value for v in built.values()] == [x for _, x in cases]
        assert all(type(v.value) is int for v in built.values())
