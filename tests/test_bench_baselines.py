"""The benchmark baselines compute what csvbackup computes (so their timings compare like
with like): the classify rule, and the CLUSPROP bytes and values."""
import numpy as np
import pytest

import csvbackup as cb
import tree
from baselines import NumpyClassifier
from clusprop_baselines import NumpyTemplate, StructBuilder, python_parse
from inputs import catalog


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


def test_clusprop_baselines_agree():
    values = np.arange(1001, dtype=np.uint32) * 7919
    expected, _ = cb.build_property_lists("BackupInProgress", values)
    out = np.empty_like(expected)
    assert np.array_equal(NumpyTemplate("BackupInProgress")(values, out), expected)
    sb = bytearray(expected.nbytes)
    assert bytes(StructBuilder("BackupInProgress")(values, sb)) == expected.tobytes()
    data = (tree.DATA / "samba_node_props.bin").read_bytes()
    assert python_parse(data) == cb.PropertyList.from_buffer(data).to_dict()
