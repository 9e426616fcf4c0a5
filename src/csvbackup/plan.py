r"""The backup plan: for every file of a catalog, whether this backup copies it, from which
volume's shadow copy, and which volumes go into the snapshot set.

`Planner` composes the parts: `FileSpecSet.match` says which writer's file set claims each
path, `VolumeMap.lookup` which CSV holds it, `effective_backup_type` what backup type its writer
takes, and `classify` the decision. It reads the catalog as a stream of Arrow record batches
(`csvbackup.catalog` says which columns) and gives back each batch with the plan's columns
appended, rows in equal to rows out, in order; `summary` adds up what it has seen.

Files no writer claims follow the requester's own policy, `unclaimed`:

* ``"copy"`` (the default): they are one more file set of the requester's, with the mask
  ``FULL_BACKUP_REQUIRED | ALL_SNAPSHOT_REQUIRED`` under the requested type. A FULL, COPY or
  OTHER backup copies them; INCREMENTAL and DIFFERENTIAL copy those modified since `since`
  (the requester's own change tracking); LOG skips them (a log backup is the writers' logs).
  This is a file-level backup of the volumes, writers' files included, which is what a
  cataloger that lists whole volumes is making.
* ``"skip"``: they are not copied: a component-only backup, which copies exactly what the
  writers list.

Writers' excludes apply to every file, claimed or not: an excluded file is never copied.
"""
import threading
import uuid

import numpy as np

from .catalog import read_columns
from .decision import Decision, classify
from .errors import InvalidParameterError
from .filespec import FileSpecSet
from .filetime import to_filetime
from .plan_claims import SeenIncludes
from .plan_summary import PlanSummary, component_name, writer_name
from .volume_map import VolumeMap
from .vss import BackupType, FileSpecBackupType, effective_backup_type

__all__ = ["PlanError", "Planner", "PlanSummary", "UNCLAIMED_MASK", "PLAN_COLUMNS"]

#: The mask of the requester's own file set for unclaimed files (``unclaimed="copy"``).
UNCLAIMED_MASK = int(FileSpecBackupType.FULL_BACKUP_REQUIRED
                     | FileSpecBackupType.ALL_SNAPSHOT_REQUIRED)

#: Compiled probes a planner keeps (`Planner.probe`).
_PROBES_KEPT = 4
#: Catalogs whose `SeenIncludes` a planner keeps (`Planner.seen_includes`).
_CATALOGS_KEPT = 16

#: The columns `Planner.plan_batch` appends, in order.
PLAN_COLUMNS = ("volume", "csv", "writer", "component", "mask", "decision", "copy",
                "from_snapshot", "partial", "excluded", "by_mtime", "path_status")

class PlanError(InvalidParameterError):
    """The plan and the cluster disagree (`Planner.prepare`), or a planner argument is bad."""


def _volume_name(volume):
    """A CSV's name in the plan: its volume GUID path, else its mount point."""
    if isinstance(volume, str):
        return volume
    guid = getattr(volume, "volume_guid_path", None)
    path = getattr(volume, "path", None)
    if guid is None and path is None and isinstance(volume, (tuple, list)):
        path, guid = (tuple(volume) + (None, None))[:2]
    return guid or path or ""


def _volume_path(volume):
    """A CSV's mount point as given (its name when only a name is known)."""
    if isinstance(volume, str):
        return volume
    path = getattr(volume, "path", None)
    if path is None and isinstance(volume, (tuple, list)) and volume:
        path = volume[0]
    return path or _volume_name(volume)


def _batches(source):
    """Record batches of any Arrow stream."""
    import pyarrow as pa
    if isinstance(source, pa.RecordBatch):
        yield source
    elif isinstance(source, pa.Table):
        yield from source.to_batches()
    elif isinstance(source, pa.RecordBatchReader):
        yield from source
    elif hasattr(source, "to_batches"):  # pyarrow.dataset.Dataset, Scanner
        yield from source.to_batches()
    elif hasattr(source, "__arrow_c_stream__"):  # polars, DuckDB, pandas ...
        yield from pa.RecordBatchReader.from_stream(source)
    else:
        for b in source:
            if not isinstance(b, pa.RecordBatch):
                raise TypeError("plan_batches takes an Arrow stream (RecordBatchReader, Table, "
                                "dataset, an object with __arrow_c_stream__) or an iterable of "
                                f"RecordBatch; got an iterable of {type(b).__name__}")
            yield b


class Planner:
    r"""Plans one backup over a catalog, batch by batch.

    Parameters
    ----------
    specs : FileSpecSet, or what `FileSpecSet` accepts (WriterMetadata, FileSpec, lists)
        The writers' file sets; their `WriterMetadata` gives each claimed file its writer,
        component and backup schema.
    volumes : VolumeMap, or what `VolumeMap` accepts (``cluster.shared_volumes()``)
        The CSVs. A file on none belongs to its local volume: its drive root (``C:\``), UNC
        share root or volume GUID path.
    backup_type : BackupType
        The requested type; each writer takes ``effective_backup_type(backup_type, schema)``.
    since : FILETIME int, datetime or datetime64, optional
        The previous backup's time: required for INCREMENTAL and DIFFERENTIAL.
    unclaimed : {"copy", "skip"}
        What to do with files no writer claims (see the module docstring).
    env : dict, optional
        Passed to `FileSpecSet` when `specs` is not one already.
    threads : int, optional
        Threads for matching and deciding.
    """

    def __init__(self, specs, volumes, backup_type, *, since=None, unclaimed="copy", env=None,
                 threads=None):
        self.specs = specs if isinstance(specs, FileSpecSet) else FileSpecSet(specs, env=env)
        self.volumes = volumes if isinstance(volumes, VolumeMap) else VolumeMap(volumes)
        try:
            self.backup_type = BackupType(backup_type)
        except ValueError:
            raise PlanError(f"backup_type = {backup_type!r}: not a BackupType") from None
        if self.backup_type is BackupType.UNDEFINED:
            raise PlanError("backup_type = UNDEFINED: the requested type must be FULL to OTHER")
        if unclaimed not in ("copy", "skip"):
            raise PlanError(f"unclaimed = {unclaimed!r}: must be 'copy' or 'skip'")
        self.unclaimed = unclaimed
        needs_since = self.backup_type in (BackupType.INCREMENTAL, BackupType.DIFFERENTIAL)
        if since is None and needs_since:
            raise PlanError(f"a {self.backup_type.name} backup needs `since`, the time of the "
                            "backup it builds on")
        self.since = None if since is None else to_filetime(since, "since")
        self.threads = threads
        s = self.specs
        schemas = np.array([int(w.backup_schema) for w in s.writers], dtype=np.int64)
        #: per writer of `specs.writers`: the backup type its files take
        self.writer_types = effective_backup_type(int(self.backup_type), schemas) \
            if s.writers else np.zeros(0, np.uint8)
        # per include: its effective type (a file set of no writer takes the requested type)
        self._include_type = np.full(len(s.includes), int(self.backup_type), dtype=np.uint8)
        owned = s.include_writer >= 0
        self._include_type[owned] = self.writer_types[s.include_writer[owned]]
        self.volume_names = [_volume_name(v) for v in self.volumes.volumes]
        #: each CSV's mount point, as `volumes` gives it
        self.volume_paths = [_volume_path(v) for v in self.volumes.volumes]
        self._summary = PlanSummary(self)
        self._probes = {}  # unseen includes (bytes) -> their compiled subset: `probe`
        self._seen_by_catalog = {}  # catalog key -> SeenIncludes: `seen_includes`
        self._lock = threading.Lock()
        self._token = uuid.uuid4().hex

    def __dask_tokenize__(self):
        # Dask names a graph by its arguments; by content that would pickle the compiled file
        # sets on every call (0.3 s for the System Writer). A planner does not change after it
        # is built (but for its summary), so its identity names it.
        return ("csvbackup.Planner", self._token)

    def __reduce__(self):
        # A copy is a fresh planner over the same compiled parts (its summary starts empty):
        # what a Dask worker receives once and plans every partition with.
        return _rebuild_planner, (self.specs, self.volumes, self.backup_type, self.since,
                                  self.unclaimed, self.threads)

    def probe(self, includes):
        """`specs.include_subset(includes)`, compiled once per distinct list: the summaries
        of one catalog's partitions ask for the same few lists again and again."""
        key = np.asarray(includes, dtype=np.int64).tobytes()
        with self._lock:
            found = self._probes.get(key)
        if found is None:
            found = self.specs.include_subset(includes)
            with self._lock:
                self._probes[key] = found
                while len(self._probes) > _PROBES_KEPT:
                    self._probes.pop(next(iter(self._probes)))
        return found

    def seen_includes(self, catalog):
        """The `SeenIncludes` this process shares between the summaries of `catalog` (any
        hashable key naming one catalog, e.g. a Dask collection's name)."""
        with self._lock:
            if catalog not in self._seen_by_catalog:
                self._seen_by_catalog[catalog] = SeenIncludes(len(self.specs.includes))
                while len(self._seen_by_catalog) > _CATALOGS_KEPT:  # a long-lived worker's
                    self._seen_by_catalog.pop(next(iter(self._seen_by_catalog)))
            return self._seen_by_catalog[catalog]

    # --- one batch ---
    def plan_batch(self, batch, *, index=0, summary=None):
        """`batch` (a pyarrow RecordBatch) with the plan's columns appended (`PLAN_COLUMNS`),
        added to `summary` (default: the planner's own, `summary()`; a partition's own
        `PlanSummary` when partitions are planned apart and merged).

        Raises `CatalogError` naming a missing or mistyped column; bad rows (null, invalid
        path) are planned as not copied and flagged in ``path_status``, never dropped.
        """
        return self._plan(batch, self._summary if summary is None else summary, index)

    def plan_alone(self, batch, *, index=0):
        """`plan_batch` without adding the batch to `summary`: the planner is left as it was,
        so threads or tasks can share it. The ``volume`` column's dictionary then holds the
        CSVs and the local volumes of this batch only. `PlanSummary.add_planned` sums such
        batches up afterwards."""
        return self._plan(batch, PlanSummary(self), index, accumulate=False)

    def _plan(self, batch, summary, index, accumulate=True):
        import pyarrow as pa
        cols = read_columns(batch, index)
        n = batch.num_rows
        s = self.specs
        m = s.match(cols.path, threads=self.threads)
        vol = self.volumes.lookup(cols.path, threads=self.threads)
        ok = m.status == 0
        claimed = m.spec >= 0
        entry = m.entry_flags
        if cols.entry_flags is not None:
            entry = entry | cols.entry_flags
        types = np.full(n, int(self.backup_type), dtype=np.uint8)
        types[claimed] = self._include_type[m.spec[claimed]]
        masks = m.mask
        if self.unclaimed == "copy":
            masks = np.where(claimed | ~ok, masks, np.uint32(UNCLAIMED_MASK))
        decision = classify(masks, types, mtimes=cols.mtime, since=self.since,
                            entry_flags=entry, differenced_since=cols.differenced_since,
                            threads=self.threads)
        decision[~ok] = 0
        if self.unclaimed == "skip":
            decision[~claimed] &= np.uint8(Decision.EXCLUDED)
        volume_id = summary.volume_ids(cols.path, vol, ok)
        writer = np.full(n, -1, dtype=np.int32)
        component = np.full(n, -1, dtype=np.int32)
        writer[claimed] = s.include_writer[m.spec[claimed]]
        component[claimed] = s.include_component[m.spec[claimed]]
        if accumulate:
            summary.add(cols, m.status, m.mask, claimed, volume_id, component, decision,
                        first_claimant=m.spec)
        bits = {name: (decision & np.uint8(flag)) != 0 for name, flag in (
            ("copy", Decision.COPY | Decision.PARTIAL), ("from_snapshot", Decision.SNAPSHOT),
            ("partial", Decision.PARTIAL), ("excluded", Decision.EXCLUDED),
            ("by_mtime", Decision.BY_MTIME))}
        new = {
            "volume": summary.volume_array(volume_id),
            "csv": pa.array(vol >= 0),
            "writer": _dictionary(writer, [writer_name(w) for w in s.writers]),
            "component": _dictionary(component, [component_name(c) for c in s.components]),
            "mask": pa.array(m.mask),
            "decision": pa.array(decision),
            **{k: pa.array(v) for k, v in bits.items()},
            "path_status": pa.array(m.status),
        }
        arrays = list(batch.columns) + [new[k] for k in PLAN_COLUMNS]
        names = list(batch.schema.names) + list(PLAN_COLUMNS)
        return pa.RecordBatch.from_arrays(arrays, names=names)

    def plan_batches(self, source):
        """Plan every batch of an Arrow stream, yielding planned batches.

        `source`: a pyarrow RecordBatch, Table, RecordBatchReader or dataset, an object with
        ``__arrow_c_stream__`` (polars, DuckDB, pandas), or an iterable of RecordBatch.
        """
        for i, batch in enumerate(_batches(source)):
            yield self.plan_batch(batch, index=i)

    def summary(self):
        """The `PlanSummary` of every batch planned so far."""
        return self._summary

    # --- the cluster ---
    def prepare(self, cluster):
        """ClusterPrepareSharedVolumeForBackup once per CSV of the snapshot set, with one
        planned path on it: {volume name: PreparedVolume}. Raises `PlanError` when the cluster
        names another volume for that path than the plan does."""
        out = {}
        for name, path in self._summary.snapshot_paths().items():
            prepared = cluster.prepare_shared_volume_for_backup(path)
            if _norm(prepared.volume_name) != _norm(name) and _norm(prepared.volume_path) != \
                    _norm(name):
                raise PlanError(f"the cluster puts {path!r} on {prepared.volume_name!r} "
                                f"({prepared.volume_path!r}); the plan has it on {name!r}")
            out[name] = prepared
        return out


def _rebuild_planner(specs, volumes, backup_type, since, unclaimed, threads):
    return Planner(specs, volumes, backup_type, since=since, unclaimed=unclaimed,
                   threads=threads)


def _norm(name):
    return (name or "").rstrip("\\").upper()


def _dictionary(codes, names):
    """int32 codes (-1 = null) as a dictionary<int32, string> array over `names`."""
    import pyarrow as pa
    mask = codes < 0
    indices = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, pa.array(names, pa.string()))

