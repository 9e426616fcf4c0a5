r"""Which Cluster Shared Volume holds each path of a catalog.

`VolumeMap` takes the CSVs (``cluster.shared_volumes()``, or ``(path, volume_guid_path)``
pairs) and answers, for millions of paths at a time, the index of the CSV each path lives
on. A CSV is reachable under its mount point (``C:\ClusterStorage\Volume1``) and its volume
GUID path (``\\?\Volume{...}\``); paths compare in the canonical form of
`csvbackup.filespec` (case-insensitive, ``\`` or ``/``, ``\\?\C:\...`` is ``C:\...``). The
longest matching mount point wins, so a CSV mounted inside another's folder is found.
"""
import numpy as np

from . import _csvcore
from ._strings import StringColumn
from .build_info import resolve_threads
from .errors import InvalidParameterError

__all__ = ["VolumeMap"]


def _mounts_of(volume):
    if isinstance(volume, str):
        return (volume,)
    if hasattr(volume, "volume_guid_path") and hasattr(volume, "path"):
        return (volume.path, volume.volume_guid_path)
    if isinstance(volume, (tuple, list)):
        return tuple(volume)
    raise TypeError("each volume must be a SharedVolume, a (path, volume_guid_path) pair or a "
                    f"path; got {type(volume).__name__}")


def _as_pair(volume):
    if hasattr(volume, "volume_guid_path") and hasattr(volume, "path"):
        return (volume.path, volume.volume_guid_path)
    return volume


class VolumeMap:
    """Mount points of CSVs, compiled for `lookup`.

    Parameters
    ----------
    volumes : iterable
        `SharedVolume` objects, ``(path, volume_guid_path)`` pairs (either may be None or
        empty), or single mount-point strings. The position of each is its index in `lookup`.

    Raises
    ------
    InvalidParameterError
        The same mount point given for two different volumes, or a mount point that is empty
        or holds a NUL.
    """

    def __init__(self, volumes):
        self.volumes = tuple(volumes)
        dirs, index = [], []
        for i, v in enumerate(self.volumes):
            for m in _mounts_of(v):
                if m is None or m == "":
                    continue
                if not isinstance(m, str):
                    raise TypeError(f"volumes[{i}]: mount points are str, got {type(m).__name__}")
                if "\0" in m or not m.strip("\\/"):
                    raise InvalidParameterError(f"volumes[{i}]: {m!r} is not a mount point")
                dirs.append(m)
                index.append(i)
        self._map, bad, why = _csvcore.build_mounts(dirs, index)
        if self._map is None:
            if why == _csvcore.SPEC_DUPLICATE_MOUNT:
                first = next(j for j in range(bad) if _same(dirs[j], dirs[bad]))
                raise InvalidParameterError(
                    f"volumes[{index[bad]}] and volumes[{index[first]}] share the mount point "
                    f"{dirs[bad]!r}")
            raise InvalidParameterError(f"volumes[{index[bad]}]: {dirs[bad]!r} is not a mount point")

    def __len__(self):
        return len(self.volumes)

    def __reduce__(self):
        # The volumes as (path, volume GUID path) pairs (a SharedVolume belongs to its open
        # cluster); the copy compiles its few mount points again.
        return VolumeMap, ([_as_pair(v) for v in self.volumes],)

    def __repr__(self):
        return f"VolumeMap({len(self.volumes)} volumes, {self._map.directories} mount points)"

    def lookup(self, paths, *, threads=None, out=None):
        """The index of the volume holding each path; -1 for none, a null or an invalid path.

        Parameters
        ----------
        paths : the string inputs of `FileSpecSet.match` (list, numpy, pyarrow).
        threads : int, optional
        out : ndarray[int32], optional
            Filled in place and returned.
        """
        column = StringColumn(paths)
        n = len(column)
        if out is None:
            out = np.empty(n, dtype=np.int32)
        elif not (isinstance(out, np.ndarray) and out.dtype == np.int32 and out.shape == (n,)
                  and out.flags.c_contiguous and out.flags.writeable):
            raise ValueError(f"out must be a writable contiguous int32 array of {n} rows")
        nthreads = resolve_threads(threads)
        for start, stop, source in column.chunks():
            _csvcore.mounts_lookup(self._map, source, out[start:stop], None, nthreads)
        return out


def _same(a, b):
    return _csvcore.canonical_path(a)[1] == _csvcore.canonical_path(b)[1]
