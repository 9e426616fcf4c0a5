/*
 * csvbackup/win32_errors.h - the Win32 error codes csvbackup returns, raises or tests for.
 *
 * Plain C99, no Python, no Windows headers: the simulated cluster (src/clussim/), the Cython
 * core and native callers of include/csvbackup/clusapi.h name the codes CSVB_<winerror.h
 * name>, and csvbackup.errors builds its ERROR_* constants and WIN32_ERROR_NAMES from this
 * list through the C compiler.
 *
 * Values: SDK winerror.h (docs/reference/cluster-formats.md section 6; the public list is
 * https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes). CI compiles every
 * value against mingw-w64's winerror.h for the names it has (tests/c/windows_win32_errors_check.c)
 * and checks the in-mingw column against that header's text.
 */
#ifndef CSVBACKUP_WIN32_ERRORS_H
#define CSVBACKUP_WIN32_ERRORS_H

/* (winerror.h name, value, 1 if mingw-w64 10's winerror.h defines it) */
#define CSVB_WIN32_ERROR_LIST(X)                          \
    X(ERROR_SUCCESS, 0, 1)                                \
    X(ERROR_INVALID_FUNCTION, 1, 1)                       \
    X(ERROR_FILE_NOT_FOUND, 2, 1)                         \
    X(ERROR_PATH_NOT_FOUND, 3, 1)                         \
    X(ERROR_ACCESS_DENIED, 5, 1)                          \
    X(ERROR_INVALID_HANDLE, 6, 1)                         \
    X(ERROR_NOT_ENOUGH_MEMORY, 8, 1)                      \
    X(ERROR_INVALID_DATA, 13, 1)                          \
    X(ERROR_NOT_SUPPORTED, 50, 1)                         \
    X(ERROR_INVALID_PARAMETER, 87, 1)                     \
    X(ERROR_INSUFFICIENT_BUFFER, 122, 1)                  \
    X(ERROR_INVALID_NAME, 123, 1)                         \
    X(ERROR_ALREADY_EXISTS, 183, 1)                       \
    X(ERROR_FILENAME_EXCED_RANGE, 206, 1)                 \
    X(ERROR_MORE_DATA, 234, 1)                            \
    X(ERROR_NO_MORE_ITEMS, 259, 1)                        \
    X(ERROR_IO_PENDING, 997, 1)                           \
    X(ERROR_NOT_FOUND, 1168, 1)                           \
    X(ERROR_FILE_CORRUPT, 1392, 1)                        \
    X(ERROR_XML_PARSE_ERROR, 1465, 1)                     \
    X(RPC_S_SERVER_UNAVAILABLE, 1722, 1)                  \
    X(RPC_X_BAD_STUB_DATA, 1783, 1)                       \
    X(ERROR_NOT_A_REPARSE_POINT, 4390, 1)                 \
    X(ERROR_RESOURCE_NOT_ONLINE, 5004, 1)                 \
    X(ERROR_RESOURCE_NOT_FOUND, 5007, 1)                  \
    X(ERROR_RESOURCE_PROPERTIES_STORED, 5024, 1)          \
    X(ERROR_RESOURCE_PROPERTY_UNCHANGEABLE, 5089, 1)      \
    X(ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH, 5895, 1) \
    X(ERROR_CLUSTER_NOT_SHARED_VOLUME, 5945, 0)           \
    X(ERROR_CSV_VOLUME_NOT_LOCAL, 5951, 0)

/* The name is pasted, never expanded, so <winerror.h>'s macros of the same names do not
 * interfere. */
#define CSVB_WIN32_ERROR_ENUM_(name, value, in_mingw) CSVB_##name = value,
enum csvb_win32_error { CSVB_WIN32_ERROR_LIST(CSVB_WIN32_ERROR_ENUM_) };

#endif /* CSVBACKUP_WIN32_ERRORS_H */
