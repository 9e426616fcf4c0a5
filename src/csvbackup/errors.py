"""Exceptions: Win32 error codes as Python exceptions.

Every class mixes in the builtin exception a caller would catch anyway (``OSError`` for
all of them, ``ValueError`` for bad arguments and bad data), and carries ``.winerror``.
"""

__all__ = [
    "Win32Error",
    "InvalidParameterError",
    "InvalidDataError",
    "MoreDataError",
    "InvalidRowError",
    "PropertyError",
    "UnknownPropertyError",
    "PropertyValueError",
    "PropertyTypeMismatchError",
    "ReadOnlyPropertyError",
    "PropertyNotFoundError",
    "ERROR_INVALID_DATA",
    "ERROR_INVALID_PARAMETER",
    "ERROR_MORE_DATA",
    "ERROR_NOT_FOUND",
    "ERROR_RESOURCE_PROPERTY_UNCHANGEABLE",
    "ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH",
]

# Values: SDK winerror.h (shared/reference/cluster-formats.md section 6).
ERROR_INVALID_DATA = 13
ERROR_INVALID_PARAMETER = 87
ERROR_MORE_DATA = 234
ERROR_NOT_FOUND = 1168
ERROR_RESOURCE_PROPERTY_UNCHANGEABLE = 5089
ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH = 5895


class Win32Error(OSError):
    """A Windows error code (``.winerror``) with a message naming what failed and where."""

    default_winerror = None

    def __init__(self, message, winerror=None):
        OSError.__init__(self, message)
        self.winerror = self.default_winerror if winerror is None else winerror

    def __str__(self):
        return f"[WinError {self.winerror}] {self.args[0]}"


class InvalidParameterError(Win32Error, ValueError):
    """ERROR_INVALID_PARAMETER (87): an argument is out of its documented range."""

    default_winerror = ERROR_INVALID_PARAMETER


class InvalidDataError(Win32Error, ValueError):
    """ERROR_INVALID_DATA (13): malformed data; ``.offset`` is the byte where it failed."""

    default_winerror = ERROR_INVALID_DATA

    def __init__(self, message, winerror=None, *, offset=None):
        super().__init__(message, winerror)
        self.offset = offset


class MoreDataError(Win32Error):
    """ERROR_MORE_DATA (234): a buffer is too small; ``.required`` is the size it needs."""

    default_winerror = ERROR_MORE_DATA

    def __init__(self, message, winerror=None, *, required=None):
        super().__init__(message, winerror)
        self.required = required


class InvalidRowError(InvalidParameterError):
    """One row of a batch input is invalid.

    ``.argument`` names the input, ``.index`` the row (None for a scalar call) and
    ``.value`` the offending value as given.
    """

    def __init__(self, message, winerror=None, *, argument=None, index=None, value=None):
        super().__init__(message, winerror)
        self.argument = argument
        self.index = index
        self.value = value


class PropertyError(Win32Error):
    """A cluster property failed a property table's checks; ``.property`` names it."""

    def __init__(self, message, winerror=None, *, property=None):
        super().__init__(message, winerror)
        self.property = property


class UnknownPropertyError(PropertyError, ValueError):
    """ERROR_INVALID_PARAMETER (87): a property the table does not have (what
    ResUtilVerifyPropertyTable returns with bAllowUnknownProperties FALSE)."""

    default_winerror = ERROR_INVALID_PARAMETER


class PropertyValueError(PropertyError, ValueError):
    """ERROR_INVALID_DATA (13): a value out of the property's range (the code the
    CLUSCTL_*_SET_COMMON_PROPERTIES pages document for "an out-of-range value")."""

    default_winerror = ERROR_INVALID_DATA


class PropertyTypeMismatchError(PropertyError, TypeError):
    """ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH (5895): a value of the wrong format."""

    default_winerror = ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH


class ReadOnlyPropertyError(PropertyError):
    """ERROR_RESOURCE_PROPERTY_UNCHANGEABLE (5089): a read-only property was set.

    No public document states the code Windows returns here (reference section 5.2:
    UNVERIFIED). 5089 is the one winerror.h code that names exactly this situation, so a
    caller can tell it apart from a malformed list (13) or an unknown property (87).
    """

    default_winerror = ERROR_RESOURCE_PROPERTY_UNCHANGEABLE


class PropertyNotFoundError(PropertyError, KeyError):
    """ERROR_NOT_FOUND (1168): a property that must be present is not; ``.index`` is the
    list it is missing from (None for a single list)."""

    default_winerror = ERROR_NOT_FOUND

    def __init__(self, message, winerror=None, *, property=None, index=None):
        super().__init__(message, winerror, property=property)
        self.index = index
