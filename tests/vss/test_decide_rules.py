"""One explicit case per row of the decision table (docs/reference/vss-filespec.md section 0;
docs/reference/spec-pages.md section 5)."""
import pytest

import csvbackup as cb
from csvbackup import BackupType as BT
from csvbackup import Decision as D
from csvbackup import EntryFlag as E
from csvbackup import FileSpecBackupType as F

DEFAULT = cb.DEFAULT_FILESPEC_MASK
SINCE = 1_000

CASES = [
    # 4. by mask: copy bit of the effective type -> COPY (+ SNAPSHOT with its snapshot bit)
    ("default mask, FULL", DEFAULT, BT.FULL, {}, D.COPY | D.SNAPSHOT),
    ("default mask, INCREMENTAL", DEFAULT, BT.INCREMENTAL, {}, D.COPY | D.SNAPSHOT),
    ("default mask, DIFFERENTIAL", DEFAULT, BT.DIFFERENTIAL, {}, D.COPY | D.SNAPSHOT),
    ("default mask, LOG", DEFAULT, BT.LOG, {}, D.COPY | D.SNAPSHOT),
    ("default mask, COPY", DEFAULT, BT.COPY, {}, D.COPY | D.SNAPSHOT),
    ("default mask, OTHER", DEFAULT, BT.OTHER, {}, D.COPY | D.SNAPSHOT),
    ("FULL bit without snapshot bit: live volume", F.FULL_BACKUP_REQUIRED, BT.FULL, {}, D.COPY),
    ("FULL bit + another type's snapshot bit", F.FULL_BACKUP_REQUIRED | F.LOG_SNAPSHOT_REQUIRED,
     BT.FULL, {}, D.COPY),
    ("INCREMENTAL uses 0x4/0x400", F.INCREMENTAL_BACKUP_REQUIRED | F.INCREMENTAL_SNAPSHOT_REQUIRED,
     BT.INCREMENTAL, {}, D.COPY | D.SNAPSHOT),
    ("DIFFERENTIAL uses 0x2/0x200",
     F.DIFFERENTIAL_BACKUP_REQUIRED | F.DIFFERENTIAL_SNAPSHOT_REQUIRED, BT.DIFFERENTIAL, {},
     D.COPY | D.SNAPSHOT),
    ("LOG uses 0x8/0x800", F.LOG_BACKUP_REQUIRED | F.LOG_SNAPSHOT_REQUIRED, BT.LOG, {},
     D.COPY | D.SNAPSHOT),
    ("COPY is like FULL: 0x1/0x100", F.FULL_BACKUP_REQUIRED | F.FULL_SNAPSHOT_REQUIRED, BT.COPY,
     {}, D.COPY | D.SNAPSHOT),
    ("COPY ignores the LOG bits", F.LOG_BACKUP_REQUIRED | F.LOG_SNAPSHOT_REQUIRED, BT.COPY, {}, 0),
    ("OTHER copies and snapshots whatever the mask", 0, BT.OTHER, {}, D.COPY | D.SNAPSHOT),
    # copy bit clear: FULL, COPY, LOG skip
    ("LOG-only file set in a FULL backup is skipped", 0x808, BT.FULL, {}, 0),
    ("FULL-only file set in a LOG backup is skipped", 0x101, BT.LOG,
     {"mtime": 5_000, "since": SINCE}, 0),
    ("COPY backup, no FULL bit: skipped", 0x808, BT.COPY, {}, 0),
    # copy bit clear: INCREMENTAL/DIFFERENTIAL copy iff mtime >= since
    ("INCREMENTAL, bit clear, changed after since", 0x101, BT.INCREMENTAL,
     {"mtime": SINCE + 1, "since": SINCE}, D.COPY | D.BY_MTIME),
    ("INCREMENTAL, bit clear, changed at since (inclusive)", 0x101, BT.INCREMENTAL,
     {"mtime": SINCE, "since": SINCE}, D.COPY | D.BY_MTIME),
    ("INCREMENTAL, bit clear, unchanged", 0x101, BT.INCREMENTAL,
     {"mtime": SINCE - 1, "since": SINCE}, 0),
    ("DIFFERENTIAL, bit clear, changed, snapshot bit set", 0x201, BT.DIFFERENTIAL,
     {"mtime": SINCE, "since": SINCE}, D.COPY | D.BY_MTIME | D.SNAPSHOT),
    ("DIFFERENTIAL, bit clear, unchanged", 0x201, BT.DIFFERENTIAL,
     {"mtime": SINCE - 1, "since": SINCE}, 0),
    # 1. excluded: EXCLUDED only
    ("excluded beats the mask", DEFAULT, BT.FULL, {"entry": E.EXCLUDED}, D.EXCLUDED),
    ("excluded beats differenced and created-during-backup", DEFAULT | F.CREATED_DURING_BACKUP,
     BT.INCREMENTAL, {"entry": E.EXCLUDED | E.DIFFERENCED}, D.EXCLUDED),
    ("excluded needs no since or mtime", 0x101, BT.INCREMENTAL, {"entry": E.EXCLUDED}, D.EXCLUDED),
    # 2. differenced: copied iff mtime >= threshold; 0 means since
    ("differenced, changed after its threshold", DEFAULT, BT.INCREMENTAL,
     {"entry": E.DIFFERENCED, "mtime": 600, "differenced_since": 500},
     D.COPY | D.BY_MTIME | D.SNAPSHOT),
    ("differenced, at its threshold (inclusive)", DEFAULT, BT.INCREMENTAL,
     {"entry": E.DIFFERENCED, "mtime": 500, "differenced_since": 500},
     D.COPY | D.BY_MTIME | D.SNAPSHOT),
    ("differenced, unchanged: not copied although the mask says copy", DEFAULT, BT.FULL,
     {"entry": E.DIFFERENCED, "mtime": 499, "differenced_since": 500}, 0),
    ("differenced, threshold 0 means since", 0x101, BT.DIFFERENTIAL,
     {"entry": E.DIFFERENCED, "mtime": SINCE, "since": SINCE}, D.COPY | D.BY_MTIME),
    ("differenced, threshold 0, before since", 0x101, BT.DIFFERENTIAL,
     {"entry": E.DIFFERENCED, "mtime": SINCE - 1, "since": SINCE}, 0),
    ("differenced threshold beats since", DEFAULT, BT.INCREMENTAL,
     {"entry": E.DIFFERENCED, "mtime": 700, "since": 800, "differenced_since": 600},
     D.COPY | D.BY_MTIME | D.SNAPSHOT),
    # 3. partial: PARTIAL (ranges only); differenced wins over partial
    ("partial", DEFAULT, BT.FULL, {"entry": E.PARTIAL}, D.PARTIAL | D.SNAPSHOT),
    ("partial without snapshot bit", F.ALL_BACKUP_REQUIRED, BT.FULL, {"entry": E.PARTIAL},
     D.PARTIAL),
    ("partial even when the mask would skip it", 0x808, BT.FULL, {"entry": E.PARTIAL},
     D.PARTIAL),
    ("partial under OTHER snapshots", 0, BT.OTHER, {"entry": E.PARTIAL}, D.PARTIAL | D.SNAPSHOT),
    ("partial and differenced: differenced wins", DEFAULT, BT.INCREMENTAL,
     {"entry": E.PARTIAL | E.DIFFERENCED, "mtime": 10, "differenced_since": 5},
     D.COPY | D.BY_MTIME | D.SNAPSHOT),
    ("partial and differenced, unchanged: nothing", DEFAULT, BT.INCREMENTAL,
     {"entry": E.PARTIAL | E.DIFFERENCED, "mtime": 4, "differenced_since": 5}, 0),
    # CREATED_DURING_BACKUP rides along
    ("created during backup, copied", DEFAULT | F.CREATED_DURING_BACKUP, BT.FULL, {},
     D.COPY | D.SNAPSHOT | D.CREATED_DURING_BACKUP),
    ("created during backup, skipped", 0x808 | F.CREATED_DURING_BACKUP, BT.FULL, {},
     D.CREATED_DURING_BACKUP),
]


@pytest.mark.parametrize("name, mask, btype, kw, expected", CASES, ids=[c[0] for c in CASES])
def test_rule(name, mask, btype, kw, expected):
    assert cb.decide(mask, btype, **kw) == expected
    # and the batch kernel agrees, as a one-row catalog
    row = {"entry_flags": [kw["entry"]]} if "entry" in kw else {}
    if "mtime" in kw:
        row["mtimes"] = [kw["mtime"]]
    if "differenced_since" in kw:
        row["differenced_since"] = [kw["differenced_since"]]
    assert cb.classify([mask], btype, since=kw.get("since"), **row).tolist() == [expected]


def test_incremental_without_since_names_the_rule():
    with pytest.raises(ValueError, match="needs `since`.*INCREMENTAL.*lacks INCREMENTAL_BACKUP"):
        cb.decide(0x101, BT.INCREMENTAL, mtime=5)
    with pytest.raises(cb.InvalidRowError, match="row 1 needs `since`") as info:
        cb.classify([0xF0F, 0x101], BT.DIFFERENTIAL, mtimes=[1, 2])
    assert info.value.index == 1 and info.value.argument == "since"


def test_rows_that_do_not_need_since_do_without():
    # every row has the type's copy bit: since and mtimes are not needed
    assert cb.classify([0xF0F, 0x404], BT.INCREMENTAL).tolist() == [3, 3]
    assert cb.classify([0x808], BT.FULL).tolist() == [0]


def test_differenced_without_mtime_names_the_rule():
    with pytest.raises(cb.InvalidRowError, match="row 2 needs its modification time") as info:
        cb.classify([1, 1, 1], BT.FULL, entry_flags=[0, 0, E.DIFFERENCED], since=5,
                    differenced_since=3)
    assert info.value.argument == "mtimes"


@pytest.mark.parametrize("requested, schema, expected", [
    (BT.FULL, 0, BT.FULL),
    (BT.INCREMENTAL, 0, BT.FULL),
    (BT.INCREMENTAL, cb.BackupSchema.INCREMENTAL, BT.INCREMENTAL),
    (BT.DIFFERENTIAL, cb.BackupSchema.INCREMENTAL, BT.FULL),
    (BT.DIFFERENTIAL, cb.BackupSchema.DIFFERENTIAL, BT.DIFFERENTIAL),
    (BT.LOG, cb.BackupSchema.DIFFERENTIAL, BT.FULL),
    (BT.LOG, cb.BackupSchema.LOG, BT.LOG),
    (BT.COPY, 0, BT.FULL),
    (BT.COPY, cb.BackupSchema.COPY, BT.COPY),
    (BT.OTHER, 0, BT.OTHER),
    # SQL Server 2017's writer: backupSchema="881" = DIFFERENTIAL|COPY|... without INCREMENTAL
    (BT.INCREMENTAL, 881, BT.FULL),
    (BT.DIFFERENTIAL, 881, BT.DIFFERENTIAL),
    (BT.COPY, 881, BT.COPY),
])
def test_effective_backup_type(requested, schema, expected):
    got = cb.effective_backup_type(requested, schema)
    assert got == expected and isinstance(got, cb.BackupType)


def test_effective_backup_type_rejects_undefined():
    with pytest.raises(ValueError, match="UNDEFINED"):
        cb.effective_backup_type(BT.UNDEFINED, 0xFFFF)
    with pytest.raises(ValueError, match=r"requested\[1\] = 7"):
        cb.effective_backup_type([1, 7], 0)
    with pytest.raises(ValueError, match="not a DWORD"):
        cb.effective_backup_type(1, -1)


def test_effective_types_broadcast_per_writer():
    schemas = [0, 881, cb.BackupSchema.INCREMENTAL | cb.BackupSchema.DIFFERENTIAL]
    assert cb.effective_backup_type(BT.INCREMENTAL, schemas).tolist() == [1, 1, 2]
    assert cb.effective_backup_type(BT.DIFFERENTIAL, schemas).tolist() == [1, 3, 3]
