"""A CLUSPROP list entry by entry, where each one sits in the bytes, and a JSON form that
encodes back to the same list.

`describe` parses a buffer with the strict parser first (`PropertyList.from_buffer`,
`ValueList.from_buffer`), so a bad buffer fails with its byte offset before anything here
reads it, then walks the entry headers to say where each entry starts and how many bytes it
takes (its header, data and padding). `to_json` / `from_json` turn a parsed list into plain
JSON types and back; the wire layout is docs/reference/cluster-formats.md section 1.
"""
import struct
from dataclasses import dataclass

from ..filetime import filetime_to_datetime
from .lists import PropertyList, ValueList
from .syntax import Format, PropType
from .values import Value

__all__ = ["Entry", "describe", "to_json", "from_json", "value_to_json", "value_from_json"]

_SYNTAX_NAME = 0x00040003  # CLUSPROP_SYNTAX_NAME
_ENDMARK = 0
_FIXED = {Format.DWORD, Format.LONG, Format.WORD, Format.ULARGE_INTEGER,
          Format.LARGE_INTEGER, Format.FILETIME}
_STRINGS = {Format.SZ, Format.EXPAND_SZ, Format.EXPANDED_SZ}


@dataclass(frozen=True)
class Entry:
    """One entry of a list as it sits in the bytes.

    ``kind`` is ``"count"`` (a property list's first DWORD), ``"name"``, ``"value"`` or
    ``"endmark"``; ``offset`` and ``size`` say which bytes it takes (header, data and
    padding); ``name`` is the property it belongs to (a value list's values are named by
    their index); ``value`` is the parsed `Value` of a value entry, else None.
    """

    kind: str
    offset: int
    size: int
    name: str | None = None
    value: Value | None = None


def _padded(n):
    return (n + 3) & ~3


def _header(data, at):
    return struct.unpack_from("<II", data, at) if at + 8 <= len(data) else \
        (struct.unpack_from("<I", data, at)[0], 0)


def _trailing_endmarks(data, at, entries):
    while at < len(data):
        entries.append(Entry("endmark", at, 4))
        at += 4


def describe(data, *, value_list=False):
    """The entries of the property list (or with ``value_list=True`` the value list) that
    fills `data`, in the order they sit in it.

    Raises `InvalidDataError` with ``.offset`` when `data` is not such a list (the strict
    parser's checks, before any entry is walked).
    """
    data = bytes(data)
    entries = []
    if value_list:
        values = list(ValueList.from_buffer(data, copy=True))
        at = 0
        for i, v in enumerate(values):
            _, length = _header(data, at)
            entries.append(Entry("value", at, 8 + _padded(length), str(i), v))
            at += 8 + _padded(length)
        entries.append(Entry("endmark", at, 4))
        _trailing_endmarks(data, at + 4, entries)
        return entries
    pl = PropertyList.from_buffer(data, copy=True)
    entries.append(Entry("count", 0, 4))
    at = 4
    for name in pl:
        _, length = _header(data, at)
        entries.append(Entry("name", at, 8 + _padded(length), name))
        at += 8 + _padded(length)
        for v in pl.values_of(name):
            _, length = _header(data, at)
            entries.append(Entry("value", at, 8 + _padded(length), name, v))
            at += 8 + _padded(length)
        entries.append(Entry("endmark", at, 4, name))
        at += 4
    _trailing_endmarks(data, at, entries)
    return entries


def _format(syntax):
    try:
        return Format(syntax & 0xFFFF)
    except ValueError:
        return None


def value_to_json(v):
    """One value as JSON types: ``syntax`` (int), ``type`` and ``format`` (names, or hex
    when user-defined) and ``value``: an int, a str, a list of str (MULTI_SZ), hex text
    (raw bytes) or a nested list's JSON (PROPERTY_LIST); a FILETIME also has ``time``."""
    fmt = _format(v.syntax)
    t = v.syntax >> 16
    out = {"syntax": v.syntax,
           "type": PropType(t).name if t in PropType._value2member_map_ else f"0x{t:04X}",
           "format": fmt.name if fmt is not None else f"0x{v.syntax & 0xFFFF:04X}"}
    if fmt in _FIXED or fmt in _STRINGS:
        out["value"] = v.value
    elif fmt == Format.MULTI_SZ:
        out["value"] = list(v.value)
    elif fmt == Format.PROPERTY_LIST:
        out["value"] = to_json(v.value)
    else:
        out["value"] = bytes(v.value).hex()
    if fmt == Format.FILETIME:
        try:
            out["time"] = filetime_to_datetime(v.value).isoformat()
        except (ValueError, OverflowError):
            out["time"] = None  # beyond datetime's range: the ticks are still exact
    return out


def value_from_json(obj):
    """The `Value` a `value_to_json` object describes (its ``syntax`` and ``value``)."""
    if not isinstance(obj, dict) or "syntax" not in obj or "value" not in obj:
        raise ValueError(f"a value needs 'syntax' and 'value', got {obj!r:.80}")
    syntax, raw = obj["syntax"], obj["value"]
    if isinstance(syntax, str):
        syntax = int(syntax, 0)
    fmt = _format(syntax)
    if fmt == Format.PROPERTY_LIST:
        raw = from_json(raw)
    elif fmt not in _FIXED and fmt not in _STRINGS and fmt != Format.MULTI_SZ:
        if not isinstance(raw, str):
            raise ValueError(f"syntax 0x{syntax:08X} takes hex text, got {raw!r:.80}")
        raw = bytes.fromhex(raw)
    return Value(syntax, raw)


def to_json(lst):
    """A PropertyList or ValueList as JSON types: ``{"kind": "property_list", "endmark":
    bool, "properties": [{"name", "values": [value_to_json ...]}]}`` or ``{"kind":
    "value_list", "values": [...]}``."""
    if isinstance(lst, ValueList):
        return {"kind": "value_list", "values": [value_to_json(v) for v in lst]}
    return {"kind": "property_list", "endmark": lst.endmark,
            "properties": [{"name": n, "values": [value_to_json(v) for v in lst.values_of(n)]}
                           for n in lst]}


def from_json(obj):
    """The PropertyList or ValueList a `to_json` object (or `describe`'s JSON) describes."""
    kind = obj.get("kind") if isinstance(obj, dict) else None
    if kind == "value_list":
        return ValueList([value_from_json(v) for v in obj.get("values", ())])
    if kind != "property_list":
        raise ValueError("a list's JSON has kind 'property_list' or 'value_list'")
    pl = PropertyList(endmark=obj.get("endmark", True))
    for prop in obj.get("properties", ()):
        if not isinstance(prop, dict) or "name" not in prop:
            raise ValueError(f"a property needs 'name' and 'values', got {prop!r:.80}")
        values = tuple(value_from_json(v) for v in prop.get("values", ()))
        if not values:
            raise ValueError(f"property {prop['name']!r} has no values")
        pl[prop["name"]] = values if len(values) > 1 else values[0]
    return pl
