"""The benchmark baselines compute the same rule as classify (so their timings compare like
with like)."""
import sys
from pathlib import Path

import numpy as np
import pytest

import csvbackup as cb

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from baselines import NumpyClassifier  # noqa: E402
from inputs import catalog  # noqa: E402


@pytest.mark.parametrize("btype", [1, 2, 3, 4, 5])
def test_numpy_baseline_agrees(btype):
    masks, mtimes, since = catalog(100_003)
    out = np.empty(masks.shape[0], np.uint8)
    NumpyClassifier(chunk=4096)(masks, btype, mtimes, since, out)
    assert np.array_equal(out, cb.classify(masks, btype, mtimes=mtimes, since=since))


def test_numpy_baseline_validates():
    with pytest.raises(ValueError):
        NumpyClassifier()(np.array([0x20000], np.uint32), 1, np.zeros(1, np.int64), 0,
                          np.empty(1, np.uint8))
