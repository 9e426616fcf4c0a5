"""Malformed CLUSPROP lists: each fails with InvalidDataError naming the byte offset, never a
crash, a read past the buffer or an allocation sized by an unchecked count. The fuzz tests
mutate valid lists and require the parser to agree with the oracle on accept/reject and on
the values."""
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import csvbackup as cb
import tree
from clusprop_oracle import OracleError, canonical, decode_list, encode_list, represent
from clusprop_strategies import property_lists

DATA = tree.DATA
CLUSTER = (DATA / "samba_cluster_props.bin").read_bytes()
NODE = (DATA / "samba_node_props.bin").read_bytes()
NAME = 0x00040003


def name_entry(name):
    raw = name.encode("utf-16-le") + b"\0\0"
    return struct.pack("<II", NAME, len(raw)) + raw + b"\0" * (-len(raw) % 4)


def one(value_entry, name="P", count=1):
    """A list with one property holding the given raw value entry."""
    return struct.pack("<I", count) + name_entry(name) + value_entry + b"\0\0\0\0"


def fails_at(data, offset):
    with pytest.raises(cb.InvalidDataError) as e:
        cb.PropertyList.from_buffer(data)
    assert e.value.winerror == 13
    assert e.value.offset == offset, str(e.value)
    assert f"byte {offset}" in str(e.value)
    with pytest.raises(OracleError):  # the oracle agrees it is malformed
        decode_list(data)
    return e.value


@pytest.mark.parametrize("vector", [CLUSTER, NODE], ids=["cluster", "node"])
def test_every_truncation_fails_or_is_a_whole_list(vector):
    whole = len(vector) - 4  # the list-level ENDMARK is optional
    for cut in range(len(vector)):
        data = vector[:cut]
        if cut == whole:
            assert cb.PropertyList.from_buffer(data) == cb.PropertyList.from_buffer(vector)
            continue
        with pytest.raises(cb.InvalidDataError) as e:
            cb.PropertyList.from_buffer(data)
        assert 0 <= e.value.offset <= cut


def test_count_far_larger_than_the_buffer_fails_at_once():
    e = fails_at(struct.pack("<III", 0xFFFFFFFF, 0, 0), 0)
    assert "count" in str(e)


def test_count_and_entries_disagree():
    two = CLUSTER[:-4]
    fails_at(struct.pack("<I", 7) + two[4:] + b"\0" * 24, 408)  # 7 announced, 6 present
    fewer = struct.pack("<I", 5) + two[4:]
    with pytest.raises(cb.InvalidDataError):                  # 6 present, 5 announced
        cb.PropertyList.from_buffer(fewer)


def test_length_past_the_end():
    fails_at(one(struct.pack("<II", 0x00010002, 400) + b"\0\0\0\0"), 16)


def test_padding_past_the_end():
    data = struct.pack("<I", 1) + name_entry("P" * 10) + struct.pack("<II", 0x00010001, 1) + b"\x01"
    fails_at(data, 36)


def test_odd_utf16_length():
    fails_at(one(struct.pack("<II", 0x00010003, 3) + b"a\0\0\0"), 20)  # its cbLength


def test_string_without_its_nul():
    fails_at(one(struct.pack("<II", 0x00010003, 2) + b"a\0\0\0"), 24)


def test_string_with_an_embedded_nul():
    fails_at(one(struct.pack("<II", 0x00010003, 8) + b"a\0\0\0b\0\0\0"), 26)


def test_multi_sz_without_its_final_nul():
    fails_at(one(struct.pack("<II", 0x00010005, 4) + b"a\0\0\0"), 26)


def test_multi_sz_with_an_empty_string_inside():
    fails_at(one(struct.pack("<II", 0x00010005, 8) + b"a\0\0\0\0\0b\0"), 28)


def test_multi_sz_double_nul_alone_is_empty():
    pl = cb.PropertyList.from_buffer(one(struct.pack("<II", 0x00010005, 4) + b"\0\0\0\0"))
    assert pl["P"] == cb.MultiSz([])


def test_name_entry_that_is_not_a_name():
    data = struct.pack("<I", 1) + struct.pack("<II", 0x00010003, 4) + b"P\0\0\0" + \
        struct.pack("<III", 0x00010002, 4, 1) + b"\0\0\0\0"
    fails_at(data, 4)


def test_name_without_its_nul():
    data = struct.pack("<III", 1, NAME, 2) + b"P\0\0\0" + struct.pack("<III", 0x00010002, 4, 1) \
        + b"\0\0\0\0"
    fails_at(data, 12)


@pytest.mark.parametrize("syntax", [NAME, 0x00040002])
def test_value_whose_syntax_is_a_name(syntax):
    fails_at(one(struct.pack("<III", syntax, 4, 0)), 16)


def test_property_without_a_value():
    fails_at(struct.pack("<I", 1) + name_entry("P") + b"\0\0\0\0" + b"\0" * 12, 16)


@pytest.mark.parametrize("syntax", [0x00000002, 0x00030002, 0x00100002, 0x7FFF0002,
                                    0x00010000, 0x0001000F, 0x00017FFF])
def test_reserved_syntaxes(syntax):
    e = fails_at(one(struct.pack("<III", syntax, 4, 0)), 16)
    assert "reserved" in str(e)


@pytest.mark.parametrize("syntax", [0x80000001, 0xFFFF0001, 0x00018000, 0x8000FFFF])
def test_user_defined_syntaxes_are_kept_raw(syntax):
    data = one(struct.pack("<II", syntax, 3) + b"xyz\0")
    pl = cb.PropertyList.from_buffer(data)
    assert pl["P"].syntax == syntax
    assert pl.to_bytes() == data  # no list-level ENDMARK in, none out


@pytest.mark.parametrize("syntax, length", [(0x00010002, 2), (0x00010002, 8),
                                            (0x0001000B, 4), (0x00010006, 4)])
def test_fixed_formats_have_their_length(syntax, length):
    fails_at(one(struct.pack("<II", syntax, length) + b"\0" * ((length + 3) & ~3)), 20)


def test_non_zero_padding_is_accepted_and_rewritten_as_zero():
    node = bytearray(NODE)  # CSDVersion = "": cbLength 2, then 2 padding bytes
    at = node.index(struct.pack("<II", 0x00010003, 2)) + 10
    node[at:at + 2] = b"\xaa\xbb"
    pl = cb.PropertyList.from_buffer(bytes(node))
    assert pl["CSDVersion"] == cb.Sz("") and pl.to_bytes() == NODE


def test_trailing_garbage_after_the_list():
    fails_at(CLUSTER + b"\x01\0\0\0", 412)
    fails_at(CLUSTER + b"\0\0", 412)


def test_duplicate_names():
    data = struct.pack("<I", 2) + (name_entry("P") + struct.pack("<III", 0x00010002, 4, 1)
                                   + b"\0\0\0\0") * 2
    fails_at(data, 32)


def test_nesting_is_bounded():
    inner = cb.PropertyList({"x": 1})
    for _ in range(15):
        inner = cb.PropertyList({"x": inner})
    sixteen = cb.PropertyList({"x": inner}).to_bytes()
    cb.PropertyList.from_buffer(sixteen)  # 16 nested: fine
    with pytest.raises(cb.InvalidParameterError, match="nested"):  # the encoder stops at 16
        cb.PropertyList({"x": cb.PropertyList({"x": inner})}).to_bytes()
    deeper = encode_list([("x", [(0x0001000E, decode_list(sixteen))])])
    with pytest.raises(cb.InvalidDataError, match="nested"):
        cb.PropertyList.from_buffer(deeper)
    looped = cb.PropertyList({"a": 1})
    looped["self"] = looped
    with pytest.raises(cb.InvalidParameterError):
        looped.to_bytes()


def test_malformed_nested_list_reports_the_absolute_offset():
    good = cb.PropertyList({"outer": cb.PropertyList({"a": 1})}).to_bytes()
    bad = bytearray(good)
    inner_value = bad.index(struct.pack("<II", 0x00010002, 4))
    bad[inner_value + 4] = 5  # DWORD of length 5
    fails_at(bytes(bad), inner_value + 4)


def test_security_descriptor_structure_is_checked():
    sd = struct.pack("<BBHIIII", 1, 0, 0x8000, 20, 0, 0, 0) + b"\x01\x01" + b"\0" * 10
    assert cb.PropertyList.from_buffer(one(struct.pack("<II", 0x00010009, len(sd)) + sd))
    for broken in (sd[:19], b"\x02" + sd[1:], sd[:2] + b"\0\0" + sd[4:],
                   sd[:4] + struct.pack("<I", 40) + sd[8:]):
        data = one(struct.pack("<II", 0x00010009, len(broken)) + broken
                   + b"\0" * (-len(broken) % 4))
        fails_at(data, 24)


def test_value_list_needs_its_endmark():
    good = cb.ValueList([1, "x"]).to_bytes()
    assert cb.ValueList.from_buffer(good + b"\0\0\0\0")  # extra zero DWORDs are fine
    for cut in range(len(good)):
        with pytest.raises(cb.InvalidDataError) as e:
            cb.ValueList.from_buffer(good[:cut])
        assert 0 <= e.value.offset <= cut
    with pytest.raises(cb.InvalidDataError):
        cb.ValueList.from_buffer(good + b"\x01\0\0\0")


# === fuzz: mutated valid lists, parser vs oracle ===

def check_agrees_with_oracle(data):
    try:
        expected = canonical(decode_list(data))
    except OracleError:
        expected = None
    try:
        pl = cb.PropertyList.from_buffer(data)
    except cb.InvalidDataError as e:
        assert expected is None, f"rejected a list the oracle accepts: {e}"
        assert 0 <= e.offset <= len(data)
        return
    assert expected is not None, "accepted a list the oracle rejects"
    assert represent(pl) == expected
    assert cb.PropertyList.from_buffer(pl.to_bytes()) == pl


mutations = st.lists(st.tuples(st.sampled_from(["set", "insert", "delete", "dword"]),
                               st.integers(0, 10_000), st.integers(0, 255)), max_size=4)


@pytest.mark.slow
@settings(max_examples=400)
@given(property_lists(), mutations)
def test_fuzz_mutated_lists(rep, muts):
    data = bytearray(encode_list(*rep))
    for kind, at, byte in muts:
        at = at % (len(data) + 1)
        if kind == "set" and at < len(data):
            data[at] = byte
        elif kind == "insert":
            data[at:at] = bytes([byte])
        elif kind == "delete" and at < len(data):
            del data[at]
        elif kind == "dword" and at + 4 <= len(data):  # lengths and counts: big or small
            data[at & ~3:(at & ~3) + 4] = struct.pack("<I", [0, 1, 0xFFFFFFFF, 0x7FFFFFFF,
                                                             byte][byte % 5])
    check_agrees_with_oracle(bytes(data))


@settings(max_examples=300)
@given(st.binary(max_size=64))
def test_fuzz_random_bytes(data):
    check_agrees_with_oracle(data)
    try:
        cb.ValueList.from_buffer(data)
    except cb.InvalidDataError as e:
        assert 0 <= e.offset <= len(data)


def test_fuzz_every_byte_of_the_real_vectors():
    for vector in (CLUSTER, NODE):
        for at in range(len(vector)):
            for byte in (0x00, 0x01, 0x80, 0xFF):
                data = bytearray(vector)
                data[at] = byte
                check_agrees_with_oracle(bytes(data))


def test_a_list_that_grows_while_packed_raises_instead_of_overflowing():
    class Sneaky(cb.PropertyList):
        """A nested list whose _props grows the second time it is read."""
        __slots__ = ("reads",)

        @property
        def _props(self):
            self.reads = getattr(self, "reads", 0) + 1
            return {"a": cb.Dword(1)} if self.reads < 3 else {"a": cb.Sz("x" * 100)}

        @_props.setter
        def _props(self, value):
            pass

    outer = cb.PropertyList({"nested": cb.PropertyListValue(Sneaky())})
    buf = bytearray(outer.size)
    with pytest.raises(RuntimeError, match="changed"):
        outer.pack_into(buf)


@pytest.mark.parametrize("units", range(1, 21))
def test_embedded_nul_found_at_every_position_of_every_length(units):
    """The string check scans four code units a step: a NUL anywhere before the final one,
    in strings of every length around that step, is found at its exact byte offset."""
    for at in range(units - 1):
        text = bytearray("x".encode("utf-16-le") * (units - 1) + b"\0\0")
        text[2 * at:2 * at + 2] = b"\0\0"
        entry = struct.pack("<II", 0x00010003, len(text)) + bytes(text)
        fails_at(one(entry + b"\0" * (-len(text) % 4)), 24 + 2 * at)
        name = struct.pack("<II", 0x00040003, len(text)) + bytes(text) + b"\0" * (-len(text) % 4)
        fails_at(struct.pack("<I", 1) + name + struct.pack("<IIII", 0x00010002, 4, 1, 0), 12 + 2 * at)


def _strided(data):
    """`data`'s bytes at every other byte of a buffer twice its size: (memoryview, ndarray)."""
    raw = np.zeros(2 * len(data), np.uint8)
    raw[::2] = np.frombuffer(data, np.uint8)
    return memoryview(raw)[::2], raw[::2]


def test_every_parser_takes_strided_buffers():
    """A strided buffer is read through a copy of its bytes: the answer a contiguous one
    gives, not a BufferError or numpy's "not C-contiguous" ValueError."""
    plist = cb.PropertyList({"BackupInProgress": cb.Dword(1), "Blob": cb.Binary(b"\x01\x02")})
    data = plist.to_bytes()
    for buf in _strided(data):
        for copy in (False, True):
            parsed = cb.PropertyList.from_buffer(buf, copy=copy)
            assert parsed.to_bytes() == data and bytes(parsed["Blob"].value) == b"\x01\x02"
    backup = cb.PropertyList({"BackupInProgress": cb.Dword(1)}).to_bytes()
    for buf in _strided(backup):
        assert cb.CLUSTER_COMMON_PROPERTIES.parse(buf) == cb.CLUSTER_COMMON_PROPERTIES.parse(backup)
    values = cb.ValueList([cb.Dword(7), cb.Sz("x")]).to_bytes()
    for buf in _strided(values):
        assert [v.value for v in cb.ValueList.from_buffer(buf)] == [7, "x"]
    lists, offsets = cb.build_property_lists("BackupInProgress", np.array([1, 0], np.uint32))
    for buf in _strided(bytes(lists)):
        assert cb.read_property(buf, offsets, "BackupInProgress").tolist() == [1, 0]
