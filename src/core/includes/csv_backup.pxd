# Declarations of include/csvbackup/csv_backup.h (the public C99 header), plus the header's
# X-lists expanded into C tables the core turns into Python enums: the C compiler, not a
# second copy in Python, gives every value.
from libc.stdint cimport uint8_t, uint32_t

from named_table cimport csvb_named_row

cdef extern from "csvbackup/csv_backup.h" nogil:
    const int CSVB_BACKUP_MODE_OK
    const uint32_t CSVB_BACKUP_MODE_SIZE
    const uint32_t CSVB_BACKUP_MODE_NAME_OFFSET
    const uint32_t CSVB_MAX_PATH
    const uint32_t CSVB_VOLUME_BACKUP_NONE
    const uint32_t CSVB_VOLUME_BACKUP_IN_PROGRESS

    ctypedef struct csvb_clusctl_fields:
        uint32_t object
        uint32_t function
        uint32_t access
        int modify, internal, user
        int global_ "global"

    csvb_clusctl_fields csvb_clusctl_decode(uint32_t code)
    const char *csvb_backup_mode_strerror(int code)
    int csvb_backup_mode_check_name(const uint8_t *p, size_t n, size_t *where)
    int csvb_backup_mode_check(const uint8_t *buf, size_t size, size_t *name_units, size_t *where)
    void csvb_backup_mode_write(uint8_t *out, uint32_t state, uint32_t delay, const uint8_t *name,
                                size_t n)


cdef extern from *:
    """
    #include "csvbackup/csv_backup.h"
    #include "core/named_table.h"
    #define CSVB_ROW_OBJECT_(name, value, m) {#name, (long long)(value), m},
    #define CSVB_ROW_CLCTL_(name, f, a, mod, m) {#name, (long long)CSVB_CLCTL_##name, m},
    #define CSVB_ROW_CLUSCTL_(name, o, c, m) {#name, (long long)CSVB_CLUSCTL_##name, m},
    CSVB_NAMED_TABLE(csvb_objects_, CSVB_CLUS_OBJECT_LIST(CSVB_ROW_OBJECT_))
    CSVB_NAMED_TABLE(csvb_clctls_, CSVB_CLCTL_LIST(CSVB_ROW_CLCTL_))
    CSVB_NAMED_TABLE(csvb_clusctls_, CSVB_CLUSCTL_LIST(CSVB_ROW_CLUSCTL_))
    """
    const csvb_named_row csvb_objects_[]
    const csvb_named_row csvb_clctls_[]
    const csvb_named_row csvb_clusctls_[]
    const size_t csvb_objects_len_
    const size_t csvb_clctls_len_
    const size_t csvb_clusctls_len_
