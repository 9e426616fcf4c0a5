"""A plan in pieces: planning partitions alone (`Planner.plan_alone`), summing each planned
partition (`PlanSummary.add_planned`) and merging the sums in order gives the summary of the
plan made in one pass, for any split of any catalog; planners, file-spec sets, volume maps
and summaries survive pickling (what a Dask worker receives and sends back)."""
import pickle

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csvbackup as cb
from csvbackup.plan_summary import PlanSummary
from plan_catalog import NEW, OLD, PATHS, ROWS, SINCE, SPECS, VOLUMES, batch_of

WRITERLESS_ZERO = cb.FileSpec(r"C:\Quiet", "*", True, mask=0)  # claims, yet leaves no trace


def one_pass(rows, backup_type, unclaimed, specs=SPECS):
    p = cb.Planner(specs, VOLUMES, backup_type, since=SINCE, unclaimed=unclaimed)
    planned = p.plan_batch(batch_of(rows))
    return p, planned, p.summary()


def in_pieces(rows, cuts, backup_type, unclaimed, specs=SPECS, via_pickle=False):
    """Plan `rows` split at `cuts`, each piece alone, on a copy of the planner as a worker
    would have it; sum each piece; merge the sums in order on the client's planner."""
    client = cb.Planner(specs, VOLUMES, backup_type, since=SINCE, unclaimed=unclaimed)
    worker = pickle.loads(pickle.dumps(client)) if via_pickle else client
    edges = [0, *sorted(cuts), len(rows)]
    planned, partials = [], []
    for k, (a, b) in enumerate(zip(edges, edges[1:], strict=False)):
        piece = worker.plan_alone(batch_of(rows[a:b]), index=k)
        planned.append(piece)
        part = PlanSummary(worker)
        part.add_planned(piece, index=k)
        partials.append(pickle.loads(pickle.dumps(part)) if via_pickle else part)
    total = PlanSummary(client)
    for part in partials:
        total.merge(part)
    return planned, total


def same_rows(a, b):
    """Planned batches hold the same rows (dictionaries may differ; values may not)."""
    ta = pa.Table.from_batches(a if isinstance(a, list) else [a]).drop_columns(["id"])
    tb = pa.Table.from_batches(b if isinstance(b, list) else [b]).drop_columns(["id"])
    assert ta.to_pylist() == tb.to_pylist()  # (each piece numbers its own rows in "id")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(PATHS, st.integers(0, 2**40), st.one_of(st.none(), st.sampled_from(
    [OLD, NEW, SINCE])), st.sampled_from([0, 1, 2, 4, 6]), st.sampled_from([None, OLD, NEW])),
    max_size=30), st.data(), st.sampled_from(list(cb.BackupType)[1:]),
    st.sampled_from(["copy", "skip"]), st.booleans())
def test_any_split_sums_to_the_one_pass_summary(rows, data, backup_type, unclaimed, pickled):
    cuts = data.draw(st.lists(st.integers(0, len(rows)), max_size=4))
    _, planned, want = one_pass(rows, backup_type, unclaimed)
    pieces, got = in_pieces(rows, cuts, backup_type, unclaimed, via_pickle=pickled)
    same_rows(pieces, planned)
    assert got.to_dict() == want.to_dict()
    assert got.snapshot_paths() == want.snapshot_paths()


def test_the_named_rows_in_three_pieces():
    for backup_type in (cb.BackupType.FULL, cb.BackupType.INCREMENTAL):
        _, _, want = one_pass(ROWS, backup_type, "copy")
        _, got = in_pieces(ROWS, [5, 13], backup_type, "copy", via_pickle=True)
        assert got.to_dict() == want.to_dict() and got.rows == len(ROWS)
        # the invalid rows are quoted by their row in the whole catalog
        assert any("row 16: None (NULL)" in w for w in got.warnings)


def test_a_writerless_file_set_with_mask_zero_is_still_seen():
    specs = [*SPECS, WRITERLESS_ZERO]
    rows = [*ROWS, (r"C:\Quiet\q.txt", 1, NEW, 0, None)]
    for unclaimed in ("copy", "skip"):
        _, _, want = one_pass(rows, cb.BackupType.FULL, unclaimed, specs)
        _, got = in_pieces(rows, [3], cb.BackupType.FULL, unclaimed, specs)
        assert got.to_dict() == want.to_dict()
        assert WRITERLESS_ZERO not in [f for _, _, f in got.unmatched_includes]


def test_a_plan_file_read_back_sums_the_same(tmp_path):
    p, planned, want = one_pass(ROWS, cb.BackupType.INCREMENTAL, "copy")
    pq.write_table(pa.Table.from_batches([planned]), tmp_path / "plan.parquet",
                   row_group_size=6)
    again = PlanSummary(cb.Planner(SPECS, VOLUMES, cb.BackupType.INCREMENTAL, since=SINCE))
    for i, batch in enumerate(pq.ParquetFile(tmp_path / "plan.parquet").iter_batches(6)):
        again.add_planned(batch, index=i)
    assert again.to_dict() == want.to_dict()


def test_pickled_parts_compile_once_and_match_the_same():
    s = cb.FileSpecSet(SPECS)
    back = pickle.loads(pickle.dumps(s))
    paths = pa.array([r[0] for r in ROWS])
    a, b = s.match(paths), back.match(paths)
    for field in ("mask", "spec", "excluded", "not_in_snapshot", "status"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    assert back.writers == s.writers and back.includes == s.includes
    vm = cb.VolumeMap(VOLUMES)
    assert np.array_equal(pickle.loads(pickle.dumps(vm)).lookup(paths), vm.lookup(paths))
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL, threads=1)
    p.plan_batch(batch_of(ROWS))
    q = pickle.loads(pickle.dumps(p))
    assert q.summary().rows == 0 and q.threads == 1 and q.volume_names == p.volume_names
    same_rows(q.plan_batch(batch_of(ROWS)), p.plan_alone(batch_of(ROWS)))


def test_plan_alone_leaves_the_planner_as_it_was():
    p = cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL)
    p.plan_alone(batch_of(ROWS))
    assert p.summary().rows == 0 and p.summary().volumes == {
        name: cb.Totals() for name in p.volume_names} or p.summary().rows == 0


def test_add_planned_refuses_what_is_not_a_plan():
    import pytest
    s = PlanSummary(cb.Planner(SPECS, VOLUMES, cb.BackupType.FULL))
    with pytest.raises(cb.CatalogError, match="not a plan"):
        s.add_planned(batch_of(ROWS))
