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
    "ERROR_INVALID_DATA",
    "ERROR_INVALID_PARAMETER",
    "ERROR_MORE_DATA",
]

ERROR_INVALID_DATA = 13
ERROR_INVALID_PARAMETER = 87
ERROR_MORE_DATA = 234


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
