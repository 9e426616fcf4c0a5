/*
 * csvbackup/filespec.h - Windows file-spec matching primitives on UTF-16 code units.
 *
 * Plain C99, no Python: a native backup engine can include this header alone.
 *
 * What a VSS requester does with a file set (path, filespec, recursive) is FindFirstFile
 * matching (docs/reference/vss-filespec.md section 2.3, DERIVED there from Microsoft's
 * guidance and BETest). This header gives the three pieces of that, on 16-bit code units:
 *
 *   csvb_fold_unit        case-insensitive comparison: simple uppercase of one UTF-16 code
 *                         unit (ASCII inline, the rest through a caller-supplied 64 Ki table)
 *   csvb_canonicalize     a Windows path in the one form csvbackup compares: '/' is '\',
 *                         "\\?\X:" is "X:", "\\?\UNC\" is "\\", doubled and trailing
 *                         separators dropped
 *   csvb_filespec_is_literal, csvb_translate_filespec, csvb_dos_match
 *                         the filespec prepared as FindFirstFileExW prepares its mask (a
 *                         literal name, or an expression with the DOS wildcards) and matched
 *                         as FsRtlIsNameInExpression matches
 *
 * FindFirstFile also matches a file's short (8.3) name, so on a volume with 8.3 names "*.htm"
 * finds "page.html" through "PAGE~1.HTM": these functions test one name; a caller that has
 * the short name tests both (csvbackup's FileSpecSet.match(short_names=...) does).
 */
#ifndef CSVBACKUP_FILESPEC_H
#define CSVBACKUP_FILESPEC_H

#include "platform.h"

/* The longest path Windows accepts (\\?\ paths), in UTF-16 code units. */
#define CSVB_PATH_MAX_UNITS 32767u
/* The longest filespec csvbackup accepts, in UTF-16 code units (NTFS names are <= 255). */
#define CSVB_FILESPEC_MAX_UNITS 1024u

/* The DOS wildcards of ntifs.h (DOS_STAR, DOS_QM, DOS_DOT), which FindFirstFileExW writes into
 * the expression it hands the file system. */
#define CSVB_DOS_STAR 0x3C /* '<' */
#define CSVB_DOS_QM   0x3E /* '>' */
#define CSVB_DOS_DOT  0x22 /* '"' */

/* Why a catalog path was not matched (one uint8 per row). */
#define CSVB_PATH_NULL         0x1u /* a null entry (Arrow validity bit clear) */
#define CSVB_PATH_HAS_NUL      0x2u /* contains U+0000 */
#define CSVB_PATH_TOO_LONG     0x4u /* longer than CSVB_PATH_MAX_UNITS code units */
#define CSVB_PATH_BAD_ENCODING 0x8u /* invalid UTF-8, or a code point above U+10FFFF */
/* its short name is not one file name (a separator, a NUL, bad encoding, over 255 units) */
#define CSVB_PATH_BAD_SHORT_NAME 0x10u

/* Simple uppercase of one UTF-16 code unit. `upcase` is a 65,536-entry table (the extension
 * builds it from Unicode's simple case mappings: a unit whose uppercase is not exactly one BMP
 * unit, and every surrogate, maps to itself); NULL folds ASCII only. */
CSVB_INLINE uint16_t csvb_fold_unit(uint16_t u, const uint16_t *upcase)
{
    if (u < 0x80)
        return (uint16_t)(u - ((u - 0x61u < 26u) ? 0x20u : 0u));
    return upcase ? upcase[u] : u;
}

CSVB_INLINE int csvb_is_sep(uint16_t u)
{
    return u == 0x5C || u == 0x2F;
}

/* Rewrite p[0, n) in place into canonical form and return the new length. The units must
 * already be folded (or at least '\\?\' and 'UNC' must be upper case as written here).
 *   '/' becomes '\';
 *   "\\?\X:" (X a letter, then '\' or the end) becomes "X:"; "\\?\UNC\" becomes "\\";
 *   a run of separators becomes one, except the two that begin a "\\" path;
 *   trailing separators are removed (a path of separators only becomes empty).
 * No '.' or '..' resolution: catalogs list real names. */
CSVB_FUNC size_t csvb_canonicalize(uint16_t *p, size_t n)
{
    size_t r = 0, w = 0;
    if (n >= 4 && csvb_is_sep(p[0]) && csvb_is_sep(p[1]) && p[2] == 0x3F && csvb_is_sep(p[3])) {
        uint16_t c = n > 4 ? (uint16_t)(p[4] & ~0x20u) : 0;
        if (n >= 6 && c >= 0x41 && c <= 0x5A && p[5] == 0x3A && (n == 6 || csvb_is_sep(p[6]))) {
            r = 4; /* \\?\X: -> X: */
        } else if (n >= 8 && (p[4] & ~0x20u) == 0x55 && (p[5] & ~0x20u) == 0x4E
                   && (p[6] & ~0x20u) == 0x43 && csvb_is_sep(p[7])) {
            p[0] = p[1] = 0x5C; /* \\?\UNC\ -> \\ */
            w = 2;
            r = 8;
        }
    }
    if (r == 0 && n >= 2 && csvb_is_sep(p[0]) && csvb_is_sep(p[1])) {
        p[0] = p[1] = 0x5C; /* keep the two separators of \\server or \\?\ */
        w = r = 2;
    }
    for (; r < n; r++) {
        uint16_t u = p[r];
        if (csvb_is_sep(u)) {
            if (w > 0 && p[w - 1] == 0x5C) /* also collapses a third one after "\\" */
                continue;
            u = 0x5C;
        }
        p[w++] = u;
    }
    while (w > 0 && p[w - 1] == 0x5C)
        w--;
    return w;
}

/* 1 when filespec f[0, n) has no wildcard ('*', '?', DOS_STAR, DOS_QM): FindFirstFile then
 * looks up one name, the filespec with its trailing '.' and ' ' removed, compared unit by unit
 * (case-insensitively) and never as a pattern (a '"' in it is a character, not DOS_DOT). */
CSVB_FUNC int csvb_filespec_is_literal(const uint16_t *f, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (f[i] == 0x2A || f[i] == 0x3F || f[i] == CSVB_DOS_STAR || f[i] == CSVB_DOS_QM)
            return 0;
    return 1;
}

/* Rewrite filespec f[0, n) into out[] (room for n units, at least 1) as FindFirstFileExW
 * prepares its mask for the file system (docs/reference/vss-filespec.md section 2.3):
 *   1. note whether the last unit is '.';
 *   2. remove every trailing '.' and ' ';
 *   3. what is left being exactly "*.*", the result is "*";
 *   4. left to right, each unit decided by the next one of the trimmed filespec: '?' becomes
 *      DOS_QM; '.' before '*' or '?' becomes DOS_DOT; '*' before '.' becomes DOS_STAR; any
 *      other unit is copied;
 *   5. if step 1 saw a final '.' and the result ends in '*', that '*' becomes DOS_STAR.
 * The empty filespec is "*" (csvbackup's convention: a file set with no filespec is every
 * file). Returns the length written: 0 for a filespec of dots and spaces only, a literal
 * that names no file. */
CSVB_FUNC size_t csvb_translate_filespec(const uint16_t *f, size_t n, uint16_t *out)
{
    size_t i, t = n, w = 0;
    int final_dot = n > 0 && f[n - 1] == 0x2E;
    if (n == 0) {
        out[0] = 0x2A;
        return 1;
    }
    while (t > 0 && (f[t - 1] == 0x2E || f[t - 1] == 0x20))
        t--;
    if (t == 3 && f[0] == 0x2A && f[1] == 0x2E && f[2] == 0x2A) {
        out[0] = 0x2A;
        return 1;
    }
    for (i = 0; i < t; i++) {
        uint16_t c = f[i], next = i + 1 < t ? f[i + 1] : 0;
        if (c == 0x3F)
            c = CSVB_DOS_QM;
        else if (c == 0x2E && (next == 0x2A || next == 0x3F))
            c = CSVB_DOS_DOT;
        else if (c == 0x2A && next == 0x2E)
            c = CSVB_DOS_STAR;
        out[w++] = c;
    }
    if (final_dot && w > 0 && out[w - 1] == 0x2A)
        out[w - 1] = CSVB_DOS_STAR;
    return w;
}

/* 1 when the prepared, folded expression e[0, m) matches the folded name s[0, k).
 * `states` is scratch for 2 * (m + 1) bytes. FsRtlIsNameInExpression's semantics, from its
 * documentation and the behaviour recorded on Windows (docs/reference/vss-filespec.md
 * section 2.3); an empty name matches only an empty expression:
 *   '*'      zero or more units;
 *   '?'      exactly one unit;
 *   DOS_STAR zero or more units; it may take the name's last '.', but only as the last unit
 *            it takes;
 *   DOS_QM   one unit other than '.'; nothing at a '.' or at the end of the name;
 *   DOS_DOT  a '.', or nothing at the end of the name;
 *   other    exactly one equal unit.
 * One more rule of the state machine: when, at the name's last unit, the expression's rest
 * can be skipped without taking a unit (DOS_QM and DOS_DOT may skip only at a '.'), that last
 * unit counts as matched: "a>" matches "a.", ">" matches ".".
 * It runs the expression as an NFA: O(k * m), no recursion. */
CSVB_FUNC int csvb_dos_match(const uint16_t *e, size_t m, const uint16_t *s, size_t k,
                             uint8_t *states)
{
    uint8_t *cur = states, *nxt = states + m + 1, *t;
    size_t i, j, last_dot = (size_t)-1;
    if (k == 0)
        return m == 0;
    for (j = 0; j < k; j++)
        if (s[j] == 0x2E)
            last_dot = j;
    for (i = 0; i <= m; i++)
        cur[i] = 0;
    cur[0] = 1;
    for (j = 0;; j++) {
        int at_end = j == k, at_dot = !at_end && s[j] == 0x2E, skipped_to_end = 0;
        /* moves that take no unit (forward only, so one ascending pass closes the set) */
        for (i = 0; i < m; i++) {
            uint16_t x;
            if (!cur[i])
                continue;
            x = e[i];
            if (x == 0x2A || x == CSVB_DOS_STAR || (x == CSVB_DOS_QM && (at_end || at_dot))
                || (x == CSVB_DOS_DOT && at_end)) {
                cur[i + 1] = 1;
                skipped_to_end |= i + 1 == m;
            }
        }
        if (at_end)
            return cur[m];
        {
            uint16_t c = s[j];
            int any = 0, last = at_dot && j == last_dot;
            for (i = 0; i <= m; i++)
                nxt[i] = 0;
            for (i = 0; i < m; i++) {
                uint16_t x;
                if (!cur[i])
                    continue;
                x = e[i];
                if (x == 0x2A) {
                    nxt[i] = 1;
                } else if (x == CSVB_DOS_STAR) {
                    nxt[i + last] = 1; /* the last '.' ends the star's run */
                } else if (x == CSVB_DOS_QM) {
                    if (!at_dot)
                        nxt[i + 1] = 1;
                } else if (x == CSVB_DOS_DOT) {
                    if (at_dot)
                        nxt[i + 1] = 1;
                } else if (x == 0x3F || x == c) {
                    nxt[i + 1] = 1;
                }
            }
            if (skipped_to_end)
                nxt[m] = 1;
            for (i = 0; i <= m; i++)
                any |= nxt[i];
            if (!any)
                return 0;
            t = cur;
            cur = nxt;
            nxt = t;
        }
    }
}

#endif /* CSVBACKUP_FILESPEC_H */
