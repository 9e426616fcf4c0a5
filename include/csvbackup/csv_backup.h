/*
 * csvbackup/csv_backup.h - Cluster Shared Volume backup: cluster control codes and the
 * CLUS_SHARED_VOLUME_BACKUP_MODE structure, byte-exact with Windows.
 *
 * Plain C99 (and C++11), no Python. Every name carries the CSVB_ prefix so a Windows engine
 * can include this next to <clusapi.h>. Sources are docs/reference/cluster-formats.md:
 * section 2 (control codes: SDK ClusApi.h 3419-3509, 3535-3631), section 3 (the structure:
 * SDK ClusApi.h 5094-5172, MS-CMRP 2.2.3.20) and section 7 (volume GUID paths). CI
 * cross-compiles the X-lists below against mingw-w64's clusapi.h for every name mingw has
 * (tests/c/windows_csv_backup_check.c).
 *
 * A control code is laid out as
 *
 *    31      24 23 22 21 20 19 ...................... 2 1  0
 *   +----------+--+--+--+--+--------------------------+-----+
 *   |  OBJECT  |G |M |U |I |  function (CLCTL number) | ACC |
 *   +----------+--+--+--+--+--------------------------+-----+
 *
 * and CLUS_SHARED_VOLUME_BACKUP_MODE, sent with CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE,
 * is 528 bytes: DWORD BackupState @0, DWORD DelayTimerInSecs @4, WCHAR VolumeName[260] @8.
 */
#ifndef CSVBACKUP_CSV_BACKUP_H
#define CSVBACKUP_CSV_BACKUP_H

#include "clusprop.h"

/* ---------------------------------------------------------------------------------------
 * Control-code layout (docs/reference/cluster-formats.md section 2.1)
 * ------------------------------------------------------------------------------------- */
#define CSVB_CLUSCTL_ACCESS_SHIFT      0
#define CSVB_CLUSCTL_FUNCTION_SHIFT    2
#define CSVB_CLCTL_INTERNAL_SHIFT      20
#define CSVB_CLCTL_USER_SHIFT          21
#define CSVB_CLCTL_MODIFY_SHIFT        22
#define CSVB_CLCTL_GLOBAL_SHIFT        23
#define CSVB_CLUSCTL_OBJECT_SHIFT      24
#define CSVB_CLUSCTL_ACCESS_MODE_MASK  0x03u
#define CSVB_CLUSCTL_CONTROL_CODE_MASK 0x003FFFFFu
#define CSVB_CLUSCTL_OBJECT_MASK       0xFFu
#define CSVB_CLCTL_USER_BASE           0x00200000u

/* CLUS_ACCESS_* */
#define CSVB_CLUS_ACCESS_ANY   0u
#define CSVB_CLUS_ACCESS_READ  1u
#define CSVB_CLUS_ACCESS_WRITE 2u

/* CLCTL_EXTERNAL_CODE(function, access, modify) and CLUSCTL_<OBJECT>_CODE(clctl) */
#define CSVB_CLCTL_EXTERNAL_CODE(function, access, modify)   \
    (((uint32_t)(access) << CSVB_CLUSCTL_ACCESS_SHIFT)       \
     | ((uint32_t)(function) << CSVB_CLUSCTL_FUNCTION_SHIFT) \
     | ((uint32_t)(modify) << CSVB_CLCTL_MODIFY_SHIFT))
#define CSVB_CLUSCTL_CODE(object, clctl) \
    (((uint32_t)(object) << CSVB_CLUSCTL_OBJECT_SHIFT) | (clctl))

/* CLUS_OBJECT_*: (name, value, 1 if mingw-w64's clusapi.h has it) */
#define CSVB_CLUS_OBJECT_LIST(X) \
    X(INVALID, 0, 1)             \
    X(RESOURCE, 1, 1)            \
    X(RESOURCE_TYPE, 2, 1)       \
    X(GROUP, 3, 1)               \
    X(NODE, 4, 1)                \
    X(NETWORK, 5, 1)             \
    X(NETINTERFACE, 6, 1)        \
    X(CLUSTER, 7, 1)             \
    X(GROUPSET, 8, 0)            \
    X(USER, 128, 1)

/* CLCTL_* base codes: (name, function, access, modify, in mingw). The property codes are
 * docs/reference/cluster-formats.md section 2.2, the CSV codes 2.3. The RENAME codes come from
 * Microsoft's win32metadata (windows-sys: CLCTL 11734 and 11738; docs/reference/cluster-formats.md
 * section 2.3 prints their CLUSCTL values in hex as 0x010028D6/DA, which disagrees with its own
 * decimals 16788950/16788954 = 0x01002DD6/DA: the decimals, which windows-sys also gives,
 * decide). */
#define CSVB_CLCTL_LIST(X)                                        \
    X(ENUM_COMMON_PROPERTIES, 20, READ, 0, 1)                     \
    X(GET_RO_COMMON_PROPERTIES, 21, READ, 0, 1)                   \
    X(GET_COMMON_PROPERTIES, 22, READ, 0, 1)                      \
    X(SET_COMMON_PROPERTIES, 23, WRITE, 1, 1)                     \
    X(VALIDATE_COMMON_PROPERTIES, 24, READ, 0, 1)                 \
    X(GET_COMMON_PROPERTY_FMTS, 25, READ, 0, 1)                   \
    X(ENUM_PRIVATE_PROPERTIES, 30, READ, 0, 1)                    \
    X(GET_RO_PRIVATE_PROPERTIES, 31, READ, 0, 1)                  \
    X(GET_PRIVATE_PROPERTIES, 32, READ, 0, 1)                     \
    X(SET_PRIVATE_PROPERTIES, 33, WRITE, 1, 1)                    \
    X(VALIDATE_PRIVATE_PROPERTIES, 34, READ, 0, 1)                \
    X(GET_PRIVATE_PROPERTY_FMTS, 35, READ, 0, 1)                  \
    X(STORAGE_GET_SHARED_VOLUME_INFO, 137, READ, 0, 1)            \
    X(STORAGE_IS_CSV_FILE, 138, READ, 0, 0)                       \
    X(ENABLE_SHARED_VOLUME_DIRECTIO, 162, WRITE, 1, 1)            \
    X(DISABLE_SHARED_VOLUME_DIRECTIO, 163, WRITE, 1, 1)           \
    X(GET_SHARED_VOLUME_ID, 164, READ, 0, 1)                      \
    X(SET_CSV_MAINTENANCE_MODE, 165, WRITE, 1, 1)                 \
    X(SET_SHARED_VOLUME_BACKUP_MODE, 166, WRITE, 1, 1)            \
    X(STORAGE_GET_SHARED_VOLUME_PARTITION_NAMES, 167, READ, 0, 0) \
    X(STORAGE_GET_SHARED_VOLUME_STATES, 168, WRITE, 1, 0)         \
    X(STORAGE_IS_SHARED_VOLUME, 169, READ, 0, 0)                  \
    X(STORAGE_RENAME_SHARED_VOLUME, 2933, WRITE, 0, 0)            \
    X(STORAGE_RENAME_SHARED_VOLUME_GUID, 2934, WRITE, 0, 0)

/* The property codes exist for every object that has properties. */
#define CSVB_CLUSCTL_PROPERTY_CODES_(X, OBJECT, in_mingw)                                  \
    X(OBJECT##_ENUM_COMMON_PROPERTIES, OBJECT, ENUM_COMMON_PROPERTIES, in_mingw)           \
    X(OBJECT##_GET_RO_COMMON_PROPERTIES, OBJECT, GET_RO_COMMON_PROPERTIES, in_mingw)       \
    X(OBJECT##_GET_COMMON_PROPERTIES, OBJECT, GET_COMMON_PROPERTIES, in_mingw)             \
    X(OBJECT##_SET_COMMON_PROPERTIES, OBJECT, SET_COMMON_PROPERTIES, in_mingw)             \
    X(OBJECT##_VALIDATE_COMMON_PROPERTIES, OBJECT, VALIDATE_COMMON_PROPERTIES, in_mingw)   \
    X(OBJECT##_GET_COMMON_PROPERTY_FMTS, OBJECT, GET_COMMON_PROPERTY_FMTS, in_mingw)       \
    X(OBJECT##_ENUM_PRIVATE_PROPERTIES, OBJECT, ENUM_PRIVATE_PROPERTIES, in_mingw)         \
    X(OBJECT##_GET_RO_PRIVATE_PROPERTIES, OBJECT, GET_RO_PRIVATE_PROPERTIES, in_mingw)     \
    X(OBJECT##_GET_PRIVATE_PROPERTIES, OBJECT, GET_PRIVATE_PROPERTIES, in_mingw)           \
    X(OBJECT##_SET_PRIVATE_PROPERTIES, OBJECT, SET_PRIVATE_PROPERTIES, in_mingw)           \
    X(OBJECT##_VALIDATE_PRIVATE_PROPERTIES, OBJECT, VALIDATE_PRIVATE_PROPERTIES, in_mingw) \
    X(OBJECT##_GET_PRIVATE_PROPERTY_FMTS, OBJECT, GET_PRIVATE_PROPERTY_FMTS, in_mingw)

/* CLUSCTL_* codes: (name, object, CLCTL, in mingw). The resource-type code IS_CSV_FILE is
 * built on the RESOURCE object, as the SDK does (ClusApi.h 4276-4277; Samba's clusapi.idl
 * agrees: 0x1000229). */
#define CSVB_CLUSCTL_LIST(X)                                                                    \
    CSVB_CLUSCTL_PROPERTY_CODES_(X, RESOURCE, 1)                                                \
    CSVB_CLUSCTL_PROPERTY_CODES_(X, RESOURCE_TYPE, 1)                                           \
    CSVB_CLUSCTL_PROPERTY_CODES_(X, GROUP, 1)                                                   \
    CSVB_CLUSCTL_PROPERTY_CODES_(X, NODE, 1)                                                    \
    CSVB_CLUSCTL_PROPERTY_CODES_(X, CLUSTER, 1)                                                 \
    X(RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO, RESOURCE, STORAGE_GET_SHARED_VOLUME_INFO, 1)     \
    X(RESOURCE_TYPE_STORAGE_IS_CSV_FILE, RESOURCE, STORAGE_IS_CSV_FILE, 0)                      \
    X(RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO, RESOURCE, ENABLE_SHARED_VOLUME_DIRECTIO, 1)       \
    X(RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO, RESOURCE, DISABLE_SHARED_VOLUME_DIRECTIO, 1)     \
    X(CLUSTER_GET_SHARED_VOLUME_ID, CLUSTER, GET_SHARED_VOLUME_ID, 1)                           \
    X(RESOURCE_SET_CSV_MAINTENANCE_MODE, RESOURCE, SET_CSV_MAINTENANCE_MODE, 1)                 \
    X(RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, RESOURCE, SET_SHARED_VOLUME_BACKUP_MODE, 1)       \
    X(RESOURCE_STORAGE_GET_SHARED_VOLUME_PARTITION_NAMES, RESOURCE,                             \
      STORAGE_GET_SHARED_VOLUME_PARTITION_NAMES, 0)                                             \
    X(RESOURCE_STORAGE_GET_SHARED_VOLUME_STATES, RESOURCE, STORAGE_GET_SHARED_VOLUME_STATES, 0) \
    X(RESOURCE_STORAGE_IS_SHARED_VOLUME, RESOURCE, STORAGE_IS_SHARED_VOLUME, 0)                 \
    X(RESOURCE_STORAGE_RENAME_SHARED_VOLUME, RESOURCE, STORAGE_RENAME_SHARED_VOLUME, 0)         \
    X(RESOURCE_STORAGE_RENAME_SHARED_VOLUME_GUID, RESOURCE, STORAGE_RENAME_SHARED_VOLUME_GUID, 0)

#define CSVB_OBJECT_ENUM_(name, value, in_mingw) CSVB_CLUS_OBJECT_##name = value,
#define CSVB_CLCTL_ENUM_(name, function, access, modify, in_mingw) \
    CSVB_CLCTL_##name = CSVB_CLCTL_EXTERNAL_CODE(function, CSVB_CLUS_ACCESS_##access, modify),
#define CSVB_CLUSCTL_ENUM_(name, object, clctl, in_mingw) \
    CSVB_CLUSCTL_##name = CSVB_CLUSCTL_CODE(CSVB_CLUS_OBJECT_##object, CSVB_CLCTL_##clctl),
/* Enumerators are ints: every code here is below 2^31 (the largest object is CLUSTER, 7). */
enum csvb_clus_object { CSVB_CLUS_OBJECT_LIST(CSVB_OBJECT_ENUM_) };
enum csvb_clctl { CSVB_CLCTL_LIST(CSVB_CLCTL_ENUM_) };
enum csvb_clusctl { CSVB_CLUSCTL_LIST(CSVB_CLUSCTL_ENUM_) };

/* A control code's fields. */
typedef struct csvb_clusctl_fields {
    uint32_t object;                    /* CLUS_OBJECT_* (bits 24-31) */
    uint32_t function;                  /* CLCTL function number (bits 2-19) */
    uint32_t access;                    /* CLUS_ACCESS_* (bits 0-1) */
    int modify, internal, user, global; /* bits 22, 20, 21, 23 */
} csvb_clusctl_fields;

CSVB_INLINE csvb_clusctl_fields csvb_clusctl_decode(uint32_t code)
{
    csvb_clusctl_fields f;
    f.object = (code >> CSVB_CLUSCTL_OBJECT_SHIFT) & CSVB_CLUSCTL_OBJECT_MASK;
    f.function = (code >> CSVB_CLUSCTL_FUNCTION_SHIFT) & 0x3FFFFu;
    f.access = code & CSVB_CLUSCTL_ACCESS_MODE_MASK;
    f.modify = (int)((code >> CSVB_CLCTL_MODIFY_SHIFT) & 1u);
    f.internal = (int)((code >> CSVB_CLCTL_INTERNAL_SHIFT) & 1u);
    f.user = (int)((code >> CSVB_CLCTL_USER_SHIFT) & 1u);
    f.global = (int)((code >> CSVB_CLCTL_GLOBAL_SHIFT) & 1u);
    return f;
}

/* ---------------------------------------------------------------------------------------
 * CLUS_SHARED_VOLUME_BACKUP_MODE (docs/reference/cluster-formats.md section 3.1)
 * ------------------------------------------------------------------------------------- */
#define CSVB_VOLUME_BACKUP_NONE        0u /* VolumeBackupNone */
#define CSVB_VOLUME_BACKUP_IN_PROGRESS 1u /* VolumeBackupInProgress */
#define CSVB_MAX_PATH                  260u
#define CSVB_BACKUP_MODE_SIZE          528u
#define CSVB_BACKUP_MODE_STATE_OFFSET  0u
#define CSVB_BACKUP_MODE_DELAY_OFFSET  4u
#define CSVB_BACKUP_MODE_NAME_OFFSET   8u
/* \\?\Volume{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}\ : 49 characters, 50 with the NUL */
#define CSVB_VOLUME_GUID_PATH_CHARS 49u

/* The structure itself, for native engines (WCHAR is 2 bytes on Windows: same layout). */
typedef struct csvb_shared_volume_backup_mode {
    uint32_t backup_state;
    uint32_t delay_timer_secs;
    uint16_t volume_name[260];
} csvb_shared_volume_backup_mode;

CSVB_STATIC_ASSERT(sizeof(csvb_shared_volume_backup_mode) == CSVB_BACKUP_MODE_SIZE,
                   "CLUS_SHARED_VOLUME_BACKUP_MODE is 528 bytes");

/* Check results: (name, value, text). */
#define CSVB_BACKUP_MODE_ERROR_LIST(X)                                                            \
    X(OK, 0, "ok")                                                                                \
    X(TRUNCATED, 1, "shorter than the 528 bytes of a CLUS_SHARED_VOLUME_BACKUP_MODE")             \
    X(BAD_STATE, 2, "BackupState is neither VolumeBackupNone (0) nor VolumeBackupInProgress (1)") \
    X(DELAY_WITH_NONE, 3, "VolumeBackupNone requires DelayTimerInSecs 0")                         \
    X(NO_DELAY, 4, "VolumeBackupInProgress requires DelayTimerInSecs > 0")                        \
    X(EMPTY_NAME, 5, "VolumeName is empty")                                                       \
    X(UNTERMINATED_NAME, 6,                                                                       \
      "VolumeName has no NUL within its 260 WCHARs (259 characters at most)")                     \
    X(BAD_GUID_PATH, 7,                                                                           \
      "VolumeName starts with \\\\ but is not a volume GUID path "                                \
      "\\\\?\\Volume{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}\\")                                    \
    X(BAD_FRIENDLY_NAME, 8,                                                                       \
      "a friendly VolumeName is a folder name: no \\ / : * ? \" < > | "                           \
      "or control character, and no trailing space or dot")

#define CSVB_BACKUP_MODE_ENUM_(name, value, text) CSVB_BACKUP_MODE_##name = value,
enum csvb_backup_mode_error { CSVB_BACKUP_MODE_ERROR_LIST(CSVB_BACKUP_MODE_ENUM_) };

CSVB_FUNC const char *csvb_backup_mode_strerror(int code)
{
#define CSVB_BACKUP_MODE_TEXT_(name, value, text) \
case value: return text;
    switch (code) {
        CSVB_BACKUP_MODE_ERROR_LIST(CSVB_BACKUP_MODE_TEXT_)
    }
#undef CSVB_BACKUP_MODE_TEXT_
    return "unknown CLUS_SHARED_VOLUME_BACKUP_MODE error";
}

CSVB_INLINE int csvb_is_hex_unit_(uint16_t u)
{
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
}

/* Whether the `n` UTF-16LE units at p are exactly \\?\Volume{GUID}\
 * (docs/reference/cluster-formats.md section 7): "Volume" in any case, 8-4-4-4-12 hex digits in
 * either case, the braces and the final backslash. */
CSVB_FUNC int csvb_is_volume_guid_path(const uint8_t *p, size_t n)
{
    static const char head[] = "\\\\?\\volume{";
    size_t k;
    if (n != CSVB_VOLUME_GUID_PATH_CHARS)
        return 0;
    for (k = 0; k < 11u; ++k) {
        uint16_t u = csvb_load_u16(p + 2u * k);
        if (u >= 'A' && u <= 'Z')
            u = (uint16_t)(u + 32u);
        if (u != (uint16_t)head[k])
            return 0;
    }
    for (k = 11u; k < 47u; ++k) {
        uint16_t u = csvb_load_u16(p + 2u * k);
        size_t g = k - 11u; /* position inside the GUID */
        if (g == 8u || g == 13u || g == 18u || g == 23u ? u != '-' : !csvb_is_hex_unit_(u))
            return 0;
    }
    return csvb_load_u16(p + 94u) == '}' && csvb_load_u16(p + 96u) == '\\';
}

/* Check a VolumeName of `n` UTF-16LE units (no NUL among them): CSVB_BACKUP_MODE_OK or an
 * error, with the offending unit's index in *where. The rules are MSDOC's page on the
 * structure ("friendly name or \\?\Volume{GUID}\"); what a friendly name may hold is
 * Microsoft's "Naming Files, Paths, and Namespaces" for a folder name, since a CSV's friendly
 * name is its folder under C:\ClusterStorage. */
CSVB_FUNC int csvb_backup_mode_check_name(const uint8_t *p, size_t n, size_t *where)
{
    size_t k;
    uint16_t last;
    *where = 0;
    if (n == 0)
        return CSVB_BACKUP_MODE_EMPTY_NAME;
    if (n >= CSVB_MAX_PATH) {
        *where = CSVB_MAX_PATH - 1u;
        return CSVB_BACKUP_MODE_UNTERMINATED_NAME;
    }
    if (csvb_load_u16(p) == '\\')
        return csvb_is_volume_guid_path(p, n) ? CSVB_BACKUP_MODE_OK
                                              : CSVB_BACKUP_MODE_BAD_GUID_PATH;
    for (k = 0; k < n; ++k) {
        uint16_t u = csvb_load_u16(p + 2u * k);
        if (u < 0x20u || u == '\\' || u == '/' || u == ':' || u == '*' || u == '?' || u == '"'
            || u == '<' || u == '>' || u == '|') {
            *where = k;
            return CSVB_BACKUP_MODE_BAD_FRIENDLY_NAME;
        }
    }
    last = csvb_load_u16(p + 2u * (n - 1u));
    if (last == ' ' || last == '.') {
        *where = n - 1u;
        return CSVB_BACKUP_MODE_BAD_FRIENDLY_NAME;
    }
    return CSVB_BACKUP_MODE_OK;
}

/* Check a received CLUS_SHARED_VOLUME_BACKUP_MODE of `size` bytes at buf: CSVB_BACKUP_MODE_OK
 * or the first error, with its byte offset in *where. Units after the VolumeName's NUL are
 * ignored (writers zero-fill them, readers must not depend on it). On success *name_units
 * is the VolumeName's length in WCHARs, without the NUL. */
CSVB_FUNC int csvb_backup_mode_check(const uint8_t *buf, size_t size, size_t *name_units,
                                     size_t *where)
{
    uint32_t state, delay;
    size_t n, at;
    int rc;
    *where = 0;
    *name_units = 0;
    if (size < CSVB_BACKUP_MODE_SIZE) {
        *where = size;
        return CSVB_BACKUP_MODE_TRUNCATED;
    }
    state = csvb_load_u32(buf + CSVB_BACKUP_MODE_STATE_OFFSET);
    delay = csvb_load_u32(buf + CSVB_BACKUP_MODE_DELAY_OFFSET);
    if (state > CSVB_VOLUME_BACKUP_IN_PROGRESS)
        return CSVB_BACKUP_MODE_BAD_STATE;
    if (state == CSVB_VOLUME_BACKUP_NONE ? delay != 0 : delay == 0) {
        *where = CSVB_BACKUP_MODE_DELAY_OFFSET;
        return state == CSVB_VOLUME_BACKUP_NONE ? CSVB_BACKUP_MODE_DELAY_WITH_NONE
                                                : CSVB_BACKUP_MODE_NO_DELAY;
    }
    for (n = 0; n < CSVB_MAX_PATH; ++n)
        if (csvb_load_u16(buf + CSVB_BACKUP_MODE_NAME_OFFSET + 2u * n) == 0)
            break;
    rc = csvb_backup_mode_check_name(buf + CSVB_BACKUP_MODE_NAME_OFFSET, n, &at);
    *where = CSVB_BACKUP_MODE_NAME_OFFSET + 2u * at;
    if (rc == CSVB_BACKUP_MODE_OK)
        *name_units = n;
    return rc;
}

/* Write a CLUS_SHARED_VOLUME_BACKUP_MODE into the 528 bytes at out: the header, the `n`
 * UTF-16LE units of the name at name (n <= 259), its NUL and zeros to the end. No checks:
 * run csvb_backup_mode_check on the result (or the parts) first. */
CSVB_INLINE void csvb_backup_mode_write(uint8_t *out, uint32_t state, uint32_t delay,
                                        const uint8_t *name, size_t n)
{
    csvb_store_u32(out + CSVB_BACKUP_MODE_STATE_OFFSET, state);
    csvb_store_u32(out + CSVB_BACKUP_MODE_DELAY_OFFSET, delay);
    memcpy(out + CSVB_BACKUP_MODE_NAME_OFFSET, name, 2u * n);
    memset(out + CSVB_BACKUP_MODE_NAME_OFFSET + 2u * n, 0, 2u * (CSVB_MAX_PATH - n));
}

/* ---------------------------------------------------------------------------------------
 * CLUS_CSV_VOLUME_INFO (docs/reference/cluster-formats.md section 3.2; SDK ClusApi.h 5099-5106;
 * CMRP 2.2.3.18): one per CSV partition, each the data of a CLUSPROP_SYNTAX_LIST_VALUE_BINARY in
 * the value list that CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO returns (CMRP 3.1.4.3.1.48).
 * ------------------------------------------------------------------------------------- */
#define CSVB_CSV_VOLUME_INFO_SIZE             640u
#define CSVB_CSV_VOLUME_INFO_OFFSET_OFFSET    0u   /* ULARGE_INTEGER VolumeOffset */
#define CSVB_CSV_VOLUME_INFO_PARTITION_OFFSET 8u   /* DWORD PartitionNumber */
#define CSVB_CSV_VOLUME_INFO_FAULT_OFFSET     12u  /* CLUSTER_CSV_VOLUME_FAULT_STATE FaultState */
#define CSVB_CSV_VOLUME_INFO_BACKUP_OFFSET    16u  /* CLUSTER_SHARED_VOLUME_BACKUP_STATE */
#define CSVB_CSV_VOLUME_INFO_FRIENDLY_OFFSET  20u  /* WCHAR szVolumeFriendlyName[260] */
#define CSVB_CSV_VOLUME_INFO_NAME_OFFSET      540u /* WCHAR szVolumeName[50] */
#define CSVB_CSV_VOLUME_INFO_NAME_CHARS       50u

/* CLUSTER_CSV_VOLUME_FAULT_STATE (SDK ClusApi.h 5086-5092): bit flags */
#define CSVB_VOLUME_STATE_NO_FAULTS      0u
#define CSVB_VOLUME_STATE_NO_DIRECT_IO   1u
#define CSVB_VOLUME_STATE_NO_ACCESS      2u
#define CSVB_VOLUME_STATE_IN_MAINTENANCE 4u
#define CSVB_VOLUME_STATE_DISMOUNTED     8u

typedef struct csvb_csv_volume_info {
    uint64_t volume_offset; /* ULARGE_INTEGER: the struct is 8-aligned (640 = 80 x 8) */
    uint32_t partition_number;
    uint32_t fault_state;
    uint32_t backup_state;
    uint16_t volume_friendly_name[260];
    uint16_t volume_name[50];
} csvb_csv_volume_info;

CSVB_STATIC_ASSERT(sizeof(csvb_csv_volume_info) == CSVB_CSV_VOLUME_INFO_SIZE,
                   "CLUS_CSV_VOLUME_INFO is 640 bytes");
CSVB_STATIC_ASSERT(offsetof(csvb_csv_volume_info, volume_name) == CSVB_CSV_VOLUME_INFO_NAME_OFFSET,
                   "szVolumeName at 540");

#endif /* CSVBACKUP_CSV_BACKUP_H */
