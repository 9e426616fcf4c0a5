"""What this build of csvbackup is: where its C headers are, whether it has OpenMP, which
instruction-set clones run, and how many threads the batch kernels use."""
import operator
import os
import sys
from pathlib import Path

import numpy as np

from . import _csvcore

__all__ = ["get_include", "openmp_enabled", "kernel_isa", "resolve_threads"]


def get_include():
    """The folder to add to a C compiler's include path: ``#include <csvbackup/vss.h>``."""
    here = Path(__file__).resolve().parent
    shipped = here / "include"
    if (shipped / "csvbackup" / "vss.h").is_file():
        return str(shipped)
    source_tree = here.parent.parent / "include"  # an in-place (editable) build
    if (source_tree / "csvbackup" / "vss.h").is_file():
        return str(source_tree)
    raise FileNotFoundError(f"csvbackup's C headers are not installed next to {here}")


def openmp_enabled():
    """True when the kernels were built with OpenMP (``threads=`` above 1 has an effect)."""
    return _csvcore.openmp_enabled()


def kernel_isa():
    """The x86-64 level whose kernel clones run ("x86-64-v4", "x86-64-v3", "x86-64-v2"), or
    "baseline". Set ``CSVBACKUP_ISA`` before import to force a lower level."""
    return _csvcore.kernel_isa()


def _cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


#: Most threads a batch call starts, as a multiple of the CPUs: a larger request only
#: oversubscribes, and a huge one would make the OpenMP runtime abort the process when it
#: cannot create the threads.
MAX_THREADS_PER_CPU = 8


def resolve_threads(threads=None):
    """The thread count for a batch call: `threads` if given, else ``OMP_NUM_THREADS``, else
    the CPUs this process may run on; at most `MAX_THREADS_PER_CPU` times the CPUs."""
    cap = MAX_THREADS_PER_CPU * _cpu_count()
    if threads is None:
        env = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
        if env.isdigit() and int(env) > 0:
            return min(int(env), cap)
        return _cpu_count()
    if isinstance(threads, (bool, np.bool_)):
        raise TypeError("threads must be an int, not bool")
    try:
        threads = operator.index(threads)
    except TypeError:
        raise TypeError(f"threads must be an int, not {type(threads).__name__}") from None
    if threads < 1:
        raise ValueError(f"threads = {threads}: at least one thread is needed")
    return min(threads, cap)


def _started_as_command():
    """True in the ``csvbackup`` command's process (its script, or ``python -m csvbackup``)."""
    argv = getattr(sys, "orig_argv", ())
    if sys.argv and sys.argv[0] == "-m":
        return any(a == "-m" and b == __package__ for a, b in zip(argv, argv[1:], strict=False))
    return bool(sys.argv) and Path(sys.argv[0]).stem == "csvbackup"


def _apply_isa_override():
    """Select the level CSVBACKUP_ISA names; the error when there is no such level."""
    wanted = os.environ.get("CSVBACKUP_ISA", "").strip()
    if wanted and not _csvcore.select_isa(wanted):
        return (f"CSVBACKUP_ISA={wanted!r}: this CPU or build has no such level "
                "(use auto, baseline, x86-64-v2, x86-64-v3 or x86-64-v4)")
    return None


#: Why CSVBACKUP_ISA could not be applied, or None. Importing csvbackup fails with it as an
#: ImportError, except in the csvbackup command, which reports it in one line (exit 2), as
#: it could not if its own import had failed.
ISA_OVERRIDE_ERROR = _apply_isa_override()
if ISA_OVERRIDE_ERROR and not _started_as_command():
    raise ImportError(ISA_OVERRIDE_ERROR)
