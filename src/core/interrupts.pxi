# SIGINT held across work a Ctrl-C must not cut in half (a backup session entering or leaving).
#
# Why here and not in Python: CPython runs signal handlers, and so raises KeyboardInterrupt,
# at the first bytecode of every Python function (and at loop back-edges). A context manager
# whose __exit__ is Python can be interrupted before its first line runs, and then its
# clean-up never does. These methods are C: nothing between the `with` statement and the
# handler swap can run a Python-level handler, and a signal that was already pending when the
# swap is tried is caught here and held like the others.
#
# A held signal is handed back with PyErr_SetInterruptEx: the handler that was in place runs at
# the next point CPython checks for signals, as if the signal arrived then.
from cpython.pythread cimport PyThread_get_thread_ident

cdef extern from "Python.h":
    int PyErr_SetInterruptEx(int signum)

# _signal, not signal: the signal module wraps each call in a Python function, whose first
# bytecode would run the very handler being swapped out.
import _signal
import threading as _threading

cdef unsigned long _main_thread_ident = _threading.main_thread().ident
cdef int _SIGINT = _signal.SIGINT


cdef class SigintHold:
    """Hold SIGINT for a ``with`` block: a Ctrl-C that arrives inside is recorded, and handed
    to the handler that was in place (KeyboardInterrupt by default) when the block ends,
    however it ends, as if it arrived then.

    Only the main thread receives signals; elsewhere, and when the SIGINT handler is not a
    Python callable (SIG_DFL, SIG_IGN, or installed outside Python), this holds nothing.
    Nests: an inner hold hands a held signal to the outer one. Not reentrant: one instance
    holds once at a time.
    """

    cdef object _previous
    cdef bint _pending

    def _record(self, signum, frame):
        """The handler installed while holding: it only remembers."""
        self._pending = True

    cpdef bint hold(self) except -1:
        """Install the recording handler; True when SIGINT is now held."""
        if self._previous is not None:
            raise RuntimeError("SigintHold: already holding")
        self._pending = False
        if PyThread_get_thread_ident() != _main_thread_ident:
            return False
        previous = _signal.getsignal(_SIGINT)
        if not callable(previous):
            return False
        recorder = self._record
        cdef int attempt
        for attempt in range(64):
            try:
                # signal.signal() first runs the handlers of signals already pending: the old
                # handler may raise (KeyboardInterrupt): that signal is held too, and handed to
                # it again on release.
                _signal.signal(_SIGINT, recorder)
                break
            except BaseException:
                if attempt == 63:  # not a handler's exception: one that repeats
                    raise
                self._pending = True
        self._previous = previous
        return True

    cpdef release(self):
        """Put the previous handler back and hand it the signal held, if any."""
        previous, self._previous = self._previous, None
        if previous is None:
            return
        _signal.signal(_SIGINT, previous)  # runs _record for a signal pending right now
        if self._pending:
            self._pending = False
            PyErr_SetInterruptEx(_SIGINT)

    def __enter__(self):
        self.hold()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.release()
        return False


cdef class HeldScope:
    """Base of context managers whose entry and exit a Ctrl-C must not cut in half.

    ``__enter__`` and ``__exit__`` are C: they hold SIGINT (:class:`SigintHold`) and run the
    subclass's ``_enter()`` and ``_exit(exc_type, exc, tb)``, whose return values they return.
    A Ctrl-C that arrives meanwhile is delivered as soon as they finish: inside the ``with``
    block after ``_enter``, so that ``_exit`` runs; after the block after ``_exit``.
    """

    def __enter__(self):
        cdef SigintHold held = SigintHold()
        held.hold()
        try:
            return self._enter()
        finally:
            held.release()

    def __exit__(self, exc_type, exc, tb):
        cdef SigintHold held = SigintHold()
        held.hold()
        try:
            return self._exit(exc_type, exc, tb)
        finally:
            held.release()
