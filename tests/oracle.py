"""Plain-Python reference for the VSS file-spec decision, written from the rules as the spec
page (docs/reference/spec-pages.md section 5) and docs/reference/vss-filespec.md section 0 state
them. It shares no code with csvbackup: the tests compare the fast path against it."""

FULL, INCREMENTAL, DIFFERENTIAL, LOG, COPY, OTHER = 1, 2, 3, 4, 5, 6

# backup-required / snapshot-required bit per backup type (docs/reference/spec-pages.md section 5;
# COPY like FULL)
BACKUP_BIT = {FULL: 0x1, INCREMENTAL: 0x4, DIFFERENTIAL: 0x2, LOG: 0x8, COPY: 0x1}
SNAPSHOT_BIT = {FULL: 0x100, INCREMENTAL: 0x400, DIFFERENTIAL: 0x200, LOG: 0x800, COPY: 0x100}
# schema bit the requester needs for each type, else the writer's data is backed up FULL
SCHEMA_BIT = {INCREMENTAL: 0x2, DIFFERENTIAL: 0x1, LOG: 0x8, COPY: 0x10}

D_COPY, D_SNAPSHOT, D_PARTIAL, D_EXCLUDED, D_CREATED, D_BY_MTIME = 1, 2, 4, 8, 16, 32
E_EXCLUDED, E_DIFFERENCED, E_PARTIAL = 1, 2, 4

# error kinds, in the order a batch reports them
KINDS = ["mask", "type", "entry", "mtime", "differenced_since", "needs_since", "needs_mtime"]


class RowError(Exception):
    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def effective_type(requested, schema):
    if requested not in range(1, 7):
        raise RowError("type")
    need = SCHEMA_BIT.get(requested)
    if need is None or schema & need:
        return requested
    return FULL


def decide(mask, btype, entry=0, mtime=None, since=None, differenced_since=0):
    """The Decision bits for one file, or RowError(kind)."""
    if not 0 <= mask <= 0xFFFFFFFF or mask & ~0x10F0F:
        raise RowError("mask")
    if btype not in range(1, 7):
        raise RowError("type")
    if not 0 <= entry <= 0xFF or entry & ~7:
        raise RowError("entry")
    if mtime is not None and mtime < 0:
        raise RowError("mtime")
    if differenced_since < 0:
        raise RowError("differenced_since")

    # 1. writer excludes win over everything
    if entry & E_EXCLUDED:
        return D_EXCLUDED
    created = D_CREATED if mask & 0x10000 else 0
    other = btype == OTHER
    from_snapshot = other or bool(mask & SNAPSHOT_BIT[btype])

    def changed_since(threshold):
        if threshold is None:
            raise RowError("needs_since")
        if mtime is None:
            raise RowError("needs_mtime")
        return mtime >= threshold  # inclusive, as BETest

    # 2. differenced files: copied iff changed since the threshold (0 = the requester's since)
    if entry & E_DIFFERENCED:
        if changed_since(differenced_since if differenced_since else since):
            return D_COPY | D_BY_MTIME | (D_SNAPSHOT if from_snapshot else 0) | created
        return created
    # 3. partial files: only the ranges
    if entry & E_PARTIAL:
        return D_PARTIAL | (D_SNAPSHOT if from_snapshot else 0) | created
    # 4. the mask
    if other or mask & BACKUP_BIT[btype]:
        return D_COPY | (D_SNAPSHOT if from_snapshot else 0) | created
    if btype in (INCREMENTAL, DIFFERENTIAL) and changed_since(since):
        return D_COPY | D_BY_MTIME | (D_SNAPSHOT if from_snapshot else 0) | created
    return created


def classify(masks, types, entries=None, mtimes=None, since=None, differenced_since=None):
    """Per-row decisions, or (kind, first index) of the error a batch reports."""
    n = len(masks)
    out, first = [], {}
    for i in range(n):
        t = types[i] if isinstance(types, (list, tuple)) else types
        ds = differenced_since[i] if isinstance(differenced_since, (list, tuple)) else (
            differenced_since or 0)
        try:
            out.append(decide(masks[i], t, entries[i] if entries is not None else 0,
                              mtimes[i] if mtimes is not None else None, since, ds))
        except RowError as e:
            first.setdefault(e.kind, i)
            out.append(None)
    for kind in KINDS:
        if kind in first:
            return kind, first[kind]
    return out
