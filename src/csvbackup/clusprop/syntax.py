"""The CLUSPROP wire constants PropType, Format and Syntax (values as in Windows' ClusApi.h).

The values come from include/csvbackup/clusprop.h through the C compiler (its X-lists are the
single source; CI checks them against mingw-w64's clusapi.h for every name mingw has).

Sources: SDK ClusApi.h 3285-3371 and docs/reference/cluster-formats.md section 1.4.
"""
import enum

from .. import _csvcore as _core

__all__ = ["PropType", "Format", "Syntax", "syntax_value"]

PropType = enum.IntEnum("PropType", [(n, v) for n, v, _ in _core.clusprop_types()],
                        module=__name__)
PropType.__doc__ = ("CLUSPROP_TYPE: the high word of a syntax (what a value means).\n\n"
                    "``USER`` (0x8000) and above: user-defined.")

Format = enum.IntEnum("Format", [(n, v) for n, v, _ in _core.clusprop_formats()],
                      module=__name__)
Format.__doc__ = ("CLUSPROP_FORMAT: the low word of a syntax (how a value is encoded).\n\n"
                  "``USER`` (0x8000) and above: user-defined.")


class _SyntaxHalves(enum.IntEnum):
    """`Syntax`'s properties, in a base without members: the functional API that makes the
    members from the core's table cannot add properties."""

    @property
    def type(self):
        """The PropType half (high word), as an int when it is not a known type."""
        return _known(PropType, (self.value >> 16) & 0xFFFF)

    @property
    def format(self):
        """The Format half (low word), as an int when it is not a known format."""
        return _known(Format, self.value & 0xFFFF)


Syntax = _SyntaxHalves("Syntax", [(n, v) for n, v, _ in _core.clusprop_syntaxes()],
                       module=__name__)
Syntax.__doc__ = "CLUSPROP_SYNTAX = (type << 16) | format: the first DWORD of every list entry."


def _known(enum_type, value):
    try:
        return enum_type(value)
    except ValueError:
        return value


def syntax_value(prop_type, fmt):
    """CLUSPROP_SYNTAX_VALUE(type, format): ``(type << 16) | format`` as a DWORD."""
    return ((int(prop_type) & 0xFFFF) << 16) | (int(fmt) & 0xFFFF)
