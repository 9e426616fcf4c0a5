"""Backup sessions: CSV backup mode IN_PROGRESS for a ``with`` block, NONE again on the way out.

The promise is that no volume this process set is left IN_PROGRESS, whether the block ends,
raises or is interrupted, and also when the interrupt (Ctrl-C, SIGINT) lands while the
session is still entering or already leaving:

- entering and leaving run with SIGINT held, from C (``_csvcore.HeldScope``): CPython raises
  KeyboardInterrupt at the first bytecode of any Python function, so a Python ``__exit__`` can
  be cut before its first line; a Ctrl-C meanwhile is delivered as soon as they finish;
- a volume is recorded as "to clear" *before* the call that sets it, so nothing raised
  between the call returning and the bookkeeping can orphan it (clearing a volume that was
  never set is harmless: NONE on NONE changes nothing);
- leaving clears every recorded volume whatever is raised while clearing another: errors are
  kept and reported after.

What no process can cover is its own sudden death (SIGKILL, a crash, power loss): then the
delay timer given to IN_PROGRESS is what returns the volumes to NONE.
"""
from __future__ import annotations

from . import _csvcore as _core
from .backup_mode import BackupState
from .errors import Win32Error

__all__ = ["BackupSession", "SigintHold"]

SigintHold = _core.SigintHold


class BackupSession(_core.HeldScope):
    """The context manager :meth:`Cluster.backup_session` returns: entering sets backup mode
    IN_PROGRESS (with the delay timer) on each volume in order and gives the SharedVolumes;
    leaving sets NONE on each, last set first.

    If setting one volume fails, those already set are cleared before the error propagates.
    If clearing one fails, the others are still cleared and the first error is raised after
    (unless the block is already raising). A Ctrl-C while entering or leaving: see the
    module's docstring.
    """

    def __init__(self, cluster, volumes, delay_timer_secs):
        self._cluster = cluster
        self._requested = list(volumes)
        self._delay = delay_timer_secs
        self._to_clear = []
        self._active = False
        self.volumes = []

    def _enter(self):
        if self._active:
            raise RuntimeError("this backup session is already entered")
        self.volumes = [self._cluster._volume(v) for v in self._requested]
        self._active = True
        try:
            for v in self.volumes:
                self._to_clear.append(v)
                try:
                    self._cluster.set_backup_mode(v, BackupState.IN_PROGRESS, self._delay)
                except Win32Error:  # the cluster refused: nothing to undo
                    self._to_clear.pop()
                    raise
            return self.volumes
        except BaseException:
            self._leave()
            raise

    def _exit(self, exc_type, exc, tb):
        errors = self._leave()
        if errors and exc_type is None:
            raise errors[0]
        return False

    def _leave(self):
        """NONE on every recorded volume, last first; the errors met. Anything raised outside
        the per-volume calls is re-raised once all are cleared."""
        errors = []
        escaped = None
        while self._to_clear:
            try:
                while self._to_clear:
                    try:
                        self._cluster.set_backup_mode(self._to_clear[-1], BackupState.NONE)
                    except Exception as e:  # clear the others anyway, then report
                        errors.append(e)
                    self._to_clear.pop()
            except BaseException as e:  # e.g. a KeyboardInterrupt not held: the rest first
                escaped = escaped or e
        self._active = False
        if escaped is not None:
            raise escaped
        return errors
