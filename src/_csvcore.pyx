# The Cython core of csvbackup, built as csvbackup._csvcore (see setup.py).
#
# Typed entry points over the portable C headers (include/csvbackup/), the batch kernels
# (src/kernels/) and the cluster calls (the real ClusAPI / ResUtils on Windows, the simulator of
# src/clussim/ elsewhere). The facade (src/csvbackup/) checks and converts arguments; this layer
# types them, releases the GIL around the C, and raises the facade's exception classes
# (csvbackup.errors, its one import from the facade) with messages that name the argument, the
# row or the byte offset that failed.
#
# Build facts: one extension module made of the .pxi parts below (a single Cython module, so the
# parts share cdef functions without a C-API between them). The C declarations live in
# src/core/includes/ (one .pxd per public header, named after it) and src/core/includes/internal/
# (the kernels' and the simulator's private headers). Compiler directives are set in setup.py;
# CSVBACKUP_DEBUG=1 turns bounds and wraparound checks back on.
cimport cython
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE, PyBUF_WRITABLE
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.unicode cimport (
    PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_4BYTE_KIND, PyUnicode_DATA,
    PyUnicode_DecodeUTF16, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_New,
)
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int32_t, int64_t
from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF

cdef extern from "Python.h":
    dict _PyDict_NewPresized(Py_ssize_t minused)
    PyObject *PyDict_SetDefault(object d, object key, object default) except NULL
from libc.string cimport memcmp, memcpy, memmove, memset

from vss cimport (
    csvb_classify_args, csvb_effective_backup_type, csvb_decide_row, csvb_find_status,
    csvb_count_invalid_masks, csvb_find_invalid_masks, CSVB_NO_TIME, CSVB_STATUS_BAD_MASK,
    CSVB_STATUS_BAD_TYPE, CSVB_STATUS_BAD_ENTRY, CSVB_STATUS_NEGATIVE_MTIME,
    CSVB_STATUS_NEGATIVE_DIFF_SINCE, CSVB_STATUS_NEEDS_SINCE, CSVB_STATUS_NEEDS_MTIME,
    CSVB_DECISION_COPY, CSVB_DECISION_SNAPSHOT, CSVB_DECISION_PARTIAL, CSVB_DECISION_EXCLUDED,
)
from clusprop cimport *
from filespec cimport *
from specset cimport *
from csv_backup cimport *
from named_table cimport named_rows
from kernels cimport (
    csvb_classify_parallel, csvb_traffic_probe, csvb_openmp_enabled,
    csvb_fill_templates_parallel,
)
from tree_walk cimport CSVB_HAVE_TREE_WALK, csvb_walk_result, csvb_walk_tree, csvb_walk_free
from dispatch cimport csvb_select_isa, csvb_kernel_isa, csvb_specset_set_level, csvb_specset_level

import operator as _operator

import numpy as _np

from csvbackup.errors import (
    InvalidDataError as _InvalidDataError,
    InvalidParameterError as _InvalidParameterError,
    MoreDataError as _MoreDataError,
)

# Which kernel clones run (CPU detection, CSVBACKUP_ISA) and whether OpenMP was built in.
include "core/dispatch.pxi"
# SIGINT held from C across work a Ctrl-C must not cut in half (backup sessions).
include "core/interrupts.pxi"
# VSS file-spec masks: effective backup types, per-row decisions, batch classification.
include "core/vss.pxi"
# CLUSPROP value and property lists: typed values, the bounds-checked codec, batch builds.
include "core/clusprop/values.pxi"
include "core/clusprop/codec.pxi"
include "core/clusprop/batch.pxi"
# The CSV backup-mode struct and control codes, the direct cluster calls, the simulator's set-up.
include "core/cluster/backup_mode.pxi"
include "core/cluster/calls.pxi"
include "core/cluster/simulator.pxi"
# File-spec sets and CSV mount maps over string columns.
include "core/filespec/match.pxi"

include "core/plan_totals.pxi"
# The tree walker of `plan --scan`.
include "core/tree_walk.pxi"
