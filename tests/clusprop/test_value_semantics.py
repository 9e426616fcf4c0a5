"""CLUSPROP values behave like what they hold: numbers like ints, strings like str, MULTI_SZ
like a list of str, raw bytes like bytes; equality between two values also compares the
syntax; `a == b` implies `hash(a) == hash(b)` everywhere."""
import datetime as dt
import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import csvbackup as cb

INTEGERS = [  # (class, smallest, largest)
    (cb.Dword, 0, 2**32 - 1), (cb.Long, -2**31, 2**31 - 1), (cb.Word, 0, 2**16 - 1),
    (cb.ULargeInteger, 0, 2**64 - 1), (cb.LargeInteger, -2**63, 2**63 - 1),
    (cb.FileTime, 0, 2**64 - 1),
]
STRINGS = [cb.Sz, cb.ExpandSz, cb.ExpandedSz]
text = st.text(st.characters(blacklist_characters="\0"), max_size=8)


@st.composite
def integer_values(draw):
    cls, lo, hi = draw(st.sampled_from(INTEGERS))
    return cls(draw(st.integers(lo, hi)))


@st.composite
def any_values(draw):
    kind = draw(st.sampled_from(["int", "str", "multi", "bytes"]))
    if kind == "int":
        return draw(integer_values())
    if kind == "str":
        return draw(st.sampled_from(STRINGS))(draw(text))
    if kind == "multi":
        return cb.MultiSz(draw(st.lists(text.filter(bool), max_size=3)))
    return cb.Binary(draw(st.binary(max_size=8)))


@given(integer_values())
def test_integers_are_their_int(v):
    x = v.value
    assert int(v) == operator.index(v) == x and v == x and x == v
    assert hash(v) == hash(x) and bool(v) == bool(x)
    assert float(v) == float(x) and f"{v:x}" == f"{x:x}" == "%x" % v  # noqa: UP031
    assert v == np.int64(x) if -2**63 <= x < 2**63 else True
    assert v != x + 1 and not (v != x)


@given(st.sampled_from(STRINGS), text)
def test_strings_are_their_str(cls, s):
    v = cls(s)
    assert v == s and s == v and str(v) == s and hash(v) == hash(s) and v != s + "x"
    assert f"{v:>10}" == f"{s:>10}"
    with pytest.raises(TypeError, match="not an integer"):
        int(v)


@given(st.lists(text.filter(bool), max_size=4))
def test_multi_sz_is_its_list_of_str(items):
    v = cb.MultiSz(items)
    assert v == items and v == tuple(items) and hash(v) == hash(tuple(items))
    assert v != [*items, "x"]


@given(st.binary(max_size=16))
def test_bytes_are_their_bytes(b):
    for v in (cb.Binary(b), cb.Value(0x00018001, b)):  # BINARY and a user-defined format
        assert v == b and v == bytearray(b) and v == memoryview(b) and hash(v) == hash(b)


@given(any_values(), any_values())
def test_equal_implies_equal_hash(a, b):
    if a == b:
        assert hash(a) == hash(b)
    assert (a == b) == (b == a) == (a.syntax == b.syntax and a.value == b.value)


@given(integer_values())
def test_two_values_compare_their_syntax_too(v):
    x = v.value
    for cls, lo, hi in INTEGERS:
        if lo <= x <= hi:
            other = cls(x)
            assert (v == other) == (type(other) is type(v)) and other == x
            assert hash(other) == hash(v)  # equal to the same int: equal hashes


def test_the_issue_examples():
    assert cb.BACKUP_IN_PROGRESS.default == 0 and int(cb.Dword(0)) == 0
    assert cb.Dword(1) != cb.Long(1) and cb.Dword(1) == 1 == cb.Long(1)
    assert {cb.Dword(7): "seven"}[7] == "seven" and cb.Sz("C:\\x") in {"C:\\x"}
    assert cb.FileTime(dt.datetime(2026, 12, 3, tzinfo=dt.UTC)).datetime == \
        dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
    assert list(range(10))[cb.Word(3)] == 3 and not cb.Dword(0) and cb.Sz("")


def test_parsed_values_behave_the_same():
    pl = cb.PropertyList({"n": cb.Long(-5), "s": "x", "m": ["a", "b"], "b": b"\x01\x02"})
    back = cb.PropertyList.from_buffer(pl.to_bytes())  # zero copy: bytes are a memoryview
    assert back["n"] == -5 and back["s"] == "x" and back["m"] == ["a", "b"]
    assert back["b"] == b"\x01\x02" and hash(back["b"]) == hash(b"\x01\x02")


def test_no_equality_with_unrelated_types():
    assert cb.Dword(1) != "1" and cb.Sz("1") != 1 and cb.Dword(1) != 1.5
    assert cb.Binary(b"a") != "a" and cb.MultiSz(["a"]) != "a"
    with pytest.raises(TypeError):
        operator.index(cb.MultiSz(["a"]))
