# csvbackup._win32_errors: the Win32 codes of include/csvbackup/win32_errors.h as Python data.
#
# A module of its own, with no imports, because csvbackup.errors builds its ERROR_* constants,
# WIN32_ERROR_NAMES and each exception's default_winerror from this table when it is imported,
# and the core (csvbackup._csvcore) imports csvbackup.errors when it is imported: reading the
# table from the core would make the two import each other. Built by setup.py.

cdef extern from *:
    """
    #include "csvbackup/win32_errors.h"
    typedef struct { const char *name; unsigned long value; int in_mingw; } csvb_win32_row_;
    #define CSVB_ROW_WIN32_(name, value, m) {#name, (unsigned long)CSVB_##name, m},
    static const csvb_win32_row_ csvb_win32_errors_[] = {CSVB_WIN32_ERROR_LIST(CSVB_ROW_WIN32_)};
    static const size_t csvb_win32_errors_len_ =
        sizeof(csvb_win32_errors_) / sizeof(csvb_win32_errors_[0]);
    """
    ctypedef struct csvb_win32_row_:
        const char *name
        unsigned long value
        int in_mingw
    const csvb_win32_row_ csvb_win32_errors_[]
    const size_t csvb_win32_errors_len_


def win32_errors():
    """[(winerror.h name, value, whether mingw-w64's winerror.h has it)], in value order."""
    return [(csvb_win32_errors_[k].name.decode("ascii"), csvb_win32_errors_[k].value,
             bool(csvb_win32_errors_[k].in_mingw)) for k in range(csvb_win32_errors_len_)]
