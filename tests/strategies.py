"""Hypothesis strategies for catalogs: masks, types, entry flags and times that hit every
rule and boundary (mtime == since), with a few invalid values mixed in."""
import numpy as np
from hypothesis import strategies as st

VALID_BITS = [0x1, 0x2, 0x4, 0x8, 0x100, 0x200, 0x400, 0x800, 0x10000]
SINCE = 1_000

valid_masks = st.lists(st.sampled_from(VALID_BITS), max_size=5).map(lambda bits: sum(set(bits)))
any_masks = st.one_of(valid_masks, valid_masks, valid_masks,
                      st.integers(0, 0xFFFFFFFF), st.sampled_from([0x20000, 0x10, 0x80000000]))
valid_types = st.integers(1, 6)
any_types = st.one_of(valid_types, valid_types, valid_types, st.sampled_from([0, 7, 255]))
valid_entries = st.integers(0, 7)
any_entries = st.one_of(valid_entries, valid_entries, st.sampled_from([8, 0x80, 0xFF]))
# around SINCE so that both sides of every threshold, and equality, are drawn
valid_times = st.one_of(st.integers(SINCE - 3, SINCE + 3), st.integers(0, 2**62),
                        st.sampled_from([0, 2**63 - 1]))
any_times = st.one_of(valid_times, valid_times, st.integers(-(2**63), -1))


@st.composite
def catalogs(draw, *, valid=True, max_rows=60, min_rows=0):
    """A dict of classify() keyword inputs plus the row count, as plain Python lists."""
    n = draw(st.integers(min_rows, max_rows))
    masks_s, types_s, entries_s, times_s = (
        (valid_masks, valid_types, valid_entries, valid_times) if valid
        else (any_masks, any_types, any_entries, any_times))
    cat = {"masks": draw(st.lists(masks_s, min_size=n, max_size=n))}
    cat["backup_type"] = draw(st.one_of(valid_types, st.lists(types_s, min_size=n, max_size=n)))
    if draw(st.booleans()):
        cat["entry_flags"] = draw(st.lists(entries_s, min_size=n, max_size=n))
    if draw(st.integers(0, 4)):
        cat["mtimes"] = draw(st.lists(times_s, min_size=n, max_size=n))
    if draw(st.integers(0, 4)):
        cat["since"] = draw(st.sampled_from([SINCE, 0, SINCE + 1]))
    ds = draw(st.sampled_from(["none", "scalar", "rows"]))
    if ds == "scalar":
        cat["differenced_since"] = draw(st.sampled_from([0, SINCE - 1, SINCE + 2]))
    elif ds == "rows":
        cat["differenced_since"] = draw(st.lists(
            st.one_of(st.just(0), times_s), min_size=n, max_size=n))
    return cat


def oracle_args(cat):
    return dict(masks=cat["masks"], types=cat["backup_type"], entries=cat.get("entry_flags"),
                mtimes=cat.get("mtimes"), since=cat.get("since"),
                differenced_since=cat.get("differenced_since"))


LAYOUTS = ["native", "strided", "readonly", "other_dtype"]
_OTHER_DTYPE = {np.dtype(np.uint32): np.int64, np.dtype(np.uint8): np.int32,
                np.dtype(np.int64): np.uint64}


def lay_out(values, dtype, layout):
    """`values` as a numpy array of `dtype` in one of several memory layouts."""
    if layout == "other_dtype":
        other = _OTHER_DTYPE[np.dtype(dtype)]
        if np.dtype(other).kind == "u" and any(v < 0 for v in values):
            other = np.int32 if np.dtype(dtype).itemsize < 8 else dtype
        return np.array(values, dtype=other)
    arr = np.array(values, dtype=dtype)
    if layout == "strided":
        big = np.zeros(2 * len(arr) + 1, dtype=dtype)
        big[1::2] = arr
        arr = big[1::2]
    elif layout == "readonly":
        arr.setflags(write=False)
    return arr
