"""csvbackup.errors: the Win32 codes come from include/csvbackup/win32_errors.h (one list for
the C code, the core and Python); classes and error_for map codes as they always did."""
import ast
from pathlib import Path

import pytest

import csvbackup as cb
from csvbackup import _win32_errors, errors

# SDK winerror.h (docs/reference/cluster-formats.md section 6), written out here as the oracle.
WINERROR_H = {
    "ERROR_SUCCESS": 0, "ERROR_INVALID_FUNCTION": 1, "ERROR_FILE_NOT_FOUND": 2,
    "ERROR_PATH_NOT_FOUND": 3, "ERROR_ACCESS_DENIED": 5, "ERROR_INVALID_HANDLE": 6,
    "ERROR_NOT_ENOUGH_MEMORY": 8, "ERROR_INVALID_DATA": 13, "ERROR_NOT_SUPPORTED": 50,
    "ERROR_INVALID_PARAMETER": 87, "ERROR_INSUFFICIENT_BUFFER": 122, "ERROR_INVALID_NAME": 123,
    "ERROR_ALREADY_EXISTS": 183, "ERROR_FILENAME_EXCED_RANGE": 206, "ERROR_MORE_DATA": 234,
    "ERROR_NO_MORE_ITEMS": 259, "ERROR_IO_PENDING": 997, "ERROR_NOT_FOUND": 1168,
    "ERROR_FILE_CORRUPT": 1392, "ERROR_XML_PARSE_ERROR": 1465, "RPC_S_SERVER_UNAVAILABLE": 1722,
    "RPC_X_BAD_STUB_DATA": 1783, "ERROR_NOT_A_REPARSE_POINT": 4390,
    "ERROR_RESOURCE_NOT_ONLINE": 5004, "ERROR_RESOURCE_NOT_FOUND": 5007,
    "ERROR_RESOURCE_PROPERTIES_STORED": 5024, "ERROR_RESOURCE_PROPERTY_UNCHANGEABLE": 5089,
    "ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH": 5895, "ERROR_CLUSTER_NOT_SHARED_VOLUME": 5945,
    "ERROR_CSV_VOLUME_NOT_LOCAL": 5951,
}

# Each class's code, and whether error_for raises exactly that class for it.
CLASSES = [
    (cb.InvalidFunctionError, "ERROR_INVALID_FUNCTION", True),
    (cb.InvalidHandleError, "ERROR_INVALID_HANDLE", True),
    (cb.InvalidDataError, "ERROR_INVALID_DATA", True),
    (cb.InvalidParameterError, "ERROR_INVALID_PARAMETER", True),
    (cb.InvalidNameError, "ERROR_INVALID_NAME", True),
    (cb.FilenameTooLongError, "ERROR_FILENAME_EXCED_RANGE", True),
    (cb.MoreDataError, "ERROR_MORE_DATA", True),
    (cb.StateFileError, "ERROR_FILE_CORRUPT", True),
    (cb.ClusterUnavailableError, "RPC_S_SERVER_UNAVAILABLE", True),
    (cb.ResourceNotOnlineError, "ERROR_RESOURCE_NOT_ONLINE", True),
    (cb.ResourceNotFoundError, "ERROR_RESOURCE_NOT_FOUND", True),
    (cb.ReadOnlyPropertyError, "ERROR_RESOURCE_PROPERTY_UNCHANGEABLE", True),
    (cb.PropertyTypeMismatchError, "ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH", True),
    (cb.NotSharedVolumeError, "ERROR_CLUSTER_NOT_SHARED_VOLUME", True),
    (cb.VolumeNotLocalError, "ERROR_CSV_VOLUME_NOT_LOCAL", True),
    (cb.InvalidRowError, "ERROR_INVALID_PARAMETER", False),
    (cb.UnknownPropertyError, "ERROR_INVALID_PARAMETER", False),
    (cb.PropertyValueError, "ERROR_INVALID_DATA", False),
    (cb.PropertyNotFoundError, "ERROR_NOT_FOUND", False),
    (cb.WriterMetadataError, "ERROR_XML_PARSE_ERROR", False),
    (cb.AccessDeniedError, "ERROR_ACCESS_DENIED", True),
]


def test_every_code_has_its_winerror_h_value():
    rows = _win32_errors.win32_errors()
    assert {name: value for name, value, _ in rows} == WINERROR_H
    for name, value in WINERROR_H.items():
        assert getattr(errors, name) == value and name in errors.__all__
        assert errors.WIN32_ERROR_NAMES[value] == name
    assert len(errors.WIN32_ERROR_NAMES) == len(WINERROR_H)
    assert [v for _, v, _ in rows] == sorted(WINERROR_H.values())


@pytest.mark.parametrize("cls, name, raised", CLASSES, ids=lambda x: getattr(x, "__name__", x))
def test_class_codes(cls, name, raised):
    assert cls.default_winerror == WINERROR_H[name] and cls("m").winerror == WINERROR_H[name]
    e = errors.error_for(WINERROR_H[name], "Call()", "why")
    assert str(e) == f"[WinError {WINERROR_H[name]}] Call(): {name} ({WINERROR_H[name]}): why"
    assert (type(e) is cls) == raised


def test_error_for_codes_without_a_class():
    e = errors.error_for(errors.ERROR_NOT_ENOUGH_MEMORY, "Call()")
    assert type(e) is cb.Win32Error and str(e) == "[WinError 8] Call(): ERROR_NOT_ENOUGH_MEMORY (8)"
    e = errors.error_for(4242, "Call()")
    assert type(e) is cb.Win32Error and e.winerror == 4242 and "Win32 error 4242" in str(e)


def test_errors_imports_the_code_table_not_the_core():
    """The core imports csvbackup.errors when it is imported, so errors may not import the
    core: its codes come from the table module csvbackup._win32_errors, which imports
    nothing."""
    tree = ast.parse(Path(errors.__file__).read_text())
    imported = [(n.module, n.level) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [(a.name, 0) for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert imported == [("_win32_errors", 1)]
