/*
 * specset.h - file-spec sets and CSV mount maps, compiled once, matched against string columns.
 *
 * Internal to csvbackup._csvcore (the facade is csvbackup/filespec.py and volume_map.py); the
 * per-name and per-path rules are the public csvbackup/filespec.h. The contract is written out
 * in the FileSpecSet docstring (csvbackup/filespec.py).
 */
#ifndef CSVBACKUP_SRC_SPECSET_H
#define CSVBACKUP_SRC_SPECSET_H

#include "csvbackup/filespec.h"

enum { CSVB_ROLE_INCLUDE = 0, CSVB_ROLE_EXCLUDE = 1, CSVB_ROLE_SNAPSHOT_EXCLUDE = 2 };

/* One file set as the facade hands it over: paths already %VAR%-expanded and, for
 * volume-relative specs, already joined to a volume root; filespec as the writer wrote it. */
typedef struct {
    const uint16_t *dir; /* the directory files are matched under (the alternate path
                                    for an include that has one) */
    size_t dir_len;
    const uint16_t *filespec;
    size_t filespec_len;
    const uint16_t
        *default_dir; /* includes with an alternate path: their default path; else NULL */
    size_t default_dir_len;
    uint32_t index; /* reported in `spec` (includes) */
    uint32_t mask;
    uint8_t role; /* CSVB_ROLE_* */
    uint8_t recursive;
} csvb_spec_in;

/* A column of strings, read in place. */
enum {
    CSVB_STR_UTF8_I32 = 1, /* Arrow string: int32 offsets + UTF-8 data (+ validity bitmap) */
    CSVB_STR_UTF8_I64 = 2, /* Arrow large_string: int64 offsets */
    CSVB_STR_UCS4 = 3,     /* numpy 'U': fixed itemsize, UCS-4, trailing NULs are padding */
    CSVB_STR_PYSTR = 4     /* Python str objects: data pointer, length, PyUnicode kind 1/2/4 */
};

typedef struct {
    int kind;
    const uint8_t *validity; /* Arrow validity bitmap or NULL (all valid) */
    int64_t offset;          /* Arrow array offset: row i is element offset + i */
    const void *offsets;     /* Arrow offsets buffer */
    const uint8_t *data;     /* Arrow data buffer, or the numpy array's first byte */
    size_t data_len;         /* Arrow: bytes in the data buffer (offsets beyond it are flagged) */
    size_t itemsize;         /* numpy: bytes per row */
    const void *const *ptrs; /* PYSTR: PyUnicode_DATA of each row (NULL = null row) */
    const int64_t *lens;     /* PYSTR: code points per row */
    const uint8_t *kinds;    /* PYSTR: 0 (ASCII), 1 (Latin-1), 2 (UCS-2) or 4 (UCS-4) */
} csvb_strings;

typedef struct {
    uint32_t *mask;
    int32_t *spec;
    uint8_t *excluded;
    uint8_t *not_in_snapshot;
    uint8_t *status; /* CSVB_PATH_* bits */
} csvb_match_out;

typedef struct csvb_specset csvb_specset;

/* Build a set from n specs. `upcase` (65,536 units) must outlive the set. On failure returns
 * NULL and sets *bad to the offending spec's position in `specs` (or (size_t)-1 when out of
 * memory); *why to a CSVB_SPEC_* reason. */
enum {
    CSVB_SPEC_OK = 0,
    CSVB_SPEC_NOMEM = 1,
    CSVB_SPEC_EMPTY_DIR = 2,
    CSVB_SPEC_LONG_FILESPEC = 3,
    CSVB_SPEC_DUPLICATE_MOUNT = 4
};
csvb_specset *csvb_specset_build(const csvb_spec_in *specs, size_t n, const uint16_t *upcase,
                                 size_t *bad, int *why);

void csvb_specset_free(csvb_specset *s);

/* Rows [0, n) of `src`, on up to nthreads threads. Every output row is written. Returns 0,
 * or -1 when a thread's scratch memory could not be allocated (outputs then undefined).
 * `shorts` (NULL: none) holds each row's 8.3 short name: FindFirstFile matches a file when
 * its long or its short name matches, so a file set claims a row when either does. A null
 * or empty short name is none; one that is not a single file name makes the row's status
 * CSVB_PATH_BAD_SHORT_NAME and leaves it unmatched. */
int csvb_specset_match(const csvb_specset *s, const csvb_strings *src, const csvb_strings *shorts,
                       size_t n, const csvb_match_out *out, int nthreads);

/* Statistics for tests and benchmarks: distinct directories and file-name keys. */
size_t csvb_specset_dirs(const csvb_specset *s);
size_t csvb_specset_exact_names(const csvb_specset *s);

typedef struct csvb_mountmap csvb_mountmap;

/* A mount map: n directories, each naming the CSV index[i]. The failure contract of
 * csvb_specset_build; a directory given twice for different indexes is
 * CSVB_SPEC_DUPLICATE_MOUNT. */
csvb_mountmap *csvb_mountmap_build(const uint16_t *const *dirs, const size_t *lens,
                                   const int32_t *index, size_t n, const uint16_t *upcase,
                                   size_t *bad, int *why);

void csvb_mountmap_free(csvb_mountmap *m);

/* Index of the deepest mount holding each row, -1 for none or an invalid row; with `status`,
 * each row's CSVB_PATH_* status. Threads and failure as csvb_specset_match. */
int csvb_mountmap_lookup(const csvb_mountmap *m, const csvb_strings *src, size_t n, int32_t *out,
                         uint8_t *status, int nthreads);

/* Distinct mount points. */
size_t csvb_mountmap_dirs(const csvb_mountmap *m);

/* Units a row buffer needs: the path, then scratch for narrowing UCS-2/UCS-4 rows. */
#define CSVB_LOAD_UNITS (2u * CSVB_PATH_MAX_UNITS + 32u)

/* One path through the same loader the batch uses: folded, canonical units into out[] (room
 * for CSVB_LOAD_UNITS), length in *len. Returns the CSVB_PATH_* status. */
unsigned csvb_load_path(const csvb_strings *src, size_t i, const uint16_t *upcase, uint16_t *out,
                        size_t *len);

#endif
