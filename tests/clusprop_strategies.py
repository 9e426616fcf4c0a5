"""Hypothesis strategies for CLUSPROP lists in the oracle representation (see
clusprop_oracle.py): every format, multi-valued properties, nested lists, user syntaxes."""
import struct

from hypothesis import strategies as st

import csvbackup as cb
from clusprop_oracle import PROPERTY_LIST

LV = 0x00010000
# text without NUL and without surrogates (a lone surrogate pair would merge on decode)
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
               max_size=12)
names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
                min_size=1, max_size=10)


def _sid(subs):
    return struct.pack("<BB6s", 1, len(subs), b"\0\0\0\0\0\x05") + b"".join(
        struct.pack("<I", s) for s in subs)


@st.composite
def security_descriptors(draw):
    """Self-relative SDs: owner and group SIDs, optionally a DACL with ACCESS_ALLOWED ACEs."""
    owner = _sid(draw(st.lists(st.integers(0, 2**32 - 1), max_size=4)))
    group = _sid(draw(st.lists(st.integers(0, 2**32 - 1), max_size=4)))
    aces = b""
    n_aces = 0
    for _ in range(draw(st.integers(0, 3))):
        sid = _sid(draw(st.lists(st.integers(0, 2**32 - 1), max_size=3)))
        body = struct.pack("<I", draw(st.integers(0, 2**32 - 1))) + sid
        aces += struct.pack("<BBH", 0, 0, 4 + len(body)) + body
        n_aces += 1
    dacl = struct.pack("<BBHHH", 2, 0, 8 + len(aces), n_aces, 0) + aces
    with_dacl = draw(st.booleans())
    control = 0x8000 | (0x4 if with_dacl else 0)
    o_owner = 20
    o_group = o_owner + len(owner)
    o_dacl = o_group + len(group) if with_dacl else 0
    head = struct.pack("<BBHIIII", 1, 0, control, o_owner, o_group, 0, o_dacl)
    return head + owner + group + (dacl if with_dacl else b"")


def values(depth):
    """(syntax, value) pairs of every format."""
    options = [
        st.tuples(st.just(LV | 2), st.integers(0, 2**32 - 1)),
        st.tuples(st.just(LV | 7), st.integers(-(2**31), 2**31 - 1)),
        st.tuples(st.just(LV | 11), st.integers(0, 2**16 - 1)),
        st.tuples(st.just(LV | 6), st.integers(0, 2**64 - 1)),
        st.tuples(st.just(LV | 10), st.integers(-(2**63), 2**63 - 1)),
        st.tuples(st.just(LV | 12), st.integers(0, 2**64 - 1)),
        st.tuples(st.sampled_from([LV | 3, LV | 4, LV | 8, 0x000A0003, 0x000B0003]), text),
        st.tuples(st.just(LV | 5), st.lists(text.filter(bool), max_size=4).map(tuple)),
        st.tuples(st.sampled_from([LV | 1, 0x00080001, 0x000D0001, LV | 13]),
                  st.binary(max_size=20)),
        st.tuples(st.just(LV | 9), security_descriptors()),
        # user-defined: type or format >= 0x8000, kept raw
        st.tuples(st.integers(0x8000, 0xFFFF).map(lambda t: (t << 16) | 1)
                  | st.integers(0x8000, 0xFFFF).map(lambda f: LV | f), st.binary(max_size=12)),
        st.tuples(st.just(0x00050002), st.integers(0, 2**32 - 1)),  # DISK_SIGNATURE, DWORD
    ]
    if depth < 2:
        options.append(st.tuples(st.just(LV | PROPERTY_LIST),
                                 property_lists(depth + 1, max_props=3)))
    return st.one_of(options)


def property_lists(depth=0, max_props=6):
    """(props, endmarks) with unique names, 1-3 values per property."""
    props = st.lists(st.tuples(names, st.lists(values(depth), min_size=1, max_size=3)),
                     max_size=max_props, unique_by=lambda p: p[0])
    return st.tuples(props, st.integers(0, 1))


def to_property_list(rep):
    """The PropertyList a `property_lists` example stands for."""
    props, endmarks = rep
    pl = cb.PropertyList(endmark=endmarks > 0)
    for name, values in props:
        pl[name] = [cb.Value(s, to_property_list(v) if (s & 0xFFFF) == PROPERTY_LIST else v)
                    for s, v in values]
    return pl
