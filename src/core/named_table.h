/*
 * named_table.h - a public header's X-list as a C table of (name, value, in mingw-w64) rows,
 * which the Cython core turns into Python enums and constants: the C compiler, not a second
 * copy in Python, gives every value. Internal to the core (src/core/includes/internal/
 * named_table.pxd declares it).
 *
 * Each table names its rows with an adapter of its X-list's arity that stringifies the name
 * itself ({#name, value, in_mingw}), so a name that is also a macro (ERROR_MORE_DATA, with
 * Windows' winerror.h included) is kept as written.
 */
#ifndef CSVBACKUP_CORE_NAMED_TABLE_H
#define CSVBACKUP_CORE_NAMED_TABLE_H

#include <stddef.h>

typedef struct csvb_named_row {
    const char *name;
    long long value;
    int in_mingw;
} csvb_named_row;

/* `static const csvb_named_row t[]` of the rows given, and `t##len_`, its row count. */
#define CSVB_NAMED_TABLE(t, ...)                     \
    static const csvb_named_row t[] = {__VA_ARGS__}; \
    static const size_t t##len_ = sizeof(t) / sizeof((t)[0]);

#endif
