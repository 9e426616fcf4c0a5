"""A realistic generated catalog, for the `csvbackup classify --demo` job and the benchmarks.

Writers, masks and schemas follow what real Windows hosts report (tests/data/wmd/):
in-box writers with schema 0 and the default mask 0xF0F, SQL Server's writer with
backupSchema 881 (DIFFERENTIAL|COPY|TIMESTAMPED|LAST_MODIFY|..., no INCREMENTAL), and an
application writer that supports every backup type and marks its database files FULL-only
(so INCREMENTAL/DIFFERENTIAL backups take them by modification time).
"""
from dataclasses import dataclass

import numpy as np

from .decision import Decision, EntryFlag
from .filetime import UNIX_EPOCH_AS_FILETIME
from .vss import BackupSchema as S
from .vss import FileSpecBackupType as F

__all__ = ["DemoWriter", "DEMO_WRITERS", "make_catalog", "summarize"]

TICKS_PER_DAY = 864_000_000_000
#: The demo's "now": 2026-11-22 00:00 UTC.
DEMO_NOW = UNIX_EPOCH_AS_FILETIME + 20_779 * TICKS_PER_DAY


@dataclass(frozen=True)
class DemoWriter:
    """One VSS writer of the demo catalog: its schema, share of files and mask mix."""

    name: str
    schema: int
    share: float
    masks: tuple  # ((mask, probability), ...)


DEMO_WRITERS = (
    DemoWriter("System Writer", 0, 0.50, ((F.ALL_BACKUP_REQUIRED | F.ALL_SNAPSHOT_REQUIRED, 1.0),)),
    DemoWriter("Registry Writer", 0, 0.02, ((0xF0F, 1.0),)),
    DemoWriter("File server data (no writer: default mask)", 0, 0.20, ((0xF0F, 1.0),)),
    DemoWriter("SqlServerWriter", int(S.DIFFERENTIAL | S.COPY | S.TIMESTAMPED | S.LAST_MODIFY
                                      | S.WRITER_SUPPORTS_NEW_TARGET
                                      | S.WRITER_SUPPORTS_RESTORE_WITH_MOVE),
               0.13, ((0xF0F, 0.95), (0xF0F | F.CREATED_DURING_BACKUP, 0.05))),
    DemoWriter("Application writer (all backup types)",
               int(S.DIFFERENTIAL | S.INCREMENTAL | S.LOG | S.COPY | S.LAST_MODIFY), 0.15,
               ((F.FULL_BACKUP_REQUIRED | F.FULL_SNAPSHOT_REQUIRED, 0.70),   # database files
                (F.ALL_BACKUP_REQUIRED | F.ALL_SNAPSHOT_REQUIRED, 0.20),    # transaction logs
                (F.LOG_BACKUP_REQUIRED | F.LOG_SNAPSHOT_REQUIRED, 0.08),    # log-only archive
                (0xF0F | F.CREATED_DURING_BACKUP, 0.02))),                  # checkpoint files
)


def make_catalog(rows, *, seed=0, since_days=7):
    """Generate a catalog of `rows` files: a dict of numpy arrays.

    Keys: ``writer`` (uint8 index into `DEMO_WRITERS`), ``masks`` (uint32), ``mtimes``
    (FILETIME int64: ages spread over about two years, 5 % changed in the last week),
    ``entry_flags`` (uint8: 0.3 % excluded, 1 % differenced, 0.1 % partial),
    ``differenced_since`` (int64: 0, or a day before `since` for SQL's differenced files),
    ``writer_schema`` (uint32 per writer) and ``since`` (the reference FILETIME).
    """
    rng = np.random.default_rng(seed)
    shares = np.array([w.share for w in DEMO_WRITERS])
    writer = rng.choice(len(DEMO_WRITERS), size=rows, p=shares / shares.sum()).astype(np.uint8)
    masks = np.empty(rows, dtype=np.uint32)
    for k, w in enumerate(DEMO_WRITERS):
        sel = np.flatnonzero(writer == k)
        values = np.array([m for m, _ in w.masks], dtype=np.uint32)
        probs = np.array([p for _, p in w.masks])
        masks[sel] = rng.choice(values, size=sel.size, p=probs / probs.sum())
    since = DEMO_NOW - since_days * TICKS_PER_DAY
    age_days = rng.exponential(120.0, rows)
    recent = rng.random(rows) < 0.05
    age_days[recent] = rng.random(int(recent.sum())) * since_days
    mtimes = DEMO_NOW - (age_days * TICKS_PER_DAY).astype(np.int64)
    u = rng.random(rows)
    entry = np.zeros(rows, dtype=np.uint8)
    entry[u < 0.003] = EntryFlag.EXCLUDED
    entry[(u >= 0.003) & (u < 0.013)] = EntryFlag.DIFFERENCED
    entry[(u >= 0.013) & (u < 0.014)] = EntryFlag.PARTIAL
    diff_since = np.where((entry == EntryFlag.DIFFERENCED) & (writer == 3),
                          since - TICKS_PER_DAY, 0).astype(np.int64)
    return {
        "writer": writer, "masks": masks, "mtimes": mtimes, "entry_flags": entry,
        "differenced_since": diff_since,
        "writer_schema": np.array([w.schema for w in DEMO_WRITERS], dtype=np.uint32),
        "since": since,
    }


def summarize(decisions):
    """Counts per `Decision` bit, plus ``"skipped"`` (rows with no COPY, PARTIAL or
    EXCLUDED), from one pass over the decisions."""
    hist = np.bincount(np.asarray(decisions, dtype=np.uint8), minlength=256)
    values = np.arange(256)
    counts = {flag.name: int(hist[(values & flag) != 0].sum()) for flag in Decision}
    acted = Decision.COPY | Decision.PARTIAL | Decision.EXCLUDED
    counts["skipped"] = int(hist[(values & acted) == 0].sum())
    return counts
