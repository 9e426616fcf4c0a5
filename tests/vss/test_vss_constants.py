"""The enumerations carry exactly the values of Windows' vss.h (docs/reference/spec-pages.md
section 5; mingw vss.h)."""
import csvbackup as cb


def test_file_spec_backup_type():
    F = cb.FileSpecBackupType
    for name, value in [("FULL_BACKUP_REQUIRED", 0x1), ("DIFFERENTIAL_BACKUP_REQUIRED", 0x2),
                        ("INCREMENTAL_BACKUP_REQUIRED", 0x4), ("LOG_BACKUP_REQUIRED", 0x8),
                        ("FULL_SNAPSHOT_REQUIRED", 0x100),
                        ("DIFFERENTIAL_SNAPSHOT_REQUIRED", 0x200),
                        ("INCREMENTAL_SNAPSHOT_REQUIRED", 0x400), ("LOG_SNAPSHOT_REQUIRED", 0x800),
                        ("CREATED_DURING_BACKUP", 0x10000), ("ALL_BACKUP_REQUIRED", 0xF),
                        ("ALL_SNAPSHOT_REQUIRED", 0xF00)]:
        assert F[name] == value
    assert cb.DEFAULT_FILESPEC_MASK == 0xF0F == 3855


def test_backup_type():
    assert [(t.name, int(t)) for t in cb.BackupType] == [
        ("UNDEFINED", 0), ("FULL", 1), ("INCREMENTAL", 2), ("DIFFERENTIAL", 3), ("LOG", 4),
        ("COPY", 5), ("OTHER", 6)]


def test_backup_schema():
    S = cb.BackupSchema
    expected = {"UNDEFINED": 0x0, "DIFFERENTIAL": 0x1, "INCREMENTAL": 0x2,
                "EXCLUSIVE_INCREMENTAL_DIFFERENTIAL": 0x4, "LOG": 0x8, "COPY": 0x10,
                "TIMESTAMPED": 0x20, "LAST_MODIFY": 0x40, "LSN": 0x80,
                "WRITER_SUPPORTS_NEW_TARGET": 0x100, "WRITER_SUPPORTS_RESTORE_WITH_MOVE": 0x200,
                "INDEPENDENT_SYSTEM_STATE": 0x400, "ROLLFORWARD_RESTORE": 0x1000,
                "RESTORE_RENAME": 0x2000, "AUTHORITATIVE_RESTORE": 0x4000,
                "WRITER_SUPPORTS_PARALLEL_RESTORES": 0x8000}
    for name, value in expected.items():
        assert S[name] == value
    assert len(S.__members__) == len(expected)


def test_decision_and_entry_flags():
    D, E = cb.Decision, cb.EntryFlag
    assert (D.COPY, D.SNAPSHOT, D.PARTIAL, D.EXCLUDED, D.CREATED_DURING_BACKUP, D.BY_MTIME) == (
        1, 2, 4, 8, 16, 32)
    assert (E.EXCLUDED, E.DIFFERENCED, E.PARTIAL) == (1, 2, 4)
