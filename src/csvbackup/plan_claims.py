"""Which include file sets claimed some row of a catalog: what the plan's "matched no file"
warning needs.

The matcher names only a row's first claimant, so a file set that only ever claims rows
another set claims first would look unmatched. `ClaimedIncludes` matches claimed rows again
against a probe: the includes not yet seen, compiled (`Planner.probe`) only now and then. A
row that hit the probe may hide another unseen include behind its hit, so it waits in a
pending list, settled against fresh probes when that list grows long or a result is asked
for. `SeenIncludes` shares what is known between the partitions of one catalog planned apart
in one process.
"""
import threading

import numpy as np

__all__ = ["ClaimedIncludes", "SeenIncludes"]

#: Claimed rows held for a fresh probe before one is compiled.
PENDING_LIMIT = 1 << 20


class SeenIncludes:
    """Which include file sets some row of one catalog is known to be claimed by, shared by
    the summaries of that catalog's partitions in one process (thread-safe). A summary starts
    from it and adds what it found when it settles: each fact is true of the whole catalog,
    so a partition's summary may hold it, and the next partitions probe for fewer sets (and
    soon the same ones, whose compiled probe `Planner.probe` keeps)."""

    def __init__(self, n):
        self._seen = np.zeros(n, dtype=bool)
        self._lock = threading.Lock()

    def snapshot(self):
        """A copy of the includes known to be claimed."""
        with self._lock:
            return self._seen.copy()

    def add(self, seen):
        """Add includes found claimed."""
        with self._lock:
            self._seen |= seen


class ClaimedIncludes:
    """The includes of `planner.specs` that claimed some row added so far (see the module
    docstring); `shared`, a `SeenIncludes`, starts it and learns what it finds."""

    def __init__(self, planner, shared=None):
        self._planner = planner
        self._shared = shared
        n = len(planner.specs.includes)
        self._seen = np.zeros(n, dtype=bool) if shared is None else shared.snapshot()
        self._probe = None  # (unseen include indexes, FileSpecSet of them)
        self._pending = []  # claimed paths not yet settled against a fresh probe
        self._pending_rows = 0

    def add(self, paths, claimed, first=None):
        """Rows `paths` (a pyarrow string array), `claimed` by some include (bool), whose
        first claimant is `first` (int, -1 none) when known."""
        import pyarrow as pa
        import pyarrow.compute as pc
        if first is not None:
            self._seen[first[first >= 0]] = True
        rows = np.flatnonzero(claimed)
        if not rows.size or self._seen.all():
            return
        if self._probe is None:
            self._rebuild_probe()
        hit = self._probe_rows(pc.take(paths, pa.array(rows)))
        if len(hit):
            self._pending.append(hit)
            self._pending_rows += len(hit)
            if self._pending_rows >= PENDING_LIMIT:
                self.settle()

    def _rebuild_probe(self):
        unseen = np.flatnonzero(~self._seen)
        self._probe = (unseen, self._planner.probe(unseen))

    def _probe_rows(self, paths):
        """Match `paths` with the probe; mark the includes hit; return the paths that hit
        one (they may hide another unseen include). A path that hit none has no claimant
        left unseen (the unseen sets only shrink), and is done."""
        import pyarrow as pa
        import pyarrow.compute as pc
        unseen, probe = self._probe
        hit = probe.match(paths, threads=self._planner.threads).spec
        rows = np.flatnonzero(hit >= 0)
        self._seen[unseen[hit[rows]]] = True
        return pc.take(paths, pa.array(rows))

    def settle(self):
        """Resolve the pending rows with fresh probes until none is left."""
        import pyarrow as pa
        while self._pending and not self._seen.all():
            paths = pa.concat_arrays(self._pending)
            self._rebuild_probe()
            hit = self._probe_rows(paths)
            self._pending = [hit] if len(hit) else []
        self._pending, self._pending_rows = [], 0
        if self._shared is not None:
            self._shared.add(self._seen)

    def seen(self):
        """A bool per include: whether it claimed some row (settled first)."""
        self.settle()
        return self._seen

    def merge(self, other):
        """Add what `other` (more rows of the same catalog) found."""
        self._seen |= other.seen()

    def __getstate__(self):
        # What another process needs: the settled answer, not the planner (the receiver has
        # its own), the compiled probe or this process's shared knowledge.
        self.settle()
        state = self.__dict__.copy()
        state["_planner"] = state["_probe"] = state["_shared"] = None
        return state
