"""csvbackup.dask without a distributed client: building a plan computes nothing, and the
local threaded scheduler, whose threads share one planner, gives the single-process plan."""
import pytest

import csvbackup as cb
from plan_catalog import EXTRA, ROWS, SIZES, SPECS, VOLUMES, one_process, rows_of, write_catalog

pytest.importorskip("dask")
cbd = pytest.importorskip("csvbackup.dask")


@pytest.fixture
def catalog(tmp_path):
    return write_catalog(tmp_path / "catalog", ROWS + EXTRA, SIZES + [len(EXTRA)])


def test_building_the_plan_computes_nothing(catalog):
    from dask.callbacks import Callback
    started = []
    with Callback(pretask=lambda *a: started.append(a)):
        df = cbd.plan(catalog, SPECS, cb.BackupType.FULL, volumes=VOLUMES)
    assert started == [] and list(df._meta.columns)[-len(cb.PLAN_COLUMNS):] == \
        list(cb.PLAN_COLUMNS)
    # the local threaded scheduler shares one planner between threads: the same plan
    assert rows_of(df.compute(scheduler="threads")) == one_process(catalog, cb.BackupType.FULL)[0]
