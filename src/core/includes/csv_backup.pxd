# Declarations of include/csvbackup/csv_backup.h (the public C99 header), plus the header's
# X-lists expanded into C tables the core turns into Python enums: the C compiler, not a
# second copy in Python, gives every value.
from libc.stdint cimport uint8_t, uint32_t

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
    typedef struct { const char *name; unsigned long value; int in_mingw; } csvb_named_code_;
    #define CSVB_ROW_OBJECT_(name, value, m) {#name, (unsigned long)(value), m},
    #define CSVB_ROW_CLCTL_(name, f, a, mod, m) {#name, (unsigned long)CSVB_CLCTL_##name, m},
    #define CSVB_ROW_CLUSCTL_(name, o, c, m) {#name, (unsigned long)CSVB_CLUSCTL_##name, m},
    static const csvb_named_code_ csvb_objects_[] = {CSVB_CLUS_OBJECT_LIST(CSVB_ROW_OBJECT_)};
    static const csvb_named_code_ csvb_clctls_[] = {CSVB_CLCTL_LIST(CSVB_ROW_CLCTL_)};
    static const csvb_named_code_ csvb_clusctls_[] = {CSVB_CLUSCTL_LIST(CSVB_ROW_CLUSCTL_)};
    #define CSVB_TABLE_LEN_(t) (sizeof(t) / sizeof((t)[0]))
    static const size_t csvb_objects_len_ = CSVB_TABLE_LEN_(csvb_objects_);
    static const size_t csvb_clctls_len_ = CSVB_TABLE_LEN_(csvb_clctls_);
    static const size_t csvb_clusctls_len_ = CSVB_TABLE_LEN_(csvb_clusctls_);
    """
    ctypedef struct csvb_named_code_:
        const char *name
        unsigned long value
        int in_mingw
    const csvb_named_code_ csvb_objects_[]
    const csvb_named_code_ csvb_clctls_[]
    const csvb_named_code_ csvb_clusctls_[]
    const size_t csvb_objects_len_
    const size_t csvb_clctls_len_
    const size_t csvb_clusctls_len_
