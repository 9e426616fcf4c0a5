"""A plain-Python reference CLUSPROP codec, written from the wire rules of
docs/reference/cluster-formats.md section 1 with struct, independently of the Cython core.

A list is represented as ``(props, endmarks)``: props a list of ``(name, [(syntax, value)])``
with values as plain Python (int, str, tuple of str, bytes, or a nested list
representation); endmarks the number of list-level ENDMARKs.
"""
import struct

FIXED = {2: "<I", 7: "<i", 11: "<H", 6: "<Q", 10: "<q", 12: "<Q"}
STRINGS = (3, 4, 8)
MULTI_SZ = 5
SECURITY_DESCRIPTOR = 9
PROPERTY_LIST = 14
NAME = 0x00040003


class OracleError(Exception):
    """The list is malformed at byte `offset`."""

    def __init__(self, why, offset):
        super().__init__(f"{why} at {offset}")
        self.offset = offset


def _pad(data):
    return data + b"\0" * (-len(data) % 4)


def _utf16(s):
    return s.encode("utf-16-le", "surrogatepass")


def encode_value(syntax, value):
    fmt = syntax & 0xFFFF
    if fmt in FIXED:
        data = struct.pack(FIXED[fmt], value)
    elif fmt in STRINGS:
        data = _utf16(value) + b"\0\0"
    elif fmt == MULTI_SZ:
        data = b"".join(_utf16(s) + b"\0\0" for s in value) + b"\0\0"
    elif fmt == PROPERTY_LIST:
        data = encode_list(*value)
    else:
        data = bytes(value)
    return struct.pack("<II", syntax, len(data)) + _pad(data)


def encode_list(props, endmarks=1):
    out = [struct.pack("<I", len(props))]
    for name, values in props:
        raw = _utf16(name) + b"\0\0"
        out.append(struct.pack("<II", NAME, len(raw)) + _pad(raw))
        out.extend(encode_value(s, v) for s, v in values)
        out.append(b"\0\0\0\0")
    out.append(b"\0\0\0\0" * endmarks)
    return b"".join(out)


def _syntax_ok(syntax):
    t, f = syntax >> 16, syntax & 0xFFFF
    return (t >= 0x8000 or (1 <= t <= 15 and t not in (3, 4))) and (f >= 0x8000 or 1 <= f <= 14)


def _string(data, at):
    if len(data) % 2:
        raise OracleError("odd string", at - 4)
    units = struct.unpack(f"<{len(data) // 2}H", data)
    if not units or units[-1] != 0:
        raise OracleError("unterminated", at - 4 if not units else at + len(data) - 2)
    if 0 in units[:-1]:
        raise OracleError("embedded NUL", at + 2 * units.index(0))
    return data[:-2].decode("utf-16-le", "surrogatepass")


def _multi_sz(data, at):
    if len(data) % 2 or not data:
        raise OracleError("bad MULTI_SZ length", at - 4)
    if data == b"\0\0\0\0":
        return ()
    text = data.decode("utf-16-le", "surrogatepass")
    if not text.endswith("\0"):
        raise OracleError("unterminated MULTI_SZ", at + len(data) - 2)
    if text == "\0":
        return ()
    if not text.endswith("\0\0") or "\0\0" in text[:-1] or text.startswith("\0"):
        raise OracleError("bad MULTI_SZ", at)
    return tuple(text[:-2].split("\0"))


def _sd_ok(sd):
    if len(sd) < 20 or sd[0] != 1:
        return False
    control, owner, group, sacl, dacl = struct.unpack_from("<HIIII", sd, 2)
    if not control & 0x8000:
        return False

    def sid(off):
        return 20 <= off <= len(sd) - 8 and sd[off] == 1 and sd[off + 1] <= 15 and \
            len(sd) - off >= 8 + 4 * sd[off + 1]

    def acl(off):
        if not (20 <= off <= len(sd) - 8) or sd[off] not in (2, 4):
            return False
        size, count = struct.unpack_from("<HH", sd, off + 2)
        if size < 8 or size > len(sd) - off:
            return False
        at = 8
        for _ in range(count):
            if size - at < 4:
                return False
            ace = struct.unpack_from("<H", sd, off + at + 2)[0]
            if ace < 4 or ace % 4 or ace > size - at:
                return False
            at += ace
        return True

    return ((not owner or sid(owner)) and (not group or sid(group))
            and (not (control & 0x10) or not sacl or acl(sacl))
            and (not (control & 0x4) or not dacl or acl(dacl)))


def _entry(buf, at):
    if at + 4 > len(buf):
        raise OracleError("truncated header", at)
    syntax = struct.unpack_from("<I", buf, at)[0]
    if syntax == 0:
        return 0, b"", at + 4
    if at + 8 > len(buf):
        raise OracleError("truncated header", at)
    length = struct.unpack_from("<I", buf, at + 4)[0]
    end = at + 8 + length
    if end > len(buf):
        raise OracleError("truncated data", at)
    if end + (-length % 4) > len(buf):
        raise OracleError("truncated padding", at)
    return syntax, buf[at + 8:end], end + (-length % 4)


def _decode_value(syntax, data, at, depth):
    fmt = syntax & 0xFFFF
    if syntax == 0 or syntax >> 16 == 4:
        raise OracleError("value syntax is NAME/ENDMARK", at)
    if not _syntax_ok(syntax):
        raise OracleError("reserved syntax", at)
    if fmt in FIXED:
        if len(data) != struct.calcsize(FIXED[fmt]):
            raise OracleError("bad length", at + 4)
        return struct.unpack(FIXED[fmt], data)[0]
    if fmt in STRINGS:
        return _string(data, at + 8)
    if fmt == MULTI_SZ:
        return _multi_sz(data, at + 8)
    if fmt == SECURITY_DESCRIPTOR:
        if not _sd_ok(data):
            raise OracleError("bad security descriptor", at + 8)
        return bytes(data)
    if fmt == PROPERTY_LIST:
        if depth + 1 > 16:
            raise OracleError("too deep", at)
        try:
            return decode_list(data, depth + 1)
        except OracleError as e:
            raise OracleError(str(e), at + 8 + e.offset) from None
    return bytes(data)


def decode_list(buf, depth=0):
    """(props, endmarks) of the property list filling buf; OracleError when malformed."""
    buf = bytes(buf)
    if len(buf) < 4:
        raise OracleError("no count", 0)
    count = struct.unpack_from("<I", buf)[0]
    if count * 24 > len(buf) - 4:
        raise OracleError("count too large", 0)
    at, props, names = 4, [], set()
    for _ in range(count):
        syntax, raw, nxt = _entry(buf, at)
        if syntax != NAME:
            raise OracleError("name expected", at)
        name = _string(raw, at + 8)
        if name in names:
            raise OracleError("duplicate", at)
        names.add(name)
        values = []
        at = nxt
        while True:
            syntax, data, nxt = _entry(buf, at)
            if syntax == 0:
                break
            values.append((syntax, _decode_value(syntax, data, at, depth)))
            at = nxt
        if not values:
            raise OracleError("no value", at)
        props.append((name, values))
        at = nxt
    endmarks = 0
    while at < len(buf):
        if len(buf) - at < 4 or buf[at:at + 4] != b"\0\0\0\0":
            raise OracleError("trailing data", at)
        at += 4
        endmarks += 1
    return props, endmarks


def represent(pl):
    """The oracle representation of a csvbackup PropertyList."""
    props = []
    for name in pl:
        values = []
        for v in pl.values_of(name):
            value = v.value
            if (v.syntax & 0xFFFF) == PROPERTY_LIST:
                value = represent(value)
            elif isinstance(value, memoryview):
                value = value.tobytes()
            values.append((v.syntax, value))
        props.append((name, values))
    return props, int(pl.endmark)


def canonical(rep):
    """A decoded representation with its list-level ENDMARK count folded to 0/1 (all a
    PropertyList keeps), recursively."""
    props, endmarks = rep
    out = []
    for name, values in props:
        out.append((name, [(s, canonical(v) if (s & 0xFFFF) == PROPERTY_LIST else v)
                           for s, v in values]))
    return out, int(endmarks > 0)
