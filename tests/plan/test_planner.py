r"""Planner: every column of every row against the plain-Python reference plan
(tests/plan_oracle.py), over the catalog shapes a cataloger meets, and the summary against sums
of the planned rows."""
import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csvbackup as cb
import plan_oracle
from plan_catalog import (
    G1,
    NAMES,
    NEW,
    OLD,
    PATHS,
    ROWS,
    SINCE,
    SPECS,
    SQL_DATA,
    VOLUMES,
    batch_of,
)

pa = pytest.importorskip("pyarrow")



def assert_plan(planned, rows, backup_type, *, since=SINCE, unclaimed="copy", specs=SPECS):
    want = plan_oracle.plan(specs, NAMES, backup_type, rows, since=since, unclaimed=unclaimed)
    got = planned if isinstance(planned, list) else planned.to_pylist()
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert {k: g[k] for k in w} == w, (i, rows[i][0])


@pytest.mark.parametrize("backup_type", list(cb.BackupType)[1:])
@pytest.mark.parametrize("unclaimed", ["copy", "skip"])
def test_every_row_agrees_with_the_reference(backup_type, unclaimed):
    p = cb.Planner(SPECS, VOLUMES, backup_type, since=SINCE, unclaimed=unclaimed)
    out = p.plan_batch(batch_of(ROWS))
    assert out.schema.names == ["path", "size", "mtime", "id", "entry_flags",
                                "differenced_since", *cb.PLAN_COLUMNS]
    assert out.column("id").to_pylist() == list(range(len(ROWS)))  # rows in = rows out
    assert_plan(out, ROWS, backup_type, unclaimed=unclaimed)


def test_the_plan_of_named_rows():
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.INCREMENTAL, since=SINCE)
    got = p.plan_batch(batch_of(ROWS)).to_pylist()
    by_path = {r["path"]: r for r in got}
    vhdx = by_path[ROWS[0][0]]
    assert (vhdx["volume"], vhdx["csv"], vhdx["writer"], vhdx["mask"]) == (G1, True, None, 0x9)
    assert vhdx["copy"] and vhdx["by_mtime"]           # mask lacks INCREMENTAL: by its mtime
    assert not by_path[ROWS[1][0]]["copy"]              # ... and this one is older
    assert by_path[ROWS[2][0]]["excluded"] and not by_path[ROWS[2][0]]["copy"]
    sql = by_path[ROWS[7][0]]
    assert sql["writer"].startswith("SqlServerWriter") and sql["component"].endswith("\\master")
    assert sql["copy"] and not sql["by_mtime"]          # the writer's type is FULL
    assert by_path[ROWS[9][0]]["volume"] == "D:\\" and by_path[ROWS[10][0]]["volume"] == "D:\\"
    assert {by_path[ROWS[k][0]]["volume"] for k in (11, 12, 13)} == {"\\\\srv\\share\\"}
    assert by_path[ROWS[15][0]]["volume"] is None       # relative: on no volume, still a row
    assert [r["path_status"] for r in got[16:18]] == [cb.PathStatus.NULL, cb.PathStatus.HAS_NUL]
    assert by_path[ROWS[18][0]]["excluded"]             # the catalog's own EXCLUDED flag
    full_only = by_path[ROWS[19][0]]                     # old, but its writer's type is FULL
    assert full_only["copy"] and full_only["from_snapshot"] and not full_only["by_mtime"]


@pytest.mark.parametrize("mtime_type", [pa.timestamp("us"), pa.timestamp("ns", tz="UTC"),
                                        pa.timestamp("s"), pa.timestamp("ms", tz="Europe/Paris")])
def test_timestamp_mtimes(mtime_type):
    rows = [(r[0], r[1], None if r[2] is None else r[2] - r[2] % 10**7, r[3], r[4])
            for r in ROWS]  # whole seconds: every unit holds them
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.DIFFERENTIAL, since=SINCE)
    assert_plan(p.plan_batch(batch_of(rows, mtime_type=mtime_type)), rows,
                cb.BackupType.DIFFERENTIAL)


def test_unknown_mtimes_are_copied_and_reported():
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.INCREMENTAL, since=SINCE)
    rows = [(r"D:\a", 1, None, 0, None), (r"D:\b", 1, -5, 0, None), (r"D:\c", 1, OLD, 0, None)]
    out = p.plan_batch(batch_of(rows))
    assert out.column("copy").to_pylist() == [True, True, False]
    assert p.summary().unknown_mtime_copies == 2
    assert any("mtime is unknown" in w for w in p.summary().warnings)


def test_summary_adds_up_the_planned_rows():
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.INCREMENTAL, since=SINCE)
    planned = pa.Table.from_batches(list(p.plan_batches(
        [batch_of(ROWS[:7]), batch_of(ROWS[7:]), batch_of(ROWS[:0])])))
    s = p.summary()
    rows = planned.to_pylist()
    assert s.rows == len(ROWS) and s.invalid_rows == 2
    for name, t in s.volumes.items():
        mine = [r for r in rows if r["volume"] == name]
        assert t.files == len(mine) and t.bytes == sum(r["size"] for r in mine)
        assert t.copy_bytes == sum(r["size"] for r in mine if r["copy"])
        assert t.snapshot_bytes == sum(r["size"] for r in mine if r["copy"] and r["from_snapshot"])
        assert t.excluded == sum(r["excluded"] for r in mine)
    want_set = [v for v in dict.fromkeys(r["volume"] for r in rows
                                         if r["copy"] and r["from_snapshot"]) if v]
    assert s.copies_without_volume == 1  # relative.txt: copied, but from which volume?
    assert sorted(s.snapshot_set) == sorted(want_set)
    assert s.snapshot_set[:1] == [VOLUMES[1][0]]  # CSVs first
    comps = s.components
    unclaimed = comps[(None, None)]
    assert unclaimed.files == sum(1 for r in rows if r["writer"] is None and r["mask"] == 0
                                  and r["path_status"] == 0)
    assert sum(t.files for t in comps.values()) == len(ROWS) - 2


def test_warnings_name_what_an_operator_must_know():
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.INCREMENTAL, since=SINCE)
    p.plan_batch(batch_of(ROWS))
    text = "\n".join(p.summary().warnings)
    assert "does not support INCREMENTAL" in text and "backed up as FULL" in text
    unmatched = {(f.path, f.filespec) for _, _, f in p.summary().unmatched_includes}
    # the second VMs file set is never a row's first claimant, but it claims rows: no warning
    assert (r"C:\ClusterStorage\Volume1\VMs", "*") not in unmatched
    assert (r"C:\Nowhere", "*") in unmatched and (r"C:\Later", "*") not in unmatched
    assert (SQL_DATA, "master.mdf") not in unmatched and (SQL_DATA, "model.mdf") in unmatched
    assert "2 rows have no valid path" in text


@pytest.mark.parametrize("limit", [1, 3, 1 << 20])
def test_unmatched_includes_do_not_depend_on_when_the_probe_is_rebuilt(monkeypatch, limit):
    # rows held for a fresh probe are settled when `limit` rows wait or a result is asked for
    from csvbackup import plan_claims
    monkeypatch.setattr(plan_claims, "PENDING_LIMIT", limit)
    rows = [(f"{SQL_DATA}\\{name}", 1, OLD, 0, None) for name in
            ("master.mdf", "mastlog.ldf", "MSDBData.mdf", "model.mdf")] + ROWS
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL, since=SINCE)
    for k in range(0, len(rows), 2):
        p.plan_batch(batch_of(rows[k:k + 2]), index=k // 2)
    unmatched = {(f.path, f.filespec) for _, _, f in p.summary().unmatched_includes}
    want = {(f.path, f.filespec) for f in cb.FileSpecSet(SPECS).includes
            if not f.mask & cb.FileSpecBackupType.CREATED_DURING_BACKUP} - {
        (SQL_DATA, n) for n in ("master.mdf", "mastlog.ldf", "MSDBData.mdf", "model.mdf")} - {
        (r"C:\ClusterStorage\Volume1\VMs", "*.vhdx"), (r"C:\ClusterStorage\Volume1\VMs", "*"),
        (r"C:\ClusterStorage\Volume2\Logs", "*.log"), (r"C:\ClusterStorage\Volume2\Data", "*")}
    assert unmatched == want


def test_include_subset_keeps_owners_and_matches_alone():
    s = cb.FileSpecSet(SPECS)
    sub = s.include_subset([2, 0, 13])  # model.mdf, master.mdf, VMs\*
    assert sub.includes == (s.includes[2], s.includes[0], s.includes[13]) and not sub.excludes
    assert sub.include_writer.tolist() == [0, 0, -1]
    assert sub.owner(1) == s.owner(0)
    m = sub.match(pa.array([SQL_DATA + "\\master.mdf", SQL_DATA + "\\model.mdf", "C:\\x",
                            r"C:\ClusterStorage\Volume1\VMs\c.tmp"]))
    assert m.spec.tolist() == [1, 0, -1, 2]  # no excludes in a subset: c.tmp is claimed


def test_prepare_calls_the_cluster_once_per_snapshot_csv(tmp_path):
    from sim_cluster import open_sim
    cluster = open_sim(tmp_path)
    vols = cluster.shared_volumes()
    p = cb.Planner([cb.FileSpec(vols[0].path, "*", True)], vols, cb.BackupType.FULL)
    paths = [vols[0].path + r"\a.txt", vols[-1].path + r"\b.txt", r"C:\x.txt"]
    p.plan_batch(pa.record_batch({"path": paths, "size": [1, 2, 3], "mtime": [NEW] * 3}))
    prepared = p.prepare(cluster)
    assert set(prepared) == {v.volume_guid_path or v.path for v in vols[:1] + vols[-1:]}
    assert p.summary().snapshot_set[-1] == "C:\\"


def test_arrow_streams_of_every_kind(tmp_path):
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq
    t = pa.Table.from_batches([batch_of(ROWS)])
    for k in range(3):
        pq.write_table(t.slice(7 * k, 7), tmp_path / f"part{k}.parquet")
    sources = [t, t.to_reader(), ds.dataset(tmp_path), iter(t.to_batches())]
    polars = pytest.importorskip("polars")
    sources.append(polars.from_arrow(t))  # __arrow_c_stream__
    for source in sources:
        p = cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL)
        out = pa.Table.from_batches(list(p.plan_batches(source))).to_pylist()
        out.sort(key=lambda r: r["id"])  # (a dataset may read its files in any order)
        assert len(out) == len(ROWS)
        assert_plan(out, ROWS, cb.BackupType.FULL)
    with pytest.raises(TypeError, match="RecordBatch"):
        list(cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL).plan_batches([1, 2]))


@pytest.mark.parametrize("drop,column", [("path", "path"), ("size", "size"), ("mtime", "mtime")])
def test_a_missing_column_is_named(drop, column):
    b = batch_of(ROWS).drop_columns([drop])
    with pytest.raises(cb.CatalogError, match=f"no '{column}' column") as e:
        cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL).plan_batch(b)
    assert e.value.column == column


@pytest.mark.parametrize("column,array,want", [
    ("path", pa.array([1]), "string"), ("size", pa.array(["x"]), "integer"),
    ("mtime", pa.array([1.5]), "FILETIME"), ("entry_flags", pa.array([9], pa.int8()), "0 to 7"),
    ("differenced_since", pa.array(["x"]), "FILETIME")])
def test_a_wrong_column_type_is_named(column, array, want):
    cols = {"path": pa.array(["C:\\a"]), "size": pa.array([1]), "mtime": pa.array([NEW])}
    cols[column] = array
    with pytest.raises(cb.CatalogError, match=want) as e:
        cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL).plan_batch(pa.record_batch(cols))
    assert e.value.column == column


def test_bad_planner_arguments():
    with pytest.raises(cb.PlanError, match="needs `since`"):
        cb.Planner(SPECS, VOLUMES, cb.BackupType.INCREMENTAL)
    with pytest.raises(cb.PlanError, match="unclaimed"):
        cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL, unclaimed="maybe")
    with pytest.raises(cb.PlanError, match="UNDEFINED"):
        cb.Planner(SPECS, VOLUMES, 0)
    with pytest.raises(cb.PlanError, match="not a BackupType"):
        cb.Planner(SPECS, VOLUMES, 9)


def test_empty_and_dictionary_encoded_catalogs():
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL)
    empty = p.plan_batch(batch_of([]))
    assert empty.num_rows == 0 and empty.schema.names[-len(cb.PLAN_COLUMNS):] == \
        list(cb.PLAN_COLUMNS)
    b = batch_of(ROWS)
    b = b.set_column(0, "path", b.column(0).dictionary_encode())
    assert_plan(p.plan_batch(b), ROWS, cb.BackupType.FULL)




@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(PATHS, st.integers(0, 2**40), st.one_of(st.none(), st.sampled_from(
    [OLD, NEW, SINCE])), st.sampled_from([0, 1, 2, 4, 6]), st.sampled_from([None, OLD, NEW])),
    max_size=30), st.sampled_from(list(cb.BackupType)[1:]), st.sampled_from(["copy", "skip"]))
def test_random_catalogs_agree(rows, backup_type, unclaimed):
    p = cb.Planner(SPECS, VOLUMES, backup_type, since=SINCE, unclaimed=unclaimed)
    assert_plan(p.plan_batch(batch_of(rows)), rows, backup_type, unclaimed=unclaimed)


def test_since_as_datetime():
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.INCREMENTAL,
                   since=dt.datetime(2024, 1, 22, tzinfo=dt.UTC))
    assert p.since == cb.to_filetime(dt.datetime(2024, 1, 22, tzinfo=dt.UTC))


def test_a_negative_size_is_named():
    b = pa.record_batch({"path": ["C:\\a", "C:\\b"], "size": [1, -2], "mtime": [NEW, NEW]})
    with pytest.raises(cb.CatalogError, match="'size' row 1 = -2") as e:
        cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL).plan_batch(b)
    assert e.value.column == "size"


def test_plan_totals_kernel():
    from csvbackup import _csvcore
    codes = np.array([0, 1, 1, -1, 5, 0], np.int32)
    size = np.array([10, 20, 2**40, 7, 7, 3], np.int64)
    d = np.array([0x3, 0x1, 0x4 | 0x2, 0x1, 0x1, 0x8], np.uint8)
    got = _csvcore.plan_totals(codes, size, d, 2).tolist()
    assert got == [[2, 13, 1, 10, 10, 1, 0], [2, 20 + 2**40, 2, 20 + 2**40, 2**40, 0, 1]]
    with pytest.raises(ValueError, match="differ in length"):
        _csvcore.plan_totals(codes, size[:2], d, 2)
    with pytest.raises(ValueError, match="k = -1"):
        _csvcore.plan_totals(codes, size, d, -1)


def test_sizes_past_int64_are_named():
    b = pa.record_batch({"path": ["C:\\a"], "size": pa.array([2**64 - 1], pa.uint64()),
                         "mtime": [NEW]})
    with pytest.raises(cb.CatalogError, match="'size' holds values past int64"):
        cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL).plan_batch(b)
