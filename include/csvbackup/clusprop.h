/*
 * csvbackup/clusprop.h - CLUSPROP property lists and value lists: constants, little-endian
 * access and bounds-checked entry reading.
 *
 * Plain C99, no Python. All names carry the CSVB_ prefix: they never collide with
 * <clusapi.h>, so a Windows engine can include both. The values are Windows' (SDK ClusApi.h
 * 3285-3371; docs/reference/cluster-formats.md section 1.4); CI cross-compiles them against
 * mingw-w64's clusapi.h for every name mingw has.
 *
 * Wire layout (docs/reference/cluster-formats.md section 1.1), every integer little-endian, every
 * entry starting on a 4-byte boundary from the start of the list:
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

#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Constants: (name, value, 1 if mingw-w64's clusapi.h defines it) per enumeration. The lists
 * are the single source of the values; CI expands them against mingw's header.
 * ------------------------------------------------------------------------------------- */

/* CLUSPROP_TYPE_* (the high word of a syntax). UNKNOWN is -1 in the SDK's enum. */
#define CSVB_CLUSPROP_TYPE_LIST(X)         \
    X(UNKNOWN, -1, 1)                      \
    X(ENDMARK, 0, 1)                       \
    X(LIST_VALUE, 1, 1)                    \
    X(RESCLASS, 2, 1)                      \
    X(RESERVED1, 3, 1)                     \
    X(NAME, 4, 1)                          \
    X(SIGNATURE, 5, 1)                     \
    X(SCSI_ADDRESS, 6, 1)                  \
    X(DISK_NUMBER, 7, 1)                   \
    X(PARTITION_INFO, 8, 1)                \
    X(FTSET_INFO, 9, 1)                    \
    X(DISK_SERIALNUMBER, 10, 1)            \
    X(DISK_GUID, 11, 1)                    \
    X(DISK_SIZE, 12, 1)                    \
    X(PARTITION_INFO_EX, 13, 1)            \
    X(PARTITION_INFO_EX2, 14, 0)           \
    X(STORAGE_DEVICE_ID_DESCRIPTOR, 15, 0) \
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
#define CSVB_CLUSPROP_SYNTAX_LIST(X)                 \
    X(ENDMARK, 0x00000000, 1)                        \
    X(NAME, 0x00040003, 1)                           \
    X(RESCLASS, 0x00020002, 1)                       \
    X(LIST_VALUE_SZ, 0x00010003, 1)                  \
    X(LIST_VALUE_EXPAND_SZ, 0x00010004, 1)           \
    X(LIST_VALUE_DWORD, 0x00010002, 1)               \
    X(LIST_VALUE_BINARY, 0x00010001, 1)              \
    X(LIST_VALUE_MULTI_SZ, 0x00010005, 1)            \
    X(LIST_VALUE_LONG, 0x00010007, 1)                \
    X(LIST_VALUE_EXPANDED_SZ, 0x00010008, 1)         \
    X(LIST_VALUE_SECURITY_DESCRIPTOR, 0x00010009, 1) \
    X(LIST_VALUE_LARGE_INTEGER, 0x0001000A, 1)       \
    X(LIST_VALUE_ULARGE_INTEGER, 0x00010006, 1)      \
    X(LIST_VALUE_WORD, 0x0001000B, 0)                \
    X(LIST_VALUE_PROPERTY_LIST, 0x0001000E, 0)       \
    X(LIST_VALUE_FILETIME, 0x0001000C, 1)            \
    X(DISK_SIGNATURE, 0x00050002, 1)                 \
    X(SCSI_ADDRESS, 0x00060002, 1)                   \
    X(DISK_NUMBER, 0x00070002, 1)                    \
    X(PARTITION_INFO, 0x00080001, 1)                 \
    X(FTSET_INFO, 0x00090001, 1)                     \
    X(DISK_SERIALNUMBER, 0x000A0003, 1)              \
    X(DISK_GUID, 0x000B0003, 1)                      \
    X(DISK_SIZE, 0x000C0006, 1)                      \
    X(PARTITION_INFO_EX, 0x000D0001, 1)              \
    X(PARTITION_INFO_EX2, 0x000E0001, 0)             \
    X(STORAGE_DEVICE_ID_DESCRIPTOR, 0x000F0001, 0)

/* The same values as enumerators: CSVB_CLUSPROP_TYPE_NAME, CSVB_CLUSPROP_FORMAT_DWORD,
 * CSVB_CLUSPROP_SYNTAX_LIST_VALUE_DWORD, ... (no value exceeds INT_MAX, so plain enums hold
 * them portably). */
#define CSVB_CLUSPROP_TYPE_ITEM_(name, value, in_mingw)   CSVB_CLUSPROP_TYPE_##name = (value),
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
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
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
    uint32_t syntax; /* CLUSPROP_SYNTAX_* (ENDMARK: the entry is 4 bytes, no length) */
    uint32_t length; /* cbLength: data bytes, without padding (0 for ENDMARK) */
    size_t data;     /* offset of the data */
    size_t next;     /* offset of the next entry (data + ALIGN_CLUSPROP(length)) */
} csvb_clusprop_entry;

/* Why a list is malformed (0 = it is not), with the text csvb_clusprop_strerror gives.
 * Every check that returns one of these also reports the byte offset where it failed. */
#define CSVB_CLUSPROP_ERROR_LIST(X)                                                               \
    X(OK, 0, "no error")                                                                          \
    X(TRUNCATED_HEADER, 1, "the buffer ends inside an entry header")                              \
    X(TRUNCATED_DATA, 2, "cbLength runs past the end of the buffer")                              \
    X(TRUNCATED_PADDING, 3, "the padding after the data runs past the end of the buffer")         \
    X(MISALIGNED, 4, "an entry does not start on a 4-byte boundary")                              \
    X(BAD_COUNT, 5, "the property count cannot fit in the buffer (a property takes >= 24 bytes)") \
    X(NAME_EXPECTED, 6, "expected a CLUSPROP_SYNTAX_NAME entry")                                  \
    X(VALUE_EXPECTED, 7, "a property has no value before its ENDMARK")                            \
    X(BAD_VALUE_SYNTAX, 8, "a value's syntax is NAME or ENDMARK")                                 \
    X(RESERVED_SYNTAX, 9,                                                                         \
      "reserved CLUSPROP syntax (neither a defined nor a user-defined type and format)")          \
    X(BAD_LENGTH, 10, "cbLength does not match the fixed size of the format")                     \
    X(ODD_STRING, 11, "a UTF-16 string has an odd byte length")                                   \
    X(UNTERMINATED_STRING, 12, "a string does not end with its NUL")                              \
    X(EMBEDDED_NUL, 13, "a string has a NUL before its end")                                      \
    X(UNTERMINATED_MULTI_SZ, 14, "a MULTI_SZ does not end with its final extra NUL")              \
    X(TRAILING_DATA, 15, "non-zero bytes after the end of the list")                              \
    X(BAD_SECURITY_DESCRIPTOR, 16, "not a well-formed self-relative security descriptor")         \
    X(TOO_DEEP, 17, "property lists nested deeper than CSVB_CLUSPROP_MAX_DEPTH")                  \
    X(MISSING_ENDMARK, 18, "a value list does not end with an ENDMARK")

#define CSVB_CLUSPROP_ERROR_ITEM_(name, value, text) CSVB_CLUSPROP_##name = (value),
enum csvb_clusprop_error { CSVB_CLUSPROP_ERROR_LIST(CSVB_CLUSPROP_ERROR_ITEM_) };
#undef CSVB_CLUSPROP_ERROR_ITEM_

/* What a csvb_clusprop_error means, in words (a static string; "unknown error" otherwise). */
CSVB_INLINE const char *csvb_clusprop_strerror(int code)
{
#define CSVB_CLUSPROP_ERROR_TEXT_(name, value, text) \
    if (code == (value))                             \
        return text;
    CSVB_CLUSPROP_ERROR_LIST(CSVB_CLUSPROP_ERROR_TEXT_)
#undef CSVB_CLUSPROP_ERROR_TEXT_
    return "unknown error";
}

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

/* ---------------------------------------------------------------------------------------
 * Checking values and walking whole lists
 *
 * The checks follow the wire rules of docs/reference/cluster-formats.md section 1 (CMRP 2.2.3.10,
 * MSDOC property-lists / value-lists / data-length): a value's syntax is never NAME or ENDMARK; a
 * syntax whose type and format are neither defined nor user-defined (>= 0x8000) is reserved and an
 * error (CMRP 2.2.2.3); fixed-size formats have their exact cbLength; strings are UTF-16LE of even
 * length ending in exactly one NUL; a MULTI_SZ is non-empty NUL-terminated strings followed by one
 * more NUL ("\0" or "\0\0" alone: no strings). User-defined formats and the formats with no defined
 * layout (VALUE_LIST) are raw bytes.
 * ------------------------------------------------------------------------------------- */

/* Nesting limit for PROPERTY_LIST values: bounds the recursion on untrusted input. */
#define CSVB_CLUSPROP_MAX_DEPTH 16
/* The smallest property: NAME header + "" (2 bytes, padded to 4) + one empty value header +
 * ENDMARK = 8 + 4 + 8 + 4. A count above (size - 4) / 24 is rejected before any walk. */
#define CSVB_CLUSPROP_MIN_PROPERTY_SIZE 24u
/* csvb_clusprop_next_* return this once the list is complete (not an error). */
#define CSVB_CLUSPROP_END (-1)

/* The format half and type half of a syntax. */
#define CSVB_CLUSPROP_FORMAT_OF(syntax) ((uint32_t)(syntax) & 0xFFFFu)
#define CSVB_CLUSPROP_TYPE_OF(syntax)   (((uint32_t)(syntax) >> 16) & 0xFFFFu)

/* The fixed cbLength of a format, or 0 when its length varies. */
CSVB_INLINE uint32_t csvb_clusprop_fixed_size(uint32_t format)
{
    switch (format) {
    case CSVB_CLUSPROP_FORMAT_WORD: return 2;
    case CSVB_CLUSPROP_FORMAT_DWORD:
    case CSVB_CLUSPROP_FORMAT_LONG: return 4;
    case CSVB_CLUSPROP_FORMAT_ULARGE_INTEGER:
    case CSVB_CLUSPROP_FORMAT_LARGE_INTEGER:
    case CSVB_CLUSPROP_FORMAT_FILETIME: return 8;
    default: return 0;
    }
}

/* OK when `syntax` may be a value's, else BAD_VALUE_SYNTAX or RESERVED_SYNTAX. */
CSVB_INLINE int csvb_clusprop_check_value_syntax(uint32_t syntax)
{
    uint32_t t = CSVB_CLUSPROP_TYPE_OF(syntax), f = CSVB_CLUSPROP_FORMAT_OF(syntax);
    if (syntax == CSVB_CLUSPROP_SYNTAX_ENDMARK || t == CSVB_CLUSPROP_TYPE_NAME)
        return CSVB_CLUSPROP_BAD_VALUE_SYNTAX;
    /* defined types are 1..15 (NAME excluded above; RESERVED1 = 3 is reserved by name) */
    if (!(t >= 0x8000u || (t >= 1u && t <= 15u && t != CSVB_CLUSPROP_TYPE_RESERVED1)))
        return CSVB_CLUSPROP_RESERVED_SYNTAX;
    if (!(f >= 0x8000u || (f >= 1u && f <= 14u)))
        return CSVB_CLUSPROP_RESERVED_SYNTAX;
    return CSVB_CLUSPROP_OK;
}

/* A NUL-terminated UTF-16LE string of `len` bytes at buf + data. On error *where is the
 * offending byte (the cbLength field for an odd or empty length). */
CSVB_FUNC int csvb_clusprop_check_sz(const uint8_t *buf, size_t data, uint32_t len, size_t *where)
{
    size_t k, n = len / 2u;
    if (len & 1u) {
        *where = data - 4u;
        return CSVB_CLUSPROP_ODD_STRING;
    }
    if (n == 0 || csvb_load_u16(buf + data + 2u * (n - 1u)) != 0) {
        *where = n == 0 ? data - 4u : data + 2u * (n - 1u);
        return CSVB_CLUSPROP_UNTERMINATED_STRING;
    }
    /* Four code units a step while all four come before the final NUL: a 16-bit lane of w
     * is zero only if the expression has its top bit set (borrows reach only lanes above a
     * zero one); the unit-by-unit loop then finds which. */
    for (k = 0; k + 4u < n; k += 4u) {
        uint64_t w = csvb_load_u64(buf + data + 2u * k);
        if ((w - 0x0001000100010001u) & ~w & 0x8000800080008000u)
            break;
    }
    for (; k + 1u < n; ++k) {
        if (csvb_load_u16(buf + data + 2u * k) == 0) {
            *where = data + 2u * k;
            return CSVB_CLUSPROP_EMBEDDED_NUL;
        }
    }
    return CSVB_CLUSPROP_OK;
}

/* A MULTI_SZ: non-empty strings, each with its NUL, then one more NUL; "\0\0" alone is also
 * accepted as no strings (registry writers produce both forms). */
CSVB_FUNC int csvb_clusprop_check_multi_sz(const uint8_t *buf, size_t data, uint32_t len,
                                           size_t *where)
{
    size_t k, n = len / 2u;
    if (len & 1u) {
        *where = data - 4u;
        return CSVB_CLUSPROP_ODD_STRING;
    }
    if (n == 0) {
        *where = data - 4u;
        return CSVB_CLUSPROP_UNTERMINATED_MULTI_SZ;
    }
    if (n == 2 && csvb_load_u16(buf + data) == 0 && csvb_load_u16(buf + data + 2u) == 0)
        return CSVB_CLUSPROP_OK;
    for (k = 0; k < n; ++k) {
        if (csvb_load_u16(buf + data + 2u * k) != 0)
            continue;
        /* a NUL: at k == 0 or right after another NUL it is the final one */
        if (k == 0 || csvb_load_u16(buf + data + 2u * (k - 1u)) == 0) {
            if (k + 1u == n)
                return CSVB_CLUSPROP_OK;
            *where = data + 2u * k;
            return CSVB_CLUSPROP_EMBEDDED_NUL; /* an empty string before the end */
        }
    }
    *where = data + 2u * (n - 1u);
    return CSVB_CLUSPROP_UNTERMINATED_MULTI_SZ;
}

/* A SID (winnt.h SID: Revision 1, SubAuthorityCount <= 15, 8 + 4n bytes) at sd + off. */
CSVB_FUNC int csvb_sid_fits_(const uint8_t *sd, uint32_t len, uint32_t off)
{
    uint32_t n;
    if (off < 20u || off > len || len - off < 8u || sd[off] != 1u)
        return 0;
    n = sd[off + 1u];
    return n <= 15u && len - off >= 8u + 4u * n;
}

/* An ACL (winnt.h ACL: revision 2 or 4, AclSize >= 8, AceCount ACEs each with an AceSize
 * >= 4 and a multiple of 4, all within AclSize) at sd + off. */
CSVB_FUNC int csvb_acl_fits_(const uint8_t *sd, uint32_t len, uint32_t off)
{
    uint32_t size, count, k, at;
    if (off < 20u || off > len || len - off < 8u || (sd[off] != 2u && sd[off] != 4u))
        return 0;
    size = csvb_load_u16(sd + off + 2u);
    count = csvb_load_u16(sd + off + 4u);
    if (size < 8u || size > len - off)
        return 0;
    for (k = 0, at = 8u; k < count; ++k) {
        uint32_t ace;
        if (size - at < 4u)
            return 0;
        ace = csvb_load_u16(sd + off + at + 2u);
        if (ace < 4u || (ace & 3u) || ace > size - at)
            return 0;
        at += ace;
    }
    return 1;
}

/* Minimal structure of a self-relative SECURITY_DESCRIPTOR (winnt.h
 * SECURITY_DESCRIPTOR_RELATIVE, what CLUSPROP_SECURITY_DESCRIPTOR carries): revision 1, the
 * SE_SELF_RELATIVE control bit, and an owner/group SID and present SACL/DACL that lie inside
 * the `len` bytes. A security descriptor of 0 bytes is not one. */
CSVB_FUNC int csvb_clusprop_check_security_descriptor(const uint8_t *sd, uint32_t len)
{
    uint32_t control, owner, group, sacl, dacl;
    if (len < 20u || sd[0] != 1u)
        return 0;
    control = csvb_load_u16(sd + 2);
    owner = csvb_load_u32(sd + 4);
    group = csvb_load_u32(sd + 8);
    sacl = csvb_load_u32(sd + 12);
    dacl = csvb_load_u32(sd + 16);
    if (!(control & 0x8000u)) /* SE_SELF_RELATIVE */
        return 0;
    if ((owner && !csvb_sid_fits_(sd, len, owner)) || (group && !csvb_sid_fits_(sd, len, group)))
        return 0;
    if ((control & 0x0010u) && sacl && !csvb_acl_fits_(sd, len, sacl)) /* SE_SACL_PRESENT */
        return 0;
    if ((control & 0x0004u) && dacl && !csvb_acl_fits_(sd, len, dacl)) /* SE_DACL_PRESENT */
        return 0;
    return 1;
}

typedef struct csvb_clusprop_reader csvb_clusprop_reader;
CSVB_FUNC int csvb_clusprop_check_list_(const uint8_t *buf, size_t size, int depth, size_t *where);

/* Check one value entry `e` (read at `at` by csvb_clusprop_read_entry) by its syntax and
 * format. `depth` counts the property lists around it. */
CSVB_FUNC int csvb_clusprop_check_value(const uint8_t *buf, size_t at, const csvb_clusprop_entry *e,
                                        int depth, size_t *where)
{
    uint32_t f = CSVB_CLUSPROP_FORMAT_OF(e->syntax), fixed;
    int rc = csvb_clusprop_check_value_syntax(e->syntax);
    *where = at;
    if (rc != CSVB_CLUSPROP_OK)
        return rc;
    fixed = csvb_clusprop_fixed_size(f);
    if (fixed)
        return e->length == fixed ? CSVB_CLUSPROP_OK : (*where = at + 4u, CSVB_CLUSPROP_BAD_LENGTH);
    switch (f) {
    case CSVB_CLUSPROP_FORMAT_SZ:
    case CSVB_CLUSPROP_FORMAT_EXPAND_SZ:
    case CSVB_CLUSPROP_FORMAT_EXPANDED_SZ:
        return csvb_clusprop_check_sz(buf, e->data, e->length, where);
    case CSVB_CLUSPROP_FORMAT_MULTI_SZ:
        return csvb_clusprop_check_multi_sz(buf, e->data, e->length, where);
    case CSVB_CLUSPROP_FORMAT_SECURITY_DESCRIPTOR:
        *where = e->data;
        return csvb_clusprop_check_security_descriptor(buf + e->data, e->length)
                   ? CSVB_CLUSPROP_OK
                   : CSVB_CLUSPROP_BAD_SECURITY_DESCRIPTOR;
    case CSVB_CLUSPROP_FORMAT_PROPERTY_LIST:
        if (depth + 1 > CSVB_CLUSPROP_MAX_DEPTH)
            return CSVB_CLUSPROP_TOO_DEEP;
        rc = csvb_clusprop_check_list_(buf + e->data, e->length, depth + 1, where);
        *where += e->data;
        return rc;
    default: return CSVB_CLUSPROP_OK; /* BINARY, VALUE_LIST, user formats: raw bytes */
    }
}

/* A property-list walk. Begin with csvb_clusprop_begin_list, then call
 * csvb_clusprop_next_property until it returns CSVB_CLUSPROP_END (the list, its trailing
 * list-level ENDMARKs included, is then fully checked) or an error (r->where is the byte
 * offset). A property that was returned is fully checked: its values can be read with
 * csvb_clusprop_read_entry from p.first_value without further checks. */
struct csvb_clusprop_reader {
    const uint8_t *buf;
    size_t size;
    size_t offset;      /* next entry */
    uint32_t count;     /* nPropertyCount */
    uint32_t remaining; /* properties not read yet */
    uint32_t trailing;  /* list-level ENDMARKs after the last property (once at END) */
    int depth;          /* nesting level, 0 for a top-level list */
    size_t where;       /* byte offset of the error, when one was returned */
};

typedef struct csvb_clusprop_property {
    csvb_clusprop_entry name; /* NAME entry: UTF-16LE at name.data, name.length bytes + NUL */
    size_t first_value;       /* offset of the first value entry */
    uint32_t value_count;     /* 1 or more */
    size_t end;               /* offset just past the property's ENDMARK */
} csvb_clusprop_property;

CSVB_FUNC int csvb_clusprop_begin_list(csvb_clusprop_reader *r, const uint8_t *buf, size_t size,
                                       int depth)
{
    r->buf = buf;
    r->size = size;
    r->offset = 4;
    r->count = r->remaining = r->trailing = 0;
    r->depth = depth;
    r->where = 0;
    if (size < 4u)
        return CSVB_CLUSPROP_TRUNCATED_HEADER;
    r->count = r->remaining = csvb_load_u32(buf);
    /* before anything is allocated for `count` properties, make sure they could fit */
    if (r->count > (size - 4u) / CSVB_CLUSPROP_MIN_PROPERTY_SIZE)
        return CSVB_CLUSPROP_BAD_COUNT;
    return CSVB_CLUSPROP_OK;
}

/* Zero DWORDs from `off` to the end of the buffer: OK (counted in *n) or TRAILING_DATA. */
CSVB_FUNC int csvb_clusprop_check_tail_(const uint8_t *buf, size_t size, size_t off, uint32_t *n,
                                        size_t *where)
{
    for (*n = 0; off < size; off += 4u, ++*n) {
        if (size - off < 4u || csvb_load_u32(buf + off) != 0) {
            *where = off;
            return CSVB_CLUSPROP_TRAILING_DATA;
        }
    }
    return CSVB_CLUSPROP_OK;
}

CSVB_FUNC int csvb_clusprop_next_property(csvb_clusprop_reader *r, csvb_clusprop_property *p)
{
    csvb_clusprop_entry e;
    size_t at;
    int rc;
    if (r->remaining == 0)
        return (rc = csvb_clusprop_check_tail_(r->buf, r->size, r->offset, &r->trailing, &r->where))
                       != CSVB_CLUSPROP_OK
                   ? rc
                   : CSVB_CLUSPROP_END;
    r->where = at = r->offset;
    if ((rc = csvb_clusprop_read_entry(r->buf, r->size, at, &p->name)) != CSVB_CLUSPROP_OK)
        return rc;
    if (p->name.syntax != CSVB_CLUSPROP_SYNTAX_NAME)
        return CSVB_CLUSPROP_NAME_EXPECTED;
    if ((rc = csvb_clusprop_check_sz(r->buf, p->name.data, p->name.length, &r->where))
        != CSVB_CLUSPROP_OK)
        return rc;
    p->first_value = at = p->name.next;
    p->value_count = 0;
    for (;;) {
        r->where = at;
        if ((rc = csvb_clusprop_read_entry(r->buf, r->size, at, &e)) != CSVB_CLUSPROP_OK)
            return rc;
        if (e.syntax == CSVB_CLUSPROP_SYNTAX_ENDMARK)
            break;
        if ((rc = csvb_clusprop_check_value(r->buf, at, &e, r->depth, &r->where))
            != CSVB_CLUSPROP_OK)
            return rc;
        ++p->value_count;
        at = e.next;
    }
    if (p->value_count == 0)
        return CSVB_CLUSPROP_VALUE_EXPECTED;
    p->end = r->offset = e.next;
    --r->remaining;
    return CSVB_CLUSPROP_OK;
}

/* Check a whole property list; *where is the error offset. */
CSVB_FUNC int csvb_clusprop_check_list_(const uint8_t *buf, size_t size, int depth, size_t *where)
{
    csvb_clusprop_reader r;
    csvb_clusprop_property p;
    int rc = csvb_clusprop_begin_list(&r, buf, size, depth);
    while (rc == CSVB_CLUSPROP_OK)
        rc = csvb_clusprop_next_property(&r, &p);
    *where = r.where;
    return rc == CSVB_CLUSPROP_END ? CSVB_CLUSPROP_OK : rc;
}

/* Check a whole property list of `size` bytes: CSVB_CLUSPROP_OK or the first error, with its
 * byte offset in *where. */
CSVB_FUNC int csvb_clusprop_check_list(const uint8_t *buf, size_t size, size_t *where)
{
    return csvb_clusprop_check_list_(buf, size, 0, where);
}

/* A value-list walk (values, then an ENDMARK, then only zero DWORDs): begin, then
 * csvb_clusprop_next_value until CSVB_CLUSPROP_END. Each value returned is fully checked. */
CSVB_FUNC void csvb_clusprop_begin_value_list(csvb_clusprop_reader *r, const uint8_t *buf,
                                              size_t size)
{
    r->buf = buf;
    r->size = size;
    r->offset = 0;
    r->count = r->remaining = r->trailing = 0;
    r->depth = 0;
    r->where = 0;
}

CSVB_FUNC int csvb_clusprop_next_value(csvb_clusprop_reader *r, csvb_clusprop_entry *e)
{
    int rc;
    r->where = r->offset;
    if (r->offset >= r->size && r->remaining != 1u) /* never saw the ENDMARK */
        return CSVB_CLUSPROP_MISSING_ENDMARK;
    if (r->remaining == 1u) /* ENDMARK seen: the list is complete */
        return CSVB_CLUSPROP_END;
    if ((rc = csvb_clusprop_read_entry(r->buf, r->size, r->offset, e)) != CSVB_CLUSPROP_OK)
        return rc == CSVB_CLUSPROP_TRUNCATED_HEADER && r->size - r->offset < 4u
                   ? CSVB_CLUSPROP_MISSING_ENDMARK
                   : rc;
    if (e->syntax == CSVB_CLUSPROP_SYNTAX_ENDMARK) {
        r->remaining = 1u;
        if ((rc = csvb_clusprop_check_tail_(r->buf, r->size, e->next, &r->trailing, &r->where))
            != CSVB_CLUSPROP_OK)
            return rc;
        r->offset = e->next;
        return CSVB_CLUSPROP_END;
    }
    if ((rc = csvb_clusprop_check_value(r->buf, r->offset, e, 0, &r->where)) != CSVB_CLUSPROP_OK)
        return rc;
    ++r->count;
    r->offset = e->next;
    return CSVB_CLUSPROP_OK;
}

/* Find the first value of the property whose UTF-16LE name (NUL included, `name_bytes`
 * long) is `name`, checking the whole list on the way. OK with *value filled; END when the
 * list is well-formed and has no such property; an error with *where otherwise. */
CSVB_FUNC int csvb_clusprop_find_property(const uint8_t *buf, size_t size, const uint8_t *name,
                                          uint32_t name_bytes, csvb_clusprop_entry *value,
                                          size_t *where)
{
    csvb_clusprop_reader r;
    csvb_clusprop_property p;
    int rc = csvb_clusprop_begin_list(&r, buf, size, 0), found = 0;
    size_t k;
    while (rc == CSVB_CLUSPROP_OK
           && (rc = csvb_clusprop_next_property(&r, &p)) == CSVB_CLUSPROP_OK) {
        if (found || p.name.length != name_bytes)
            continue;
        for (k = 0; k < name_bytes && buf[p.name.data + k] == name[k]; ++k)
            ;
        if (k == name_bytes) {
            found = 1;
            csvb_clusprop_read_entry(buf, size, p.first_value, value);
        }
    }
    *where = r.where;
    if (rc != CSVB_CLUSPROP_END)
        return rc;
    return found ? CSVB_CLUSPROP_OK : CSVB_CLUSPROP_END;
}

/* ---------------------------------------------------------------------------------------
 * Writing. The caller sized the buffer (csvb_clusprop_entry_size per entry); each call
 * returns the offset after what it wrote. Padding is written as zeros.
 * ------------------------------------------------------------------------------------- */

CSVB_INLINE size_t csvb_clusprop_put_endmark(uint8_t *buf, size_t off)
{
    csvb_store_u32(buf + off, CSVB_CLUSPROP_SYNTAX_ENDMARK);
    return off + 4u;
}

CSVB_INLINE size_t csvb_clusprop_put_u16(uint8_t *buf, size_t off, uint32_t syntax, uint16_t v)
{
    size_t next = csvb_clusprop_write_header(buf, off, syntax, 2u);
    csvb_store_u16(buf + off + CSVB_CLUSPROP_HEADER_SIZE, v);
    return next;
}

CSVB_INLINE size_t csvb_clusprop_put_u32(uint8_t *buf, size_t off, uint32_t syntax, uint32_t v)
{
    csvb_store_u32(buf + off, syntax);
    csvb_store_u32(buf + off + 4u, 4u);
    csvb_store_u32(buf + off + 8u, v);
    return off + 12u;
}

CSVB_INLINE size_t csvb_clusprop_put_u64(uint8_t *buf, size_t off, uint32_t syntax, uint64_t v)
{
    csvb_store_u32(buf + off, syntax);
    csvb_store_u32(buf + off + 4u, 8u);
    csvb_store_u64(buf + off + 8u, v); /* only 4-byte aligned: byte stores, no uint64_t* */
    return off + 16u;
}

CSVB_INLINE size_t csvb_clusprop_put_bytes(uint8_t *buf, size_t off, uint32_t syntax,
                                           const uint8_t *data, uint32_t len)
{
    size_t k, next = csvb_clusprop_write_header(buf, off, syntax, len);
    for (k = 0; k < len; ++k)
        buf[off + CSVB_CLUSPROP_HEADER_SIZE + k] = data[k];
    return next;
}

/* A string entry from `n` UTF-16 code units (no NUL among them): cbLength = (n + 1) * 2. */
CSVB_INLINE size_t csvb_clusprop_put_utf16(uint8_t *buf, size_t off, uint32_t syntax,
                                           const uint16_t *units, size_t n)
{
    size_t k, next = csvb_clusprop_write_header(buf, off, syntax, (uint32_t)((n + 1u) * 2u));
    for (k = 0; k < n; ++k)
        csvb_store_u16(buf + off + CSVB_CLUSPROP_HEADER_SIZE + 2u * k, units[k]);
    csvb_store_u16(buf + off + CSVB_CLUSPROP_HEADER_SIZE + 2u * n, 0);
    return next;
}

/* Store values[first, first + n) (`vsize` = 2, 4 or 8 bytes, native-endian) little-endian
 * at byte `value_at` of consecutive `tsize`-byte records starting at out. */
CSVB_INLINE void csvb_clusprop_store_values_(uint8_t *out, size_t tsize, size_t value_at,
                                             const void *values, size_t vsize, size_t first,
                                             size_t n)
{
    size_t i;
    out += value_at;
    if (vsize == 2u)
        for (i = 0; i < n; ++i)
            csvb_store_u16(out + i * tsize, ((const uint16_t *)values)[first + i]);
    else if (vsize == 4u)
        for (i = 0; i < n; ++i)
            csvb_store_u32(out + i * tsize, ((const uint32_t *)values)[first + i]);
    else
        for (i = 0; i < n; ++i)
            csvb_store_u64(out + i * tsize, ((const uint64_t *)values)[first + i]);
}

/* Copy a `tsize`-byte template `n` times to out and store values[i] (`vsize` = 2, 4 or 8
 * bytes, native-endian) little-endian at byte `value_at` of copy i: N single-property lists
 * of a fixed-size format in one pass, no per-list parsing or sizing.
 *
 * The first ~16 KiB of out is filled copy by copy; every later block is one memcpy of
 * that block (it stays in L1) followed by the block's value stores, so the output is
 * written once, at memcpy speed. */
CSVB_FUNC void csvb_clusprop_fill_template(uint8_t *CSVB_RESTRICT out,
                                           const uint8_t *CSVB_RESTRICT tmpl, size_t tsize,
                                           size_t value_at, const void *values, size_t vsize,
                                           size_t n)
{
    size_t per = 16384u / tsize, i, k;
    if (per == 0)
        per = 1;
    if (per > n)
        per = n;
    for (i = 0; i < per; ++i)
        for (k = 0; k < tsize; ++k)
            out[i * tsize + k] = tmpl[k];
    for (i = per; i < n; i += per) {
        size_t m = n - i < per ? n - i : per;
        memcpy(out + i * tsize, out, m * tsize);
        csvb_clusprop_store_values_(out + i * tsize, tsize, value_at, values, vsize, i, m);
    }
    csvb_clusprop_store_values_(out, tsize, value_at, values, vsize, 0, per);
}

#endif /* CSVBACKUP_CLUSPROP_H */
