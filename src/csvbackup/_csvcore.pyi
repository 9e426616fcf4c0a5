"""Type stubs for csvbackup._csvcore, the Cython core (src/_csvcore.pyx)."""
from typing import Optional

import numpy as np
import numpy.typing as npt

NO_TIME: int
STATUS_BAD_MASK: int
STATUS_BAD_TYPE: int
STATUS_BAD_ENTRY: int
STATUS_NEGATIVE_MTIME: int
STATUS_NEGATIVE_DIFF_SINCE: int
STATUS_NEEDS_SINCE: int
STATUS_NEEDS_MTIME: int
STATUS_BITS: tuple[int, ...]

def openmp_enabled() -> bool: ...
def kernel_isa() -> str: ...
def select_isa(name: str) -> bool: ...
def effective_backup_type(requested: int, schema: int) -> int: ...
def effective_types_into(
    requested: npt.NDArray[np.uint32], schema: npt.NDArray[np.uint32], out: npt.NDArray[np.uint8]
) -> int: ...
def decide_row(
    mask: int, btype: int, entry: int, mtime: int, have_mtime: bool, differenced_since: int,
    since: int,
) -> tuple[int, int]: ...
def classify_into(
    masks: npt.NDArray[np.uint32],
    types: Optional[npt.NDArray[np.uint8]],
    type0: int,
    entries: Optional[npt.NDArray[np.uint8]],
    mtimes: Optional[npt.NDArray[np.int64]],
    differenced_since: Optional[npt.NDArray[np.int64]],
    differenced_since0: int,
    since: int,
    out: npt.NDArray[np.uint8],
    threads: int,
    grain: int,
) -> tuple[int, dict[int, int]]: ...
def count_invalid_masks(masks: npt.NDArray[np.uint32], express: bool) -> int: ...
def find_invalid_masks(
    masks: npt.NDArray[np.uint32], express: bool, out: npt.NDArray[np.intp]
) -> int: ...
def traffic_probe(
    masks: npt.NDArray[np.uint32], mtimes: npt.NDArray[np.int64], out: npt.NDArray[np.uint8],
    threads: int, grain: int,
) -> None: ...
