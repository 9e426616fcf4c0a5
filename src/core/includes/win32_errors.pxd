# Declarations of include/csvbackup/win32_errors.h: the Win32 codes the core tests for or
# raises, by their winerror.h names (the C compiler gives every value). src/_win32_errors.pyx
# expands the header's whole X-list into the table csvbackup.errors reads.

cdef extern from "csvbackup/win32_errors.h" nogil:
    enum csvb_win32_error:
        CSVB_ERROR_SUCCESS
        CSVB_ERROR_INVALID_FUNCTION
        CSVB_ERROR_NOT_SUPPORTED
        CSVB_ERROR_ALREADY_EXISTS
        CSVB_ERROR_FILENAME_EXCED_RANGE
        CSVB_ERROR_MORE_DATA
        CSVB_ERROR_NO_MORE_ITEMS
        CSVB_ERROR_IO_PENDING
        CSVB_RPC_S_SERVER_UNAVAILABLE
        CSVB_ERROR_RESOURCE_NOT_FOUND
