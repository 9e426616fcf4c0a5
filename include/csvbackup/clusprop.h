/*
 * csvbackup/clusprop.h - CLUSPROP property lists and value lists: constants, little-endian
 * access and bounds-checked entry reading.
 *
 * Plain C99, no Python. All names carry the CSVB_ prefix: they never collide with
 * <clusapi.h>, so a Windows engine can include both. The values are Windows' (SDK ClusApi.h
 * 3285-3371; shared/reference/cluster-formats.md section 1.4); CI cross-compiles them against
 * mingw-w64's clusapi.h for every name mingw has.
 *
 * Wire layout (reference section 1.1), every integer little-endian, every entry starting on a
 * 4-byte boundary from the start of the list:
 *
 *   property list := DWORD count, then `count` times:
 *                      NAME entry  : DWORD 0x00040003 | DWORD cbLength | UTF-16LE name + NUL | pad
 *                      1..n values : DWORD syntax     | DWORD cbLength | data                | pad
 *                      DWORD 0 (ENDMARK: no length, no data)
 *                    then zero or more list-level ENDMARKs (servers send one)
 *   value list    := values, then an ENDMARK
 *
 * cbLength counts a string's NUL and never the padding; padding bytes are written as zero and
 * ignored when read. 8-byte values are only 4-byte aligned: use csvb_load_u64, never an
 * int64_t pointer.
 */
#ifndef CSVBACKUP_CLUSPROP_H
#define CSVBACKUP_CLUSPROP_H

#include "platform.h"

/* ---------------------------------------------------------------------------------------
 * Constants: (name, value, 1 if mingw-w64's clusapi.h defines it) per enumeration. The lists
 * are the single source of the values; CI expands them against mingw's header.
 * ------------------------------------------------------------------------------------- */

/* CLUSPROP_TYPE_* (the high word of a syntax). UNKNOWN is -1 in the SDK's enum. */
#define CSVB_CLUSPROP_TYPE_LIST(X)                     \
    X(UNKNOWN, -1, 1)                                  \
    X(ENDMARK, 0, 1)                                   \
    X(LIST_VALUE, 1, 1)                                \
    X(RESCLASS, 2, 1)                                  \
    X(RESERVED1, 3, 1)                                 \
    X(NAME, 4, 1)                                      \
    X(SIGNATURE, 5, 1)                                 \
    X(SCSI_ADDRESS, 6, 1)                              \
    X(DISK_NUMBER, 7, 1)                               \
    X(PARTITION_INFO, 8, 1)                            \
    X(FTSET_INFO, 9, 1)                                \
    X(DISK_SERIALNUMBER, 10, 1)                        \
    X(DISK_GUID, 11, 1)                                \
    X(DISK_SIZE, 12, 1)                                \
    X(PARTITION_INFO_EX, 13, 1)                        \
    X(PARTITION_INFO_EX2, 14, 0)                       \
    X(STORAGE_DEVICE_ID_DESCRIPTOR, 15, 0)             \
    X(USER, 32768, 1)

/* CLUSPROP_FORMAT_* (the low word of a syntax). */
#define CSVB_CLUSPROP_FORMAT_LIST(X) \
    X(UNKNOWN, 0, 1)                 \
    X(BINARY, 1, 1)                  \
    X(DWORD, 2, 1)                   \
    X(SZ, 3, 1)                      \
    X(EXPAND_SZ, 4, 1)               \
    X(MULTI_SZ, 5, 1)                \
    X(ULARGE_INTEGER, 6, 1)          \
    X(LONG, 7, 1)                    \
    X(EXPANDED_SZ, 8, 1)             \
    X(SECURITY_DESCRIPTOR, 9, 1)     \
    X(LARGE_INTEGER, 10, 1)          \
    X(WORD, 11, 1)                   \
    X(FILETIME, 12, 1)               \
    X(VALUE_LIST, 13, 0)             \
    X(PROPERTY_LIST, 14, 0)          \
    X(USER, 32768, 1)

/* CLUSPROP_SYNTAX_* = (type << 16) | format. */
#define CSVB_CLUSPROP_SYNTAX_LIST(X)                       \
    X(ENDMARK, 0x00000000, 1)                              \
    X(NAME, 0x00040003, 1)                                 \
    X(RESCLASS, 0x00020002, 1)                             \
    X(LIST_VALUE_SZ, 0x00010003, 1)                        \
    X(LIST_VALUE_EXPAND_SZ, 0x00010004, 1)                 \
    X(LIST_VALUE_DWORD, 0x00010002, 1)                     \
    X(LIST_VALUE_BINARY, 0x00010001, 1)                    \
    X(LIST_VALUE_MULTI_SZ, 0x00010005, 1)                  \
    X(LIST_VALUE_LONG, 0x00010007, 1)                      \
    X(LIST_VALUE_EXPANDED_SZ, 0x00010008, 1)               \
    X(LIST_VALUE_SECURITY_DESCRIPTOR, 0x00010009, 1)       \
    X(LIST_VALUE_LARGE_INTEGER, 0x0001000A, 1)             \
    X(LIST_VALUE_ULARGE_INTEGER, 0x00010006, 1)            \
    X(LIST_VALUE_WORD, 0x0001000B, 0)                      \
    X(LIST_VALUE_PROPERTY_LIST, 0x0001000E, 0)             \
    X(LIST_VALUE_FILETIME, 0x0001000C, 1)                  \
    X(DISK_SIGNATURE, 0x00050002, 1)                       \
    X(SCSI_ADDRESS, 0x00060002, 1)                         \
    X(DISK_NUMBER, 0x00070002, 1)                          \
    X(PARTITION_INFO, 0x00080001, 1)                       \
    X(FTSET_INFO, 0x00090001, 1)                           \
    X(DISK_SERIALNUMBER, 0x000A0003, 1)                    \
    X(DISK_GUID, 0x000B0003, 1)                            \
    X(DISK_SIZE, 0x000C0006, 1)                            \
    X(PARTITION_INFO_EX, 0x000D0001, 1)                    \
    X(PARTITION_INFO_EX2, 0x000E0001, 0)                   \
    X(STORAGE_DEVICE_ID_DESCRIPTOR, 0x000F0001, 0)

/* The same values as enumerators: CSVB_CLUSPROP_TYPE_NAME, CSVB_CLUSPROP_FORMAT_DWORD,
 * CSVB_CLUSPROP_SYNTAX_LIST_VALUE_DWORD, ... (no value exceeds INT_MAX, so plain enums hold
 * them portably). */
#define CSVB_CLUSPROP_TYPE_ITEM_(name, value, in_mingw) CSVB_CLUSPROP_TYPE_##name = (value),
#define CSVB_CLUSPROP_FORMAT_ITEM_(name, value, in_mingw) CSVB_CLUSPROP_FORMAT_##name = (value),
#define CSVB_CLUSPROP_SYNTAX_ITEM_(name, value, in_mingw) CSVB_CLUSPROP_SYNTAX_##name = (value),
enum csvb_clusprop_type { CSVB_CLUSPROP_TYPE_LIST(CSVB_CLUSPROP_TYPE_ITEM_) };
enum csvb_clusprop_format { CSVB_CLUSPROP_FORMAT_LIST(CSVB_CLUSPROP_FORMAT_ITEM_) };
enum csvb_clusprop_syntax { CSVB_CLUSPROP_SYNTAX_LIST(CSVB_CLUSPROP_SYNTAX_ITEM_) };
#undef CSVB_CLUSPROP_TYPE_ITEM_
#undef CSVB_CLUSPROP_FORMAT_ITEM_
#undef CSVB_CLUSPROP_SYNTAX_ITEM_

/* CLUSPROP_SYNTAX_VALUE(type, format) (SDK ClusApi.h 3335). */
#define CSVB_CLUSPROP_SYNTAX_VALUE(type, format) \
    ((uint32_t)((((uint32_t)(type) & 0xFFFFu) << 16) | ((uint32_t)(format) & 0xFFFFu)))
/* ALIGN_CLUSPROP(count) (SDK ClusApi.h 5465): round a byte count up to a multiple of 4. */
#define CSVB_ALIGN_CLUSPROP(count) (((count) + 3u) & ~(size_t)3u)
/* Bytes of an entry header (syntax + cbLength). */
#define CSVB_CLUSPROP_HEADER_SIZE 8u

/* ---------------------------------------------------------------------------------------
 * Little-endian access at any alignment (compilers fold these into single loads/stores)
 * ------------------------------------------------------------------------------------- */

CSVB_INLINE uint16_t csvb_load_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

CSVB_INLINE uint32_t csvb_load_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16)
         | ((uint32_t)p[3] << 24);
}

CSVB_INLINE uint64_t csvb_load_u64(const uint8_t *p)
{
    return (uint64_t)csvb_load_u32(p) | ((uint64_t)csvb_load_u32(p + 4) << 32);
}

CSVB_INLINE void csvb_store_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

CSVB_INLINE void csvb_store_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

CSVB_INLINE void csvb_store_u64(uint8_t *p, uint64_t v)
{
    csvb_store_u32(p, (uint32_t)v);
    csvb_store_u32(p + 4, (uint32_t)(v >> 32));
}

/* ---------------------------------------------------------------------------------------
 * Reading entries, bounds-checked
 * ------------------------------------------------------------------------------------- */

/* One entry of a list, as found at some offset. */
typedef struct csvb_clusprop_entry {
    uint32_t syntax;  /* CLUSPROP_SYNTAX_* (ENDMARK: the entry is 4 bytes, no length) */
    uint32_t length;  /* cbLength: data bytes, without padding (0 for ENDMARK) */
    size_t data;      /* offset of the data */
    size_t next;      /* offset of the next entry (data + ALIGN_CLUSPROP(length)) */
} csvb_clusprop_entry;

/* Why a list is malformed (0 = it is not). */
enum csvb_clusprop_error {
    CSVB_CLUSPROP_OK = 0,
    CSVB_CLUSPROP_TRUNCATED_HEADER = 1,  /* fewer than 4 (or 8) bytes left for a header */
    CSVB_CLUSPROP_TRUNCATED_DATA = 2,    /* cbLength runs past the end of the buffer */
    CSVB_CLUSPROP_TRUNCATED_PADDING = 3, /* the padding after the data runs past the end */
    CSVB_CLUSPROP_MISALIGNED = 4         /* an entry offset that is not a multiple of 4 */
};

/* Read the entry at `offset` of buf[0, size). On success fills *e and returns
 * CSVB_CLUSPROP_OK; otherwise returns the error and leaves *e unspecified (the offset of the
 * failure is `offset`). Never reads outside buf[0, size); `size` may be any value. */
CSVB_INLINE int csvb_clusprop_read_entry(const uint8_t *buf, size_t size, size_t offset,
                                         csvb_clusprop_entry *e)
{
    if (offset & 3u)
        return CSVB_CLUSPROP_MISALIGNED;
    if (offset > size || size - offset < 4u)
        return CSVB_CLUSPROP_TRUNCATED_HEADER;
    e->syntax = csvb_load_u32(buf + offset);
    if (e->syntax == CSVB_CLUSPROP_SYNTAX_ENDMARK) {
        e->length = 0;
        e->data = offset + 4u;
        e->next = offset + 4u;
        return CSVB_CLUSPROP_OK;
    }
    if (size - offset < CSVB_CLUSPROP_HEADER_SIZE)
        return CSVB_CLUSPROP_TRUNCATED_HEADER;
    e->length = csvb_load_u32(buf + offset + 4u);
    e->data = offset + CSVB_CLUSPROP_HEADER_SIZE;
    /* compare in the space that is left: no sum that could overflow */
    if ((size_t)e->length > size - e->data)
        return CSVB_CLUSPROP_TRUNCATED_DATA;
    if (CSVB_ALIGN_CLUSPROP((size_t)e->length) > size - e->data)
        return CSVB_CLUSPROP_TRUNCATED_PADDING;
    e->next = e->data + CSVB_ALIGN_CLUSPROP((size_t)e->length);
    return CSVB_CLUSPROP_OK;
}

/* Bytes one value entry of `length` data bytes takes in a list (header + data + padding). */
CSVB_INLINE size_t csvb_clusprop_entry_size(size_t length)
{
    return CSVB_CLUSPROP_HEADER_SIZE + CSVB_ALIGN_CLUSPROP(length);
}

/* Write an entry header and zero its padding at buf + offset; returns the next offset. The
 * caller checked that csvb_clusprop_entry_size(length) bytes fit and writes the data. */
CSVB_INLINE size_t csvb_clusprop_write_header(uint8_t *buf, size_t offset, uint32_t syntax,
                                              uint32_t length)
{
    size_t k;
    csvb_store_u32(buf + offset, syntax);
    csvb_store_u32(buf + offset + 4u, length);
    for (k = (size_t)length; k < CSVB_ALIGN_CLUSPROP((size_t)length); ++k)
        buf[offset + CSVB_CLUSPROP_HEADER_SIZE + k] = 0;
    return offset + csvb_clusprop_entry_size(length);
}

#endif /* CSVBACKUP_CLUSPROP_H */
