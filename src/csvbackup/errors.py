"""Exceptions: Win32 error codes as Python exceptions.

Every class mixes in the builtin exception a caller would catch anyway (``OSError`` for
all of them, ``ValueError`` for bad arguments and bad data), and carries ``.winerror``.
"""
from ._win32_errors import win32_errors as _win32_errors

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
    "InvalidFunctionError",
    "InvalidHandleError",
    "InvalidNameError",
    "FilenameTooLongError",
    "StateFileError",
    "AccessDeniedError",
    "ClusterUnavailableError",
    "ResourceNotOnlineError",
    "ResourceNotFoundError",
    "NotSharedVolumeError",
    "VolumeNotLocalError",
    "WIN32_ERROR_NAMES",
    "error_for",
]

# Every Win32 code csvbackup uses, ERROR_INVALID_DATA = 13 and the rest, by its winerror.h
# name: the X-list of include/csvbackup/win32_errors.h through the C compiler (values from SDK
# winerror.h, docs/reference/cluster-formats.md section 6), read from the table module
# csvbackup._win32_errors and not from the core, which imports this module.
_CODES = {name: value for name, value, _ in _win32_errors()}
globals().update(_CODES)
__all__ += sorted(set(_CODES) - set(__all__))


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

    No public document states the code Windows returns here (docs/reference/cluster-formats.md
    section 5.2: UNVERIFIED). 5089 is the one winerror.h code that names exactly this situation, so
    a caller can tell it apart from a malformed list (13) or an unknown property (87).
    """

    default_winerror = ERROR_RESOURCE_PROPERTY_UNCHANGEABLE


class PropertyNotFoundError(PropertyError, KeyError):
    """ERROR_NOT_FOUND (1168): a property that must be present is not; ``.index`` is the
    list it is missing from (None for a single list)."""

    default_winerror = ERROR_NOT_FOUND

    def __init__(self, message, winerror=None, *, property=None, index=None):
        super().__init__(message, winerror, property=property)
        self.index = index


# --- the cluster call layer (Win32 codes of ClusAPI / ResUtils and the simulator) ---

#: The winerror.h name of every Win32 code csvbackup uses (docs/reference/cluster-formats.md section
#: 6).
WIN32_ERROR_NAMES = {value: name for name, value in _CODES.items()}


class InvalidFunctionError(Win32Error):
    """ERROR_INVALID_FUNCTION (1): the object does not handle this control code (a CSV code
    sent to a resource that is not a CSV, say)."""

    default_winerror = ERROR_INVALID_FUNCTION


class InvalidHandleError(Win32Error, ValueError):
    """ERROR_INVALID_HANDLE (6): a closed or foreign handle."""

    default_winerror = ERROR_INVALID_HANDLE


class InvalidNameError(Win32Error, ValueError):
    """ERROR_INVALID_NAME (123): a path that is not a well-formed name, or not a mount point
    where one is required."""

    default_winerror = ERROR_INVALID_NAME


class FilenameTooLongError(Win32Error, ValueError):
    """ERROR_FILENAME_EXCED_RANGE (206): a path over 32,767 characters, or an output buffer
    too small for a path."""

    default_winerror = ERROR_FILENAME_EXCED_RANGE


class AccessDeniedError(Win32Error, PermissionError):
    """ERROR_ACCESS_DENIED (5): the caller may not open what the call needs (the simulated
    cluster's state file, say: the message names it)."""

    default_winerror = ERROR_ACCESS_DENIED


class StateFileError(Win32Error):
    """ERROR_FILE_CORRUPT (1392): the simulated cluster's state file is missing, truncated
    or damaged. ``.path`` names it; the simulator never resets it silently."""

    default_winerror = ERROR_FILE_CORRUPT

    def __init__(self, message, winerror=None, *, path=None):
        super().__init__(message, winerror)
        self.path = path


class ClusterUnavailableError(Win32Error, ConnectionError):
    """RPC_S_SERVER_UNAVAILABLE (1722): no cluster by that name can be reached (or this
    machine is not a node of one)."""

    default_winerror = RPC_S_SERVER_UNAVAILABLE


class ResourceNotOnlineError(Win32Error):
    """ERROR_RESOURCE_NOT_ONLINE (5004): the resource is offline."""

    default_winerror = ERROR_RESOURCE_NOT_ONLINE


class ResourceNotFoundError(Win32Error, LookupError):
    """ERROR_RESOURCE_NOT_FOUND (5007): no cluster resource has that name."""

    default_winerror = ERROR_RESOURCE_NOT_FOUND


class NotSharedVolumeError(Win32Error, ValueError):
    """ERROR_CLUSTER_NOT_SHARED_VOLUME (5945): the path is not on a Cluster Shared Volume."""

    default_winerror = ERROR_CLUSTER_NOT_SHARED_VOLUME


class VolumeNotLocalError(Win32Error):
    """ERROR_CSV_VOLUME_NOT_LOCAL (5951): the CSV is not mounted on this node."""

    default_winerror = ERROR_CSV_VOLUME_NOT_LOCAL


# The class error_for raises for a code: the one class whose default is that code.
_CLASSES = {cls.default_winerror: cls for cls in (
    AccessDeniedError, InvalidFunctionError, InvalidHandleError, InvalidDataError, InvalidParameterError,
    InvalidNameError, FilenameTooLongError, MoreDataError, StateFileError,
    ClusterUnavailableError, ResourceNotOnlineError, ResourceNotFoundError,
    ReadOnlyPropertyError, PropertyTypeMismatchError, NotSharedVolumeError,
    VolumeNotLocalError)}


def error_for(code, what, detail=""):
    """The exception for Win32 `code` returned by the call `what` (``detail``: more context,
    such as the simulator's explanation of a state-file failure)."""
    name = WIN32_ERROR_NAMES.get(code, f"Win32 error {code}")
    message = f"{what}: {name} ({code})" + (f": {detail}" if detail else "")
    return _CLASSES.get(code, Win32Error)(message, code)


# --- file sets and Writer Metadata Documents ---

__all__ += ["FileSpecError", "WriterMetadataError"]


class FileSpecError(InvalidParameterError):
    """A file set that cannot be matched: names the set (`role`, `index`) and the `field`."""

    def __init__(self, message, *, role=None, index=None, field=None):
        where = f"{role}[{index}].{field}" if role is not None else str(field)
        super().__init__(f"{where}: {message}")
        self.role, self.index, self.field = role, index, field


class WriterMetadataError(Win32Error, ValueError):
    """A Writer Metadata Document (or ``vshadow -wm2`` listing) that cannot be read.

    ``.winerror`` is ERROR_XML_PARSE_ERROR (1465). ``.line`` and ``.column`` (both 1-based)
    say where, ``.element`` and ``.attribute`` what; each is None when it does not apply (a
    document that is too large, an error in a text listing has no column). The message
    repeats all of them.
    """

    default_winerror = ERROR_XML_PARSE_ERROR

    def __init__(self, message, winerror=None, *, line=None, column=None, element=None,
                 attribute=None):
        where = ""
        if line is not None:
            where = f"line {line}" + (f", column {column}" if column is not None else "") + ": "
        super().__init__(where + message, winerror)
        self.line, self.column = line, column
        self.element, self.attribute = element, attribute
