# csvbackup._win32_errors: the Win32 codes of include/csvbackup/win32_errors.h as Python data.
#
# A module of its own, importing nothing of csvbackup, because csvbackup.errors builds its ERROR_* constants,
# WIN32_ERROR_NAMES and each exception's default_winerror from this table when it is imported,
# and the core (csvbackup._csvcore) imports csvbackup.errors when it is imported: reading the
# table from the core would make the two import each other. Built by setup.py.

from named_table cimport csvb_named_row, named_rows


cdef extern from *:
    """
    #include "csvbackup/win32_errors.h"
    #include "core/named_table.h"
    #define CSVB_ROW_WIN32_(name, value, m) {#name, (long long)CSVB_##name, m},
    CSVB_NAMED_TABLE(csvb_win32_errors_, CSVB_WIN32_ERROR_LIST(CSVB_ROW_WIN32_))
    """
    const csvb_named_row csvb_win32_errors_[]
    const size_t csvb_win32_errors_len_


def win32_errors():
    """[(winerror.h name, value, whether mingw-w64's winerror.h has it)], in value order."""
    return named_rows(csvb_win32_errors_, csvb_win32_errors_len_)
