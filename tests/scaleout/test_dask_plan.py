"""Plans on a real Dask cluster (`dask.distributed.LocalCluster`, two worker processes on
loopback): row for row and summary for summary the single-process plan, over a catalog of
several Parquet files with nulls, paths on no CSV and non-ASCII names; a worker killed mid-run
loses and duplicates nothing; the command line's --dask; and `import csvbackup` never imports
Dask."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import csvbackup as cb
from cli_run import bad, run
from plan_catalog import (
    EXTRA,
    ROWS,
    SINCE,
    SIZES,
    SPECS,
    VOLUMES,
    batch_of,
    one_process,
    rows_of,
    write_catalog,
)

distributed = pytest.importorskip("distributed")
cbd = pytest.importorskip("csvbackup.dask")
pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def client():
    with cbd.connect("local:2") as c:
        yield c


@pytest.fixture
def catalog(tmp_path):
    return write_catalog(tmp_path / "catalog", ROWS + EXTRA, SIZES + [len(EXTRA)])


def test_the_distributed_plan_is_the_single_process_plan(client, catalog, tmp_path):
    want, want_summary = one_process(catalog)
    df = cbd.plan(catalog, SPECS, cb.BackupType.INCREMENTAL, volumes=VOLUMES, since=SINCE)
    assert list(df.columns) == [*pq.read_schema(catalog / "cat-00.parquet").names,
                                *cb.PLAN_COLUMNS]
    assert df.npartitions >= 2
    assert rows_of(df.compute()) == want
    assert cbd.summary(df).to_dict() == want_summary.to_dict()
    written = cbd.write(df, tmp_path / "plan")
    assert written.to_dict() == want_summary.to_dict()
    assert rows_of(tmp_path / "plan") == want
    # a plan read back from its folder sums the same, given its planner
    import dask.dataframe as dd
    back = dd.read_parquet(str(tmp_path / "plan"), dtype_backend="pyarrow")
    assert cbd.summary(back, planner=cbd.planner_of(df)).to_dict() == want_summary.to_dict()


def test_globs_and_dask_dataframes_as_catalogs(client, catalog):
    import dask.dataframe as dd
    want, _ = one_process(catalog, cb.BackupType.FULL)
    for source in (str(catalog / "cat-*.parquet"),
                   dd.read_parquet(cb.open_catalog(catalog).files, dtype_backend="pyarrow")):
        df = cbd.plan(source, SPECS, cb.BackupType.FULL, volumes=VOLUMES)
        assert rows_of(df.compute()) == want


def big_catalog(folder, files, rows_per_file):
    """`files` Parquet files of the named rows repeated with numbered names."""
    base = pa.Table.from_batches([batch_of(ROWS + EXTRA)])
    reps = rows_per_file // base.num_rows + 1
    folder.mkdir()
    for k in range(files):
        t = pa.concat_tables([base] * reps).slice(0, rows_per_file)
        n = pa.array([f"{k}-{i}" for i in range(t.num_rows)])
        path = pc.binary_join_element_wise(t.column("path"), n, "_")
        pq.write_table(t.set_column(0, "path", path), folder / f"cat-{k:02d}.parquet")
    return folder


def test_a_worker_killed_mid_run_loses_no_row(client, tmp_path):
    catalog = big_catalog(tmp_path / "big", 16, 60_000)
    want, want_summary = one_process(catalog)
    df = cbd.plan(catalog, SPECS, cb.BackupType.INCREMENTAL, volumes=VOLUMES, since=SINCE)
    pids = client.run(os.getpid)
    result = {}

    def run_write():
        try:
            result["summary"] = cbd.write(df, tmp_path / "plan")
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            result["error"] = e

    writer = threading.Thread(target=run_write)
    writer.start()
    deadline = time.monotonic() + 60
    while not list((tmp_path / "plan").glob("part-*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.005)
    written_before = len(list((tmp_path / "plan").glob("part-*.parquet")))
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    writer.join(120)
    assert not writer.is_alive() and "error" not in result, result.get("error")
    assert 1 <= written_before < 16  # the kill came mid-run
    parts = sorted((tmp_path / "plan").glob("part-*.parquet"))
    assert [p.name for p in parts] == [f"part-{k:05d}.parquet" for k in range(16)]
    assert not list((tmp_path / "plan").glob(".*partial"))
    assert rows_of(tmp_path / "plan") == want
    assert result["summary"].to_dict() == want_summary.to_dict()
    client.wait_for_workers(2, timeout=60)


def test_the_command_line(client, catalog, tmp_path, capsys):
    # the single-process plan and summary, then the same through --dask local:2
    common = ["plan", "--type", "incremental", "--since", str(SINCE), "--writers",
              str(cb.example_host.EXAMPLES), "--catalog", str(catalog), "--json"]
    code, text, err = run(capsys, *common, "--out", tmp_path / "one.parquet")
    assert code == 0, err
    one = json.loads(text)
    code, text, err = run(capsys, *common, "--out", tmp_path / "many", "--dask", "local:2")
    assert code == 0, err
    many = json.loads(text)
    for key in ("out", "seconds", "source"):
        one.pop(key), many.pop(key)
    assert one == many
    assert pq.read_table(tmp_path / "one.parquet").to_pylist() == rows_of(tmp_path / "many")
    assert "--out FOLDER" in bad(capsys, *common[:-1], "--dask", "local:2")
    assert "local:N" in bad(capsys, *common[:-1], "--out", tmp_path / "x", "--dask", "local:x")
    assert "holds a plan" in bad(capsys, *common[:-1], "--out", tmp_path / "many",
                                 "--dask", "local:1")


def test_import_csvbackup_does_not_import_dask():
    code = ("import sys, csvbackup, csvbackup.cli; "
            "assert not any(m == 'dask' or m.startswith(('dask.', 'distributed')) "
            "for m in sys.modules), sorted(m for m in sys.modules if 'dask' in m)")
    subprocess.run([sys.executable, "-c", code], check=True)
