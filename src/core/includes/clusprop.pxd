# Declarations of include/csvbackup/clusprop.h (the public C99 header), plus its TYPE, FORMAT
# and SYNTAX X-lists expanded into C tables the core turns into Python enums.
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t

from named_table cimport csvb_named_row

cdef extern from "csvbackup/clusprop.h" nogil:
    const int CSVB_CLUSPROP_OK
    const int CSVB_CLUSPROP_END
    const int CSVB_CLUSPROP_TRUNCATED_HEADER
    const int CSVB_CLUSPROP_BAD_VALUE_SYNTAX
    const int CSVB_CLUSPROP_RESERVED_SYNTAX
    const int CSVB_CLUSPROP_MAX_DEPTH
    const uint32_t CSVB_CLUSPROP_SYNTAX_NAME
    const uint32_t CSVB_CLUSPROP_SYNTAX_ENDMARK
    const uint32_t CSVB_CLUSPROP_FORMAT_BINARY
    const uint32_t CSVB_CLUSPROP_FORMAT_DWORD
    const uint32_t CSVB_CLUSPROP_FORMAT_SZ
    const uint32_t CSVB_CLUSPROP_FORMAT_EXPAND_SZ
    const uint32_t CSVB_CLUSPROP_FORMAT_MULTI_SZ
    const uint32_t CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER
    const uint32_t CSVB_CLUSPROP_FORMAT_LONG
    const uint32_t CSVB_CLUSPROP_FORMAT_EXPANDED_SZ
    const uint32_t CSVB_CLUSPROP_FORMAT_SECURITY_DESCRIPTOR
    const uint32_t CSVB_CLUSPROP_FORMAT_LARGE_INTEGER
    const uint32_t CSVB_CLUSPROP_FORMAT_WORD
    const uint32_t CSVB_CLUSPROP_FORMAT_FILETIME
    const uint32_t CSVB_CLUSPROP_FORMAT_VALUE_LIST
    const uint32_t CSVB_CLUSPROP_FORMAT_PROPERTY_LIST

    ctypedef struct csvb_clusprop_entry:
        uint32_t syntax
        uint32_t length
        size_t data
        size_t next

    ctypedef struct csvb_clusprop_reader:
        const uint8_t *buf
        size_t size
        size_t offset
        uint32_t count
        uint32_t remaining
        uint32_t trailing
        int depth
        size_t where

    ctypedef struct csvb_clusprop_property:
        csvb_clusprop_entry name
        size_t first_value
        uint32_t value_count
        size_t end

    uint32_t CSVB_CLUSPROP_FORMAT_OF(uint32_t syntax)
    size_t CSVB_ALIGN_CLUSPROP(size_t count)
    const char *csvb_clusprop_strerror(int code)
    uint16_t csvb_load_u16(const uint8_t *p)
    uint32_t csvb_load_u32(const uint8_t *p)
    uint64_t csvb_load_u64(const uint8_t *p)
    void csvb_store_u16(uint8_t *p, uint16_t v)
    void csvb_store_u32(uint8_t *p, uint32_t v)
    void csvb_store_u64(uint8_t *p, uint64_t v)
    int csvb_clusprop_read_entry(const uint8_t *buf, size_t size, size_t offset,
                                 csvb_clusprop_entry *e)
    size_t csvb_clusprop_entry_size(size_t length)
    size_t csvb_clusprop_write_header(uint8_t *buf, size_t offset, uint32_t syntax,
                                      uint32_t length)
    uint32_t csvb_clusprop_fixed_size(uint32_t format)
    int csvb_clusprop_check_value_syntax(uint32_t syntax)
    int csvb_clusprop_check_security_descriptor(const uint8_t *sd, uint32_t length)
    int csvb_clusprop_check_list(const uint8_t *buf, size_t size, size_t *where)
    int csvb_clusprop_begin_list(csvb_clusprop_reader *r, const uint8_t *buf, size_t size,
                                 int depth)
    int csvb_clusprop_next_property(csvb_clusprop_reader *r, csvb_clusprop_property *p)
    void csvb_clusprop_begin_value_list(csvb_clusprop_reader *r, const uint8_t *buf,
                                        size_t size)
    int csvb_clusprop_next_value(csvb_clusprop_reader *r, csvb_clusprop_entry *e)
    int csvb_clusprop_find_property(const uint8_t *buf, size_t size, const uint8_t *name,
                                    uint32_t name_bytes, csvb_clusprop_entry *value,
                                    size_t *where)
    size_t csvb_clusprop_put_endmark(uint8_t *buf, size_t off)
    void csvb_clusprop_fill_template(uint8_t *out, const uint8_t *tmpl, size_t tsize,
                                     size_t value_at, const void *values, size_t vsize,
                                     size_t n)


cdef extern from *:
    """
    #include "csvbackup/clusprop.h"
    #include "core/named_table.h"
    #define CSVB_ROW_CLUSPROP_(name, value, m) {#name, (long long)(value), m},
    CSVB_NAMED_TABLE(csvb_clusprop_types_, CSVB_CLUSPROP_TYPE_LIST(CSVB_ROW_CLUSPROP_))
    CSVB_NAMED_TABLE(csvb_clusprop_formats_, CSVB_CLUSPROP_FORMAT_LIST(CSVB_ROW_CLUSPROP_))
    CSVB_NAMED_TABLE(csvb_clusprop_syntaxes_, CSVB_CLUSPROP_SYNTAX_LIST(CSVB_ROW_CLUSPROP_))
    """
    const csvb_named_row csvb_clusprop_types_[]
    const csvb_named_row csvb_clusprop_formats_[]
    const csvb_named_row csvb_clusprop_syntaxes_[]
    const size_t csvb_clusprop_types_len_
    const size_t csvb_clusprop_formats_len_
    const size_t csvb_clusprop_syntaxes_len_
