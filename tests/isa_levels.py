"""The instruction-set levels whose kernel clones this CPU and build can run, and a way to run
code on one of them."""
import contextlib

import csvbackup as cb
from csvbackup import _csvcore


@contextlib.contextmanager
def running_on(level):
    """Run the body with the kernel clones of `level`, then restore the active level."""
    active = cb.kernel_isa()
    assert _csvcore.select_isa(level), level
    try:
        yield
    finally:
        _csvcore.select_isa(active)


def _available():
    active = cb.kernel_isa()
    try:
        return [lv for lv in ("baseline", "x86-64-v2", "x86-64-v3", "x86-64-v4")
                if _csvcore.select_isa(lv)]
    finally:
        _csvcore.select_isa(active)


#: Levels available here, lowest first.
LEVELS = _available()
