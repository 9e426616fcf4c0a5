# Declarations of src/core/named_table.h: the X-lists of the public headers as C tables of
# (name, value, in mingw-w64) rows, and the one conversion of such a table to Python.

cdef extern from "core/named_table.h" nogil:
    ctypedef struct csvb_named_row:
        const char *name
        long long value
        int in_mingw


cdef inline list named_rows(const csvb_named_row *rows, size_t n):
    """[(name, value, whether mingw-w64's header has it)] in the X-list's order."""
    cdef size_t k
    return [(rows[k].name.decode("ascii"), rows[k].value, bool(rows[k].in_mingw))
            for k in range(n)]
