"""Cluster control codes (CLUSCTL_* / CLCTL_*), as Windows' ClusApi.h builds them.

The values come from include/csvbackup/csv_backup.h through the C compiler (its X-lists are
the single source; CI checks them against mingw-w64's clusapi.h for every name mingw has):
the property codes of resources, resource types, groups, nodes and the cluster, and every
CSV code of docs/reference/cluster-formats.md section 2.3.

    >>> from csvbackup import controls
    >>> hex(controls.CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE)
    '0x140029a'
    >>> controls.decode(0x0140029A)
    ControlCodeFields(object=<ClusterObject.RESOURCE: 1>, function=166, access=<Access.WRITE: 2>,
    modify=True, internal=False, user=False, global_=False)
"""
import enum
from typing import NamedTuple

from . import _csvcore as _core


class Access(enum.IntEnum):
    """CLUS_ACCESS_*: the access a control code needs (bits 0-1)."""

    ANY = 0
    READ = 1
    WRITE = 2


ClusterObject = enum.IntEnum("ClusterObject", [(n, v) for n, v, _ in _core.clus_objects()],
                             module=__name__)
ClusterObject.__doc__ = "CLUS_OBJECT_*: the kind of object a control code goes to (bits 24-31)."

ClCtl = enum.IntEnum("ClCtl", [(n, v) for n, v, _ in _core.clctl_codes()], module=__name__)
ClCtl.__doc__ = "CLCTL_*: the object-independent control codes (function, access, modify)."

ClusCtl = enum.IntEnum("ClusCtl", [(n, v) for n, v, _ in _core.clusctl_codes()], module=__name__)
ClusCtl.__doc__ = "CLUSCTL_*: complete control codes, object included, named as Windows names them."

#: Names mingw-w64's clusapi.h lacks (taken from the Windows SDK, Samba and win32metadata).
NOT_IN_MINGW = frozenset(
    [f"CLCTL_{n}" for n, _, m in _core.clctl_codes() if not m]
    + [f"CLUSCTL_{n}" for n, _, m in _core.clusctl_codes() if not m])


class ControlCodeFields(NamedTuple):
    """The fields of a control code (docs/reference/cluster-formats.md section 2.1)."""

    object: "ClusterObject | int"
    function: int
    access: "Access | int"
    modify: bool
    internal: bool
    user: bool
    global_: bool


def decode(code):
    """Split a control code into its fields: (object, function, access, modify, internal,
    user, global). The object and access are enums when Windows defines the value."""
    if not isinstance(code, int) or not 0 <= code <= 0xFFFFFFFF:
        from .errors import InvalidParameterError
        raise InvalidParameterError(f"control code {code!r} is not a DWORD")
    obj, function, access, modify, internal, user, global_ = _core.decode_control_code(code)
    return ControlCodeFields(_enum_or_int(ClusterObject, obj), function,
                             _enum_or_int(Access, access), modify, internal, user, global_)


def _enum_or_int(enum_type, value):
    try:
        return enum_type(value)
    except ValueError:
        return value


globals().update({f"CLCTL_{m.name}": m for m in ClCtl})
globals().update({f"CLUSCTL_{m.name}": m for m in ClusCtl})
globals().update({f"CLUS_OBJECT_{m.name}": m for m in ClusterObject})

__all__ = ["Access", "ClCtl", "ClusCtl", "ClusterObject", "ControlCodeFields", "NOT_IN_MINGW",
           "decode", *sorted(n for n in globals() if n.startswith(("CLCTL_", "CLUSCTL_",
                                                                     "CLUS_OBJECT_")))]
