"""CSV backup mode: CLUS_SHARED_VOLUME_BACKUP_MODE, byte-exact with Windows.

A backup application sends this 528-byte structure with
CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE (0x0140029A) to a CSV resource: DWORD
BackupState @0, DWORD DelayTimerInSecs @4, WCHAR VolumeName[260] @8, zero-filled after the
name's NUL (docs/reference/spec-pages.md sections 1 and 2; docs/reference/cluster-formats.md section 3.1).

The rules, enforced when a mode is built and when one is decoded (MSDOC's page on the
structure, and include/csvbackup/csv_backup.h, which checks them in C): BackupState is 0
(NONE) or 1 (IN_PROGRESS); NONE needs DelayTimerInSecs 0 and IN_PROGRESS a positive one;
VolumeName is either a friendly name (the CSV's folder name under C:\\ClusterStorage, so a
valid folder name) or exactly \\\\?\\Volume{GUID}\\, at most 259 WCHARs, without NUL.
"""
import enum
import operator
from dataclasses import dataclass
from typing import ClassVar

from . import _csvcore as _core
from .errors import InvalidParameterError

__all__ = ["BackupState", "SharedVolumeBackupMode"]


class BackupState(enum.IntEnum):
    """CLUSTER_SHARED_VOLUME_BACKUP_STATE (ClusApi.h): VolumeBackupNone, VolumeBackupInProgress."""

    NONE = 0
    IN_PROGRESS = 1


@dataclass(frozen=True)
class SharedVolumeBackupMode:
    """CLUS_SHARED_VOLUME_BACKUP_MODE: a CSV's backup state, its delay timer and its name.

    Invalid combinations raise InvalidParameterError naming the rule, on construction and in
    :meth:`from_buffer`.
    """

    state: BackupState
    delay_timer_secs: int
    volume_name: str

    SIZE: ClassVar[int] = _core.BACKUP_MODE_SIZE  #: 528

    def __post_init__(self):
        if not isinstance(self.volume_name, str):
            raise TypeError(f"volume_name is a str, not {type(self.volume_name).__name__}")
        for field in ("state", "delay_timer_secs"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{field} is an int, not {type(value).__name__}")
        _core.check_backup_mode(int(self.state), int(self.delay_timer_secs), self.volume_name)
        object.__setattr__(self, "state", BackupState(self.state))
        object.__setattr__(self, "delay_timer_secs", int(self.delay_timer_secs))

    def to_bytes(self):
        """The 528 bytes Windows expects."""
        return _core.backup_mode_bytes(int(self.state), self.delay_timer_secs, self.volume_name)

    def pack_into(self, buf, offset=0):
        """Write the structure into writable `buf` at `offset`; returns 528. MoreDataError
        (with ``.required``) when the buffer is too small; nothing is written then."""
        return _core.pack_backup_mode(int(self.state), self.delay_timer_secs, self.volume_name,
                                      buf, offset)

    @classmethod
    def from_buffer(cls, buf, offset=0):
        """Decode the structure at buf[offset:offset + 528] (bytes after the name's NUL are
        ignored); `buf` is any buffer, contiguous or strided (read through a copy).
        InvalidParameterError naming the rule and the byte offset when it breaks one, or when
        fewer than 528 bytes are there."""
        if isinstance(offset, bool) or not hasattr(type(offset), "__index__"):
            raise InvalidParameterError(f"offset {offset!r} is not an int")
        offset = operator.index(offset)  # numpy integers too
        view = memoryview(buf)
        if not view.c_contiguous:  # a strided view (every other byte, say): its bytes, in order
            buf = view.tobytes()
        if not 0 <= offset <= view.nbytes:  # the core's message, for offsets past its ssize_t
            raise InvalidParameterError(f"offset {offset} is outside the {view.nbytes}-byte buffer")
        state, delay, name = _core.unpack_backup_mode(buf, offset)
        return cls(BackupState(state), delay, name)
