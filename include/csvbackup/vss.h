/*
 * csvbackup/vss.h - VSS file-spec constants and the copy/snapshot decision kernel.
 *
 * Plain C99, no Python: a native backup engine can include this header alone.
 *
 * Constants: VSS_FILE_SPEC_BACKUP_TYPE, VSS_BACKUP_TYPE and VSS_BACKUP_SCHEMA with exactly the
 * values of Windows' <vss.h> (checked against mingw-w64's vss.h by CI). On _WIN32 the real
 * <vss.h> is included instead of redefining them; define CSVBACKUP_NO_WINDOWS_HEADERS to get
 * the csvbackup definitions there too.
 *
 * Kernel: csvb_decide_row() decides one catalogued file; csvb_classify_span() decides a range
 * of rows (branch-free, written so compilers vectorise it; split the row range across threads
 * yourself, every row is independent). The rules are those of docs/reference/spec-pages.md section
 * 5 and docs/reference/vss-filespec.md section 0 - see csvb_decide_row() for the citations.
 */
#ifndef CSVBACKUP_VSS_H
#define CSVBACKUP_VSS_H

#include "platform.h"

/* ---------------------------------------------------------------------------------------
 * Windows constants, one (name, value) list per enumeration. The lists are the single source
 * of the values: they build the enums below off Windows, and CI's cross-compile expands them
 * against the real <vss.h> to static-assert that every value matches.
 * Source: mingw-w64 vss.h (generated from vss.idl), lines 172-180, 241-253, 256-273.
 * ------------------------------------------------------------------------------------- */
#define CSVB_VSS_FILE_SPEC_BACKUP_TYPE_LIST(X)        \
    X(VSS_FSBT_FULL_BACKUP_REQUIRED, 0x1)             \
    X(VSS_FSBT_DIFFERENTIAL_BACKUP_REQUIRED, 0x2)     \
    X(VSS_FSBT_INCREMENTAL_BACKUP_REQUIRED, 0x4)      \
    X(VSS_FSBT_LOG_BACKUP_REQUIRED, 0x8)              \
    X(VSS_FSBT_FULL_SNAPSHOT_REQUIRED, 0x100)         \
    X(VSS_FSBT_DIFFERENTIAL_SNAPSHOT_REQUIRED, 0x200) \
    X(VSS_FSBT_INCREMENTAL_SNAPSHOT_REQUIRED, 0x400)  \
    X(VSS_FSBT_LOG_SNAPSHOT_REQUIRED, 0x800)          \
    X(VSS_FSBT_CREATED_DURING_BACKUP, 0x10000)        \
    X(VSS_FSBT_ALL_BACKUP_REQUIRED, 0xf)              \
    X(VSS_FSBT_ALL_SNAPSHOT_REQUIRED, 0xf00)

#define CSVB_VSS_BACKUP_TYPE_LIST(X) \
    X(VSS_BT_UNDEFINED, 0)           \
    X(VSS_BT_FULL, 1)                \
    X(VSS_BT_INCREMENTAL, 2)         \
    X(VSS_BT_DIFFERENTIAL, 3)        \
    X(VSS_BT_LOG, 4)                 \
    X(VSS_BT_COPY, 5)                \
    X(VSS_BT_OTHER, 6)

#define CSVB_VSS_BACKUP_SCHEMA_LIST(X)                 \
    X(VSS_BS_UNDEFINED, 0x0)                           \
    X(VSS_BS_DIFFERENTIAL, 0x1)                        \
    X(VSS_BS_INCREMENTAL, 0x2)                         \
    X(VSS_BS_EXCLUSIVE_INCREMENTAL_DIFFERENTIAL, 0x4)  \
    X(VSS_BS_LOG, 0x8)                                 \
    X(VSS_BS_COPY, 0x10)                               \
    X(VSS_BS_TIMESTAMPED, 0x20)                        \
    X(VSS_BS_LAST_MODIFY, 0x40)                        \
    X(VSS_BS_LSN, 0x80)                                \
    X(VSS_BS_WRITER_SUPPORTS_NEW_TARGET, 0x100)        \
    X(VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE, 0x200) \
    X(VSS_BS_INDEPENDENT_SYSTEM_STATE, 0x400)          \
    X(VSS_BS_ROLLFORWARD_RESTORE, 0x1000)              \
    X(VSS_BS_RESTORE_RENAME, 0x2000)                   \
    X(VSS_BS_AUTHORITATIVE_RESTORE, 0x4000)            \
    X(VSS_BS_WRITER_SUPPORTS_PARALLEL_RESTORES, 0x8000)

#if defined(_WIN32) && !defined(CSVBACKUP_NO_WINDOWS_HEADERS)
#  include <windows.h>
#  include <vss.h>
#else
#  define CSVB_ENUM_ITEM_(name, value) name = value,
typedef enum _VSS_FILE_SPEC_BACKUP_TYPE {
    CSVB_VSS_FILE_SPEC_BACKUP_TYPE_LIST(CSVB_ENUM_ITEM_)
} VSS_FILE_SPEC_BACKUP_TYPE;
typedef enum _VSS_FILE_SPEC_BACKUP_TYPE *PVSS_FILE_SPEC_BACKUP_TYPE;

typedef enum _VSS_BACKUP_TYPE { CSVB_VSS_BACKUP_TYPE_LIST(CSVB_ENUM_ITEM_) } VSS_BACKUP_TYPE;
typedef enum _VSS_BACKUP_TYPE *PVSS_BACKUP_TYPE;

typedef enum _VSS_BACKUP_SCHEMA { CSVB_VSS_BACKUP_SCHEMA_LIST(CSVB_ENUM_ITEM_) } VSS_BACKUP_SCHEMA;
typedef enum _VSS_BACKUP_SCHEMA *PVSS_BACKUP_SCHEMA;
#  undef CSVB_ENUM_ITEM_
#endif

/* ---------------------------------------------------------------------------------------
 * csvbackup's own constants
 * ------------------------------------------------------------------------------------- */

/* Every bit a VSS_FILE_SPEC_BACKUP_TYPE mask may carry: ALL_BACKUP | ALL_SNAPSHOT |
 * CREATED_DURING_BACKUP. Anything else in a mask is invalid input. */
#define CSVB_VALID_MASK_BITS 0x10F0Fu
/* The mask a file set gets when its writer gives none (docs/reference/spec-pages.md section 5,
 * Remarks). */
#define CSVB_DEFAULT_FILESPEC_MASK 0xF0Fu
/* Bits an express writer may not use (docs/reference/spec-pages.md section 5; VSS_E_NOT_SUPPORTED
 * otherwise). */
#define CSVB_EXPRESS_FORBIDDEN_BITS 0xEu

/* Decision: one uint8 per file. */
#define CSVB_DECISION_COPY                  0x01u /* copy the whole file */
#define CSVB_DECISION_SNAPSHOT              0x02u /* from the shadow copy, not the live volume */
#define CSVB_DECISION_PARTIAL               0x04u /* copy only the writer's byte ranges */
#define CSVB_DECISION_EXCLUDED              0x08u /* a writer excludes it: never copied */
#define CSVB_DECISION_CREATED_DURING_BACKUP 0x10u /* may not exist before the snapshot */
#define CSVB_DECISION_BY_MTIME              0x20u /* copied: changed since the threshold */

/* Entry flags: what the writer's Backup Components Document says of a file. */
#define CSVB_ENTRY_EXCLUDED    0x1u /* matches a writer exclude */
#define CSVB_ENTRY_DIFFERENCED 0x2u /* AddDifferencedFilesByLastModifyTime */
#define CSVB_ENTRY_PARTIAL     0x4u /* AddPartialFile */
#define CSVB_ENTRY_ALL         0x7u

/* "No time given" for `since`. Valid FILETIMEs are >= 0. */
#define CSVB_NO_TIME ((int64_t)-1)

/* Status bits returned by the kernels: why some row was invalid. Zero = every row valid.
 * Find the first offending row with csvb_find_status(). */
#define CSVB_STATUS_BAD_MASK            0x01u /* mask has bits outside CSVB_VALID_MASK_BITS */
#define CSVB_STATUS_BAD_TYPE            0x02u /* backup type not in VSS_BT_FULL..VSS_BT_OTHER */
#define CSVB_STATUS_BAD_ENTRY           0x04u /* entry flags outside CSVB_ENTRY_ALL */
#define CSVB_STATUS_NEGATIVE_MTIME      0x08u /* negative FILETIME */
#define CSVB_STATUS_NEGATIVE_DIFF_SINCE 0x10u /* negative differenced_since */
#define CSVB_STATUS_NEEDS_SINCE         0x20u /* row needs `since` and none was given */
#define CSVB_STATUS_NEEDS_MTIME         0x40u /* row needs its mtime and none was given */

/* ---------------------------------------------------------------------------------------
 * Effective backup type
 * ------------------------------------------------------------------------------------- */

/* The backup type a requester applies to one writer's data: the requested type when the
 * writer's VSS_BACKUP_SCHEMA supports it, else VSS_BT_FULL ("the requester will always
 * perform a full (VSS_BT_FULL) backup on that writer's data", sdk-api vss_backup_type;
 * reference vss-filespec.md section 0). FULL and OTHER need no schema bit. Returns
 * VSS_BT_UNDEFINED (0) for a requested type outside FULL..OTHER. Branch-free. */
CSVB_INLINE uint32_t csvb_effective_backup_type(uint32_t requested, uint32_t schema)
{
    /* byte t of the table = the schema bit type t needs: INCREMENTAL(2) 0x2,
     * DIFFERENTIAL(3) 0x1, LOG(4) 0x8, COPY(5) 0x10 */
    const uint64_t need_table = 0x0000100801020000ull;
    uint32_t valid = (uint32_t)(requested - 1u < 6u);
    uint32_t need = (uint32_t)(need_table >> ((requested & 7u) * 8u)) & 0xFFu;
    uint32_t supported = (uint32_t)(need == 0u) | (uint32_t)((schema & need) != 0u);
    uint32_t eff = supported ? requested : 1u;
    return valid ? eff : 0u;
}

/* "Backup required" bit of VSS_FILE_SPEC_BACKUP_TYPE for effective type t (0 for OTHER,
 * which copies regardless of the mask): FULL 0x1, INCREMENTAL 0x4, DIFFERENTIAL 0x2, LOG 0x8,
 * COPY 0x1 ("like the VSS_BT_FULL backup type", VSS Backup State; docs/reference/vss-filespec.md
 * section 0, DERIVED). The snapshot bit is this bit shifted left by 8. Written as compares, not a
 * table shift: SSE4 has no per-lane variable shift, and this form vectorises on every x86-64
 * level. */
CSVB_INLINE uint32_t csvb_copy_bit(uint32_t t)
{
    return ((uint32_t)(t == 1u) | (uint32_t)(t == 5u)) | ((uint32_t)(t == 3u) << 1)
           | ((uint32_t)(t == 2u) << 2) | ((uint32_t)(t == 4u) << 3);
}

/* ---------------------------------------------------------------------------------------
 * The decision for one file
 * ------------------------------------------------------------------------------------- */

/* The rule, on one file whose time comparisons are already made. Returns the
 * CSVB_DECISION_* bits; *uses_since and *uses_mtime say whether the answer depended on
 * `since` and on the mtime (so a caller that had none can report the row).
 *
 *   mask          VSS_FILE_SPEC_BACKUP_TYPE mask (bits outside 0x10F0F are ignored here)
 *   type          effective VSS_BACKUP_TYPE, 1..6
 *   entry         CSVB_ENTRY_* flags
 *   ge_threshold  1 if mtime >= the differenced-file threshold (0 = `since`)
 *   ge_since      1 if mtime >= since
 *   threshold_is_since  1 if the differenced-file threshold is 0
 *
 * Rules, in the order of "Requester Role in VSS Incremental and Differential Backups"
 * ("process (in order) all of a writer's differenced files, then handle any partial file
 * requests, and then back up remaining files according to their file specification backup
 * type"); reference vss-filespec.md section 0:
 *  1. An excluded file is EXCLUDED only ("The exclude file list takes precedence").
 *  2. A differenced file is copied iff mtime >= threshold (inclusive, as BETest's
 *     CompareFileTime(...) >= 0); a zero threshold means `since` (section 3.1).
 *  3. A partial file copies only its ranges; a file both partial and differenced is a writer
 *     error and follows the differenced entry (section 0, item 3).
 *  4. Otherwise the mask: the copy bit of the effective type set -> copy. Clear: FULL, COPY
 *     and LOG skip the file; INCREMENTAL and DIFFERENTIAL copy it iff mtime >= since, the
 *     requester's own change tracking (the conservative reading of what the docs leave open:
 *     section 0 item 4, DERIVED). OTHER always copies (BETest's needsBackingUp default).
 *  SNAPSHOT: on every copied or partial file whose mask has the snapshot bit of the effective
 *  type (OTHER: always, BETest's needsSnapshot default). CREATED_DURING_BACKUP: mask 0x10000.
 *
 * Written in 8-bit quantities on purpose: the batch loop then vectorises in byte lanes, with
 * no shuffling between 64-, 32- and 8-bit lanes (about 15% faster at memory-bound sizes). */
CSVB_INLINE uint8_t csvb_rule(uint32_t mask, uint8_t type, uint8_t entry, uint8_t ge_threshold,
                              uint8_t ge_since, uint8_t threshold_is_since, uint8_t *uses_since,
                              uint8_t *uses_mtime)
{
    const uint8_t lo = (uint8_t)mask, mid = (uint8_t)(mask >> 8), hi = (uint8_t)(mask >> 16);
    const uint8_t copy_bit = (uint8_t)csvb_copy_bit(type); /* snapshot bit: the same, in mid */
    const uint8_t other = (uint8_t)(type == 6u);
    const uint8_t incr_or_diff = (uint8_t)((uint8_t)(type - 2u) < 2u);

    const uint8_t excluded = entry & 1u;
    const uint8_t differenced = (entry >> 1) & 1u;
    const uint8_t partial = (uint8_t)((entry >> 2) & 1u & (differenced ^ 1u));
    const uint8_t by_mask = (uint8_t)((differenced | partial) ^ 1u);

    const uint8_t diff_copy = differenced & ge_threshold;
    const uint8_t mask_copy = (uint8_t)(other | (uint8_t)((lo & copy_bit) != 0u));
    const uint8_t mtime_rule = (uint8_t)(by_mask & incr_or_diff & (mask_copy ^ 1u));
    const uint8_t mtime_copy = mtime_rule & ge_since;

    const uint8_t copy = (uint8_t)(diff_copy | (by_mask & (mask_copy | mtime_copy)));
    const uint8_t snapshot =
        (uint8_t)((copy | partial) & (other | (uint8_t)((mid & copy_bit) != 0u)));
    const uint8_t decision = (uint8_t)(copy | (snapshot << 1) | (partial << 2) | ((hi & 1u) << 4)
                                       | ((diff_copy | mtime_copy) << 5));
    const uint8_t included = excluded ^ 1u;

    *uses_since = (uint8_t)(included & ((differenced & threshold_is_since) | mtime_rule));
    *uses_mtime = (uint8_t)(included & (differenced | mtime_rule));
    /* excluded rows: EXCLUDED alone (excluded - 1 is all ones when not excluded) */
    return (uint8_t)((decision & (uint8_t)(excluded - 1u)) | (excluded << 3));
}

/* Bits of a mask that no VSS_FILE_SPEC_BACKUP_TYPE combination has, as one byte per row
 * (nonzero = invalid): cheaper in byte lanes than a 32-bit test. */
CSVB_INLINE uint8_t csvb_mask_junk(uint32_t mask)
{
    return (uint8_t)(((uint8_t)mask & 0xF0u) | ((uint8_t)(mask >> 8) & 0xF0u)
                     | ((uint8_t)(mask >> 16) & 0xFEu) | (uint8_t)(mask >> 24));
}

/* Decide one catalogued file. Returns the CSVB_DECISION_* bits and ORs the CSVB_STATUS_*
 * bits of this row into *status (a nonzero status means the decision is meaningless).
 *
 *   mask              the file set's VSS_FILE_SPEC_BACKUP_TYPE mask
 *   type              effective VSS_BACKUP_TYPE (see csvb_effective_backup_type)
 *   entry             CSVB_ENTRY_* flags
 *   mtime             last-modify FILETIME (ignored when have_mtime is 0)
 *   differenced_since the differenced-file threshold; 0 = the requester's own `since`
 *   since             the requester's reference time, or CSVB_NO_TIME
 *
 * The rules are those of csvb_rule(). */
CSVB_INLINE uint32_t csvb_decide_row(uint32_t mask, uint32_t type, uint32_t entry, int64_t mtime,
                                     int64_t differenced_since, int64_t since, uint32_t have_mtime,
                                     uint32_t *status)
{
    const uint8_t threshold_is_since = (uint8_t)(differenced_since == 0);
    const int64_t threshold = threshold_is_since ? since : differenced_since;
    uint8_t uses_since, uses_mtime;
    /* a type that does not fit a byte is invalid: decide it as 0, as the batch kernels do */
    const uint8_t decision = csvb_rule(mask, (uint8_t)(type > 0xFFu ? 0u : type), (uint8_t)entry,
                                       (uint8_t)(mtime >= threshold), (uint8_t)(mtime >= since),
                                       threshold_is_since, &uses_since, &uses_mtime);
    *status |=
        (uint32_t)(csvb_mask_junk(mask) != 0u) | ((uint32_t)(type - 1u >= 6u) << 1)
        | ((uint32_t)((entry & ~CSVB_ENTRY_ALL) != 0u) << 2)
        | ((uint32_t)(have_mtime && mtime < 0) << 3) | ((uint32_t)(differenced_since < 0) << 4)
        | ((uint32_t)(uses_since && since < 0) << 5) | ((uint32_t)(uses_mtime && !have_mtime) << 6);
    return decision;
}

/* ---------------------------------------------------------------------------------------
 * The decision for a range of rows
 * ------------------------------------------------------------------------------------- */

/* Inputs of a batch. A per-row pointer may be NULL: the matching scalar applies to every row
 * (types -> type, entries -> 0, differenced_since -> differenced_since0). mtimes may be NULL
 * when no row needs one (rows that do are reported as CSVB_STATUS_NEEDS_MTIME). Arrays are
 * contiguous and must not overlap `out`. */
typedef struct csvb_classify_args {
    const uint32_t *masks;            /* VSS_FILE_SPEC_BACKUP_TYPE per row (required) */
    const uint8_t *types;             /* effective VSS_BACKUP_TYPE per row, or NULL */
    const uint8_t *entries;           /* CSVB_ENTRY_* per row, or NULL */
    const int64_t *mtimes;            /* FILETIME per row, or NULL */
    const int64_t *differenced_since; /* FILETIME per row, or NULL */
    uint8_t *out;                     /* CSVB_DECISION_* per row (required) */
    uint32_t type;                    /* used when types is NULL */
    int64_t differenced_since0;       /* used when differenced_since is NULL */
    int64_t since;                    /* the requester's reference time, or CSVB_NO_TIME */
} csvb_classify_args;

/* One loop; the four flags are compile-time constants at every call below, so each call
 * becomes its own specialised (and vectorised) loop. Validity is accumulated as raw ORs
 * (cheaper than per-row status bits) and turned into CSVB_STATUS_* bits at the end. */
CSVB_INLINE uint32_t csvb_classify_span_(const csvb_classify_args *a, size_t begin, size_t end,
                                         int types_vary, int have_entries, int have_mtimes,
                                         int diff_since_vary)
{
    const uint32_t *CSVB_RESTRICT masks = a->masks;
    const uint8_t *CSVB_RESTRICT types = a->types;
    const uint8_t *CSVB_RESTRICT entries = a->entries;
    const int64_t *CSVB_RESTRICT mtimes = a->mtimes;
    const int64_t *CSVB_RESTRICT diff_since = a->differenced_since;
    uint8_t *CSVB_RESTRICT out = a->out;
    const uint8_t type0 = (uint8_t)(a->type > 0xFFu ? 0u : a->type);
    const int64_t diff_since0 = a->differenced_since0;
    const int64_t since = a->since;
    uint64_t neg_mtime = 0, neg_diff_since = diff_since_vary ? 0 : (uint64_t)diff_since0;
    uint8_t junk = 0, bad_type = 0, bad_entry = 0, any_uses_since = 0, any_uses_mtime = 0;
    size_t i;

    for (i = begin; i < end; ++i) {
        const uint32_t mask = masks[i];
        const uint8_t t = types_vary ? types[i] : type0;
        const uint8_t e = have_entries ? entries[i] : (uint8_t)0;
        const int64_t mt = have_mtimes ? mtimes[i] : 0;
        const int64_t ds = diff_since_vary ? diff_since[i] : diff_since0;
        const uint8_t threshold_is_since = (uint8_t)(ds == 0);
        const int64_t threshold = ds == 0 ? since : ds;
        uint8_t uses_since, uses_mtime;
        out[i] = csvb_rule(mask, t, e, (uint8_t)(mt >= threshold), (uint8_t)(mt >= since),
                           threshold_is_since, &uses_since, &uses_mtime);
        junk |= csvb_mask_junk(mask);
        if (types_vary)
            bad_type |= (uint8_t)((uint8_t)(t - 1u) >= 6u);
        if (have_entries)
            bad_entry |= (uint8_t)(e & (uint8_t)~CSVB_ENTRY_ALL);
        if (have_mtimes)
            neg_mtime |= (uint64_t)mt;
        if (diff_since_vary)
            neg_diff_since |= (uint64_t)ds;
        any_uses_since |= uses_since;
        if (!have_mtimes)
            any_uses_mtime |= uses_mtime;
    }
    if (begin >= end)
        return 0;
    return (uint32_t)(junk != 0u)
           | ((uint32_t)(bad_type != 0u || (!types_vary && a->type - 1u >= 6u)) << 1)
           | ((uint32_t)(bad_entry != 0u) << 2) | ((uint32_t)(neg_mtime >> 63) << 3)
           | ((uint32_t)(neg_diff_since >> 63) << 4)
           | ((uint32_t)(any_uses_since != 0u && since < 0) << 5)
           | ((uint32_t)(any_uses_mtime != 0u) << 6);
}

/* Returns SPAN_(a, begin, end, TV, HE, HM, DV) with the four flags as constants that match
 * a's inputs: one specialised loop per combination. */
#define CSVB_DISPATCH_SPAN(SPAN_, a, begin, end)                                   \
    do {                                                                           \
        const int tv_ = (a)->types != NULL, he_ = (a)->entries != NULL;            \
        const int hm_ = (a)->mtimes != NULL, dv_ = (a)->differenced_since != NULL; \
        switch (tv_ << 3 | he_ << 2 | hm_ << 1 | dv_) {                            \
        case 0: return SPAN_(a, begin, end, 0, 0, 0, 0);                           \
        case 1: return SPAN_(a, begin, end, 0, 0, 0, 1);                           \
        case 2: return SPAN_(a, begin, end, 0, 0, 1, 0);                           \
        case 3: return SPAN_(a, begin, end, 0, 0, 1, 1);                           \
        case 4: return SPAN_(a, begin, end, 0, 1, 0, 0);                           \
        case 5: return SPAN_(a, begin, end, 0, 1, 0, 1);                           \
        case 6: return SPAN_(a, begin, end, 0, 1, 1, 0);                           \
        case 7: return SPAN_(a, begin, end, 0, 1, 1, 1);                           \
        case 8: return SPAN_(a, begin, end, 1, 0, 0, 0);                           \
        case 9: return SPAN_(a, begin, end, 1, 0, 0, 1);                           \
        case 10: return SPAN_(a, begin, end, 1, 0, 1, 0);                          \
        case 11: return SPAN_(a, begin, end, 1, 0, 1, 1);                          \
        case 12: return SPAN_(a, begin, end, 1, 1, 0, 0);                          \
        case 13: return SPAN_(a, begin, end, 1, 1, 0, 1);                          \
        case 14: return SPAN_(a, begin, end, 1, 1, 1, 0);                          \
        default: return SPAN_(a, begin, end, 1, 1, 1, 1);                          \
        }                                                                          \
    } while (0)

/* Decide rows [begin, end) into a->out; returns the OR of the rows' CSVB_STATUS_* bits. */
CSVB_INLINE uint32_t csvb_classify_span(const csvb_classify_args *a, size_t begin, size_t end)
{
    CSVB_DISPATCH_SPAN(csvb_classify_span_, a, begin, end);
}

/* The first row in [begin, end) whose status has any of `bits`, or `end` if none. Used after
 * a nonzero status to name the offending row; scalar, for the error path only. */
CSVB_INLINE size_t csvb_find_status(const csvb_classify_args *a, size_t begin, size_t end,
                                    uint32_t bits)
{
    size_t i;
    for (i = begin; i < end; ++i) {
        uint32_t st = 0;
        uint32_t t = a->types ? (uint32_t)a->types[i] : a->type;
        uint32_t e = a->entries ? (uint32_t)a->entries[i] : 0u;
        int64_t mt = a->mtimes ? a->mtimes[i] : 0;
        int64_t ds = a->differenced_since ? a->differenced_since[i] : a->differenced_since0;
        (void)csvb_decide_row(a->masks[i], t, e, mt, ds, a->since, (uint32_t)(a->mtimes != NULL),
                              &st);
        if (st & bits)
            return i;
    }
    return end;
}

/* Masks that are not valid VSS_FILE_SPEC_BACKUP_TYPE combinations: bits outside
 * CSVB_VALID_MASK_BITS, and with `express` also the bits express writers may not use. */
CSVB_INLINE uint32_t csvb_invalid_mask_bits(int express)
{
    return ~CSVB_VALID_MASK_BITS | (express ? CSVB_EXPRESS_FORBIDDEN_BITS : 0u);
}

/* How many of masks[0..n) are invalid (vectorisable: the common all-valid case is one pass). */
CSVB_INLINE size_t csvb_count_invalid_masks(const uint32_t *CSVB_RESTRICT masks, size_t n,
                                            int express)
{
    const uint32_t bad = csvb_invalid_mask_bits(express);
    size_t i, k = 0;
    for (i = 0; i < n; ++i)
        k += (size_t)((masks[i] & bad) != 0u);
    return k;
}

/* Writes the indices of the first `cap` invalid masks to idx; returns how many there are. */
CSVB_INLINE size_t csvb_find_invalid_masks(const uint32_t *CSVB_RESTRICT masks, size_t n,
                                           int express, size_t *CSVB_RESTRICT idx, size_t cap)
{
    const uint32_t bad = csvb_invalid_mask_bits(express);
    size_t i, k = 0;
    for (i = 0; i < n; ++i) {
        if (masks[i] & bad) {
            if (k < cap)
                idx[k] = i;
            ++k;
        }
    }
    return k;
}

#endif /* CSVBACKUP_VSS_H */
