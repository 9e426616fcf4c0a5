"""What a plan adds up to: per volume and per writer component, files and bytes seen, to copy
and from the snapshot; the snapshot set; and the warnings a backup operator must read."""
import numpy as np

from . import _csvcore
from .catalog import CatalogError, local_roots, read_columns
from .decision import Decision
from .filespec import PathStatus
from .filetime import filetime_to_datetime
from .plan_claims import ClaimedIncludes
from .vss import BackupType, FileSpecBackupType

__all__ = ["PlanSummary", "Totals", "component_name", "writer_name"]

#: Invalid rows quoted in the warnings (the rest are counted).
_QUOTED = 5
_FIELDS = _csvcore.PLAN_TOTALS_FIELDS


def writer_name(w):
    """A writer's name in the plan: its friendly name, with its instance name if it has one."""
    return f"{w.friendly_name} ({w.instance_name})" if w.instance_name else w.friendly_name


def component_name(c):
    """A component's name in the plan: its logical path and name."""
    return f"{c.logical_path}\\{c.name}" if c.logical_path else c.name


class Totals:
    """Counts of one group of rows (a volume, a writer component)."""

    __slots__ = _FIELDS

    def __init__(self, values=None):
        for f, v in zip(_FIELDS, values or [0] * len(_FIELDS), strict=True):
            setattr(self, f, int(v))

    def as_dict(self):
        """The counts by name."""
        return {f: getattr(self, f) for f in _FIELDS}

    def __repr__(self):
        return "Totals(" + ", ".join(f"{f}={getattr(self, f)}" for f in _FIELDS) + ")"


def _shown(paths, i):
    """Row `i` of a string array as text for a message, even when it is not valid UTF-8 (its
    bad bytes escaped as \\xNN), or None."""
    import pyarrow as pa
    value = paths.slice(i, 1).cast(pa.large_binary() if pa.types.is_large_string(paths.type)
                                   else pa.binary())[0].as_py()
    return None if value is None else value.decode("utf-8", "backslashreplace")


def _combined(column):
    """A batch column as one Array (a ChunkedArray's chunks joined)."""
    return column.combine_chunks() if hasattr(column, "combine_chunks") else column


def _plain_strings(array):
    """A string or dictionary-of-string array as a list of str and None."""
    return array.cast(array.type.value_type).to_pylist() if hasattr(array.type, "value_type") \
        else array.to_pylist()


def _numbers(batch, name, dtype):
    """Plan column `name` of `batch` as a numpy array of `dtype` (a `CatalogError` when the
    batch is not a plan)."""
    i = batch.schema.get_field_index(name)
    if i < 0:
        raise CatalogError(f"not a plan: no {name!r} column", column=name)
    return _combined(batch.column(i)).to_numpy(zero_copy_only=False).astype(dtype, copy=False)


def _group_totals(codes, k, size, decision):
    """Totals per code in [0, k), as k lists of ints (rows with other codes are dropped)."""
    return _csvcore.plan_totals(codes.astype(np.int32, copy=False), size, decision, k).tolist()


class PlanSummary:
    """The totals of a `Planner` over every batch it has planned.

    Attributes
    ----------
    rows, invalid_rows, unknown_mtime_copies, copies_without_volume : int
        Rows planned; rows whose path is null or invalid (planned as not copied); rows copied
        only because their mtime was unknown; rows to copy whose path is on no volume.
    volumes : dict[str, Totals]
        Per volume (a CSV's volume GUID path, or a local root such as ``C:\\``).
    components : dict[tuple[str | None, str | None], Totals]
        Per (writer, component); (None, None) for unclaimed files, (None, "") for file sets
        given without a writer.
    """

    def __init__(self, planner, *, seen=None):
        """`seen`: a `SeenIncludes` shared with the summaries of the catalog's other
        partitions in this process (see `csvbackup.plan_claims`)."""
        self._planner = planner
        self.rows = 0
        self.invalid_rows = 0
        self.unknown_mtime_copies = 0
        self.copies_without_volume = 0
        self._invalid_examples = []
        self._names = list(planner.volume_names)  # volume id -> name; CSVs first
        self._n_csv = len(self._names)
        self._ids = {}  # folded local root -> volume id
        self._volume_totals = []
        self._component_totals = [[0] * len(_FIELDS) for _ in range(len(planner.specs.components)
                                                                    + 2)]
        self._snapshot_path = {}  # CSV volume id -> a path copied from its snapshot
        self._snapshot_local = set()
        self._claims = ClaimedIncludes(planner, seen)

    # --- volumes ---
    def volume_ids(self, paths, vol, ok):
        """Volume id per row: the CSV index, else the local root's id; -1 for none."""
        import pyarrow as pa
        import pyarrow.compute as pc
        ids = vol.astype(np.int32, copy=True)
        local = np.flatnonzero((vol < 0) & ok)
        if local.size:
            roots = local_roots(pc.take(paths, pa.array(local))).dictionary_encode()
            codes = roots.indices.fill_null(0).to_numpy(zero_copy_only=False)
            valid = roots.indices.is_valid().to_numpy(zero_copy_only=False)
            lut = np.array([self._local_id(r) for r in roots.dictionary.to_pylist()] or [-1],
                           dtype=np.int32)
            ids[local] = np.where(valid, lut[codes], -1)
        return ids

    def _local_id(self, root):
        key = root.upper()
        if key not in self._ids:
            self._ids[key] = len(self._names)
            self._names.append(root)
        return self._ids[key]

    def volume_array(self, ids):
        """Volume ids as a dictionary<int32, string> array over the volume names so far."""
        import pyarrow as pa
        mask = ids < 0
        return pa.DictionaryArray.from_arrays(pa.array(np.where(mask, 0, ids), mask=mask),
                                              pa.array(self._names, pa.string()))

    # --- accumulation ---
    def add(self, cols, status, mask, claimed, volume_id, component, decision,
            first_claimant=None):
        """Add one planned batch: its catalog columns (`catalog.read_columns`), and per row
        the match's path status and mask, whether an include claims it, its volume id and
        component index (-1 none), its decision, and `first_claimant`, the index of the first
        include claiming it (-1 none) when known."""
        p = self._planner
        n = len(decision)
        bad = np.flatnonzero(status != 0)
        self.invalid_rows += int(bad.size)
        for i in bad[:max(0, _QUOTED - len(self._invalid_examples))]:
            self._invalid_examples.append(
                (self.rows + int(i), _shown(cols.path, int(i)), PathStatus(int(status[i]))))
        self.rows += n
        by_mtime = (decision & np.uint8(Decision.BY_MTIME)) != 0
        self.unknown_mtime_copies += int(np.count_nonzero(by_mtime & cols.unknown_mtime))
        copied = (decision & np.uint8(Decision.COPY | Decision.PARTIAL)) != 0
        self.copies_without_volume += int(np.count_nonzero(copied & (volume_id < 0)))
        k = len(self._names)
        while len(self._volume_totals) < k:
            self._volume_totals.append([0] * len(_FIELDS))
        for j, t in enumerate(_group_totals(volume_id, k, cols.size, decision)):
            self._volume_totals[j] = [a + int(b) for a, b in zip(self._volume_totals[j], t,
                                                                   strict=True)]
        c = len(p.specs.components)
        codes = np.where(claimed, np.where(component < 0, c, component), c + 1)
        codes[status != 0] = -1
        for j, t in enumerate(_group_totals(codes, c + 2, cols.size, decision)):
            self._component_totals[j] = [a + int(b) for a, b in
                                         zip(self._component_totals[j], t, strict=True)]
        snap = ((decision & np.uint8(Decision.COPY | Decision.PARTIAL)) != 0) & \
            ((decision & np.uint8(Decision.SNAPSHOT)) != 0)
        for v in np.unique(volume_id[snap & (volume_id >= 0)]):
            v = int(v)
            if v < self._n_csv and v not in self._snapshot_path:
                first = int(np.flatnonzero(snap & (volume_id == v))[0])
                self._snapshot_path[v] = cols.path[first].as_py()
            elif v >= self._n_csv:
                self._snapshot_local.add(v)
        self._claims.add(cols.path, claimed, first_claimant)

    def add_planned(self, batch, *, index=0):
        """Add a batch the way `Planner.plan_batch` returned it, or `Planner.plan_alone`, or
        read back from a plan file: the counts come from its columns (the catalog's and the
        plan's); only its claimed rows are matched again, as `add` does, to know which
        include file sets claimed something. `index` names the batch in errors."""
        cols = read_columns(batch, index)
        p = self._planner
        status = _numbers(batch, "path_status", np.uint8)
        mask = _numbers(batch, "mask", np.uint32)
        decision = _numbers(batch, "decision", np.uint8)
        component = self._component_codes(batch)
        claimed = (component >= 0) | (mask != 0)
        # a file set without a writer and with mask 0 leaves neither trace: match the rows
        # that could be its, against those sets only
        quiet = np.flatnonzero((p.specs.include_writer < 0)
                               & (np.array([int(f.mask) for f in p.specs.includes],
                                           dtype=np.int64) == 0))
        if quiet.size:
            import pyarrow as pa
            import pyarrow.compute as pc
            rows = np.flatnonzero(~claimed & (status == 0))
            hits = p.specs.include_subset(quiet).match(
                pc.take(cols.path, pa.array(rows)), threads=p.threads).spec >= 0
            claimed[rows[hits]] = True
        self.add(cols, status, mask, claimed, self._volume_codes(batch), component, decision)

    def _component_codes(self, batch):
        """Each row's index in specs.components (-1 none), from the writer and component
        columns: the dictionary's own indices when it is the planner's whole list (as
        planned), else by (writer, component) name (as read back from a file)."""
        import pyarrow as pa
        s = self._planner.specs
        names = [component_name(c) for c in s.components]
        comp = _combined(batch.column(batch.schema.get_field_index("component")))
        if pa.types.is_dictionary(comp.type) and comp.dictionary.to_pylist() == names:
            return comp.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
        writer = _combined(batch.column(batch.schema.get_field_index("writer")))
        lookup = {}
        for j in range(len(s.components)):
            key = (writer_name(s.writers[int(s.component_writer[j])]), names[j])
            lookup.setdefault(key, j)
        pairs = zip(_plain_strings(writer), _plain_strings(comp), strict=True)
        return np.array([lookup.get(k, -1) for k in pairs], dtype=np.int32)

    def _volume_codes(self, batch):
        """Each row's volume id in this summary (-1 none), from the volume column's names."""
        import pyarrow as pa
        vol = _combined(batch.column(batch.schema.get_field_index("volume")))
        if not pa.types.is_dictionary(vol.type):
            vol = vol.dictionary_encode()
        csv = {name: i for i, name in enumerate(self._names[:self._n_csv])}
        lut = np.array([csv[n] if n in csv else self._local_id(n)
                        for n in vol.dictionary.to_pylist()] or [-1], dtype=np.int32)
        codes = vol.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return np.where(codes >= 0, lut[np.maximum(codes, 0)], -1).astype(np.int32)

    # --- combining ---
    def merge(self, other):
        """Add `other`'s totals to these, as if its rows came after these rows: `other`
        summarises more batches of the same catalog for the same planner (a partition of
        it, on another machine). Returns self."""
        offset = self.rows
        self.rows += other.rows
        self.invalid_rows += other.invalid_rows
        self.unknown_mtime_copies += other.unknown_mtime_copies
        self.copies_without_volume += other.copies_without_volume
        for r, path, st in other._invalid_examples[:max(0, _QUOTED - len(self._invalid_examples))]:
            self._invalid_examples.append((r + offset, path, st))
        remap = [j if j < self._n_csv else self._local_id(name)
                 for j, name in enumerate(other._names)]
        while len(self._volume_totals) < len(self._names):
            self._volume_totals.append([0] * len(_FIELDS))
        for j, t in enumerate(other._volume_totals):
            self._volume_totals[remap[j]] = [a + b for a, b in
                                             zip(self._volume_totals[remap[j]], t, strict=True)]
        self._component_totals = [[a + b for a, b in zip(x, y, strict=True)] for x, y in
                                  zip(self._component_totals, other._component_totals,
                                      strict=True)]
        for v, path in other._snapshot_path.items():
            self._snapshot_path.setdefault(v, path)
        self._snapshot_local |= {remap[v] for v in other._snapshot_local}
        self._claims.merge(other._claims)
        return self

    def settle(self):
        """Finish the work `add` defers (which include file sets claimed the rows added);
        asking for a result does it too."""
        self._claims.settle()

    def __getstate__(self):
        # What another process needs to merge this summary: the counts, not the planner (the
        # receiver has its own); the claims pickle settled.
        state = self.__dict__.copy()
        state["_planner"] = None
        return state

    # --- results ---
    @property
    def backup_type(self):
        """The requested `BackupType`."""
        return self._planner.backup_type

    @property
    def since(self):
        """The previous backup's FILETIME, or None."""
        return self._planner.since

    @property
    def since_iso(self):
        """`since` as ISO 8601 UTC text (``2026-11-30T22:00:00Z``), or None."""
        if self._planner.since is None:
            return None
        return filetime_to_datetime(self._planner.since).isoformat().replace("+00:00", "Z")

    @property
    def volumes(self):
        return {name: Totals(t) for name, t in zip(self._names, self._volume_totals,
                                                   strict=False)}

    def is_csv(self, name):
        """Whether volume `name` is a CSV (else a local volume)."""
        return self._names.index(name) < self._n_csv

    def csv_path(self, name):
        """The mount point of CSV `name` (``C:\\ClusterStorage\\Volume1\\``), or None for
        a local volume."""
        i = self._names.index(name)
        return self._planner.volume_paths[i] if i < self._n_csv else None

    @property
    def components(self):
        s = self._planner.specs
        out = {}
        for j, comp in enumerate(s.components):
            w = s.writers[int(s.component_writer[j])]
            out[(writer_name(w), component_name(comp))] = Totals(self._component_totals[j])
        out[(None, "")] = Totals(self._component_totals[len(s.components)])
        out[(None, None)] = Totals(self._component_totals[len(s.components) + 1])
        return {k: v for k, v in out.items() if v.files or k[0] is not None}

    @property
    def snapshot_set(self):
        """The volumes that hold a file to copy from the shadow copy, de-duplicated, CSVs
        first: what the requester passes to AddToSnapshotSet."""
        ids = sorted(self._snapshot_path) + sorted(self._snapshot_local)
        return [self._names[v] for v in ids]

    def snapshot_paths(self):
        """{CSV volume name: one planned path on it that is copied from the snapshot}."""
        return {self._names[v]: p for v, p in sorted(self._snapshot_path.items())}

    @property
    def unmatched_includes(self):
        """Include file sets that claimed no row (not counting CREATED_DURING_BACKUP ones,
        whose files need not exist): (writer, component, FileSpec)."""
        s = self._planner.specs
        out = []
        for i in np.flatnonzero(~self._claims.seen()):
            f = s.includes[i]
            if f.mask & FileSpecBackupType.CREATED_DURING_BACKUP:
                continue
            w, c = s.owner(int(i))
            out.append((writer_name(w) if w else None, component_name(c) if c else None, f))
        return out

    @property
    def warnings(self):
        """Readable warnings: writers whose schema changes the backup type, include file sets
        that matched nothing, invalid rows, rows copied for an unknown mtime."""
        p = self._planner
        out = []
        for w, t in zip(p.specs.writers, p.writer_types, strict=True):
            if int(t) != int(p.backup_type):
                out.append(f"writer {writer_name(w)!r} does not support {p.backup_type.name} "
                           f"backups (schema 0x{int(w.backup_schema):X}): its files are backed "
                           f"up as {BackupType(int(t)).name}")
        unmatched = self.unmatched_includes
        if unmatched:
            shown = "; ".join(f"{w or '-'} / {c or '-'}: {f.path}\\{f.filespec}"
                              for w, c, f in unmatched[:_QUOTED])
            more = f" and {len(unmatched) - _QUOTED} more" if len(unmatched) > _QUOTED else ""
            out.append(f"{len(unmatched)} include file sets matched no file of the catalog: "
                       f"{shown}{more}")
        if self.invalid_rows:
            shown = "; ".join(f"row {r}: {path!r} ({st.name or int(st)})"
                              for r, path, st in self._invalid_examples)
            out.append(f"{self.invalid_rows} rows have no valid path and are not copied: {shown}")
        if self.copies_without_volume:
            out.append(f"{self.copies_without_volume} files to copy have a path on no volume "
                       "(relative, or rooted on nothing): they cannot be read from a shadow copy")
        if self.unknown_mtime_copies:
            out.append(f"{self.unknown_mtime_copies} files are copied only because their mtime "
                       "is unknown (null or out of range)")
        return out

    def to_dict(self):
        """The summary as JSON-ready types."""
        p = self._planner
        return {
            "backup_type": p.backup_type.name,
            "since": p.since,
            "since_iso": self.since_iso,
            "unclaimed": p.unclaimed,
            "rows": self.rows,
            "invalid_rows": self.invalid_rows,
            "snapshot_set": self.snapshot_set,
            "volumes": [{"volume": v, "csv": self.is_csv(v), **t.as_dict()}
                        for v, t in self.volumes.items()],
            "components": [{"writer": w, "component": c, **t.as_dict()}
                           for (w, c), t in self.components.items()],
            "warnings": self.warnings,
        }

    def __repr__(self):
        return (f"PlanSummary({self.rows} rows, {len(self._names)} volumes, snapshot set "
                f"{self.snapshot_set})")
