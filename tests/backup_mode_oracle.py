"""A plain-Python CLUS_SHARED_VOLUME_BACKUP_MODE encoder/decoder written from the documented
rules (docs/reference/cluster-formats.md sections 3.1 and 7; MSDOC's page on the structure;
Microsoft's "Naming Files" for the friendly name). The tests compare the C checks to it."""
import re
import struct

SIZE = 528
GUID_PATH = re.compile(r"\\\\\?\\[Vv][Oo][Ll][Uu][Mm][Ee]\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-"
                       r"[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}\\\Z")
BAD_IN_FOLDER_NAME = set('\\/:*?"<>|') | {chr(c) for c in range(32)}


class Invalid(Exception):
    """The structure breaks a rule."""


def check(state, delay, name):
    if state not in (0, 1):
        raise Invalid("state")
    if (state == 0) != (delay == 0):
        raise Invalid("delay")
    if "\0" in name:
        raise Invalid("nul")
    units = len(name.encode("utf-16-le", "surrogatepass")) // 2
    if units == 0:
        raise Invalid("empty")
    if units > 259:
        raise Invalid("long")
    if name.startswith("\\"):
        if not GUID_PATH.match(name):
            raise Invalid("guid")
    elif any(c in BAD_IN_FOLDER_NAME for c in name) or name[-1] in " .":
        raise Invalid("friendly")


def encode(state, delay, name):
    check(state, delay, name)
    raw = name.encode("utf-16-le", "surrogatepass")
    return struct.pack("<II", state, delay) + raw + b"\0" * (520 - len(raw))


def decode(data):
    if len(data) < SIZE:
        raise Invalid("short")
    state, delay = struct.unpack_from("<II", data)
    raw = data[8:SIZE]
    for k in range(0, 520, 2):
        if raw[k:k + 2] == b"\0\0":
            break
    else:
        raise Invalid("unterminated")
    name = raw[:k].decode("utf-16-le", "surrogatepass")
    check(state, delay, name)
    return state, delay, name
