r"""Backup plans over partitioned catalogs on Dask: the same plan as ``csvbackup plan``, one
task per partition, on a Dask cluster (``pip install 'csvbackup[dask]'``).

.. code-block:: python

    from dask.distributed import Client
    import csvbackup.dask as cbd

    client = Client("tcp://scheduler:8786")       # or LocalCluster(n_workers=2, threads_per_worker=1)
    plan = cbd.plan("catalog/", writers, cb.BackupType.INCREMENTAL, volumes=csvs, since=last)
    summary = cbd.write(plan, "plan/")            # plan/part-00000.parquet ..., and the summary
    # or: plan.to_parquet(...) / plan[plan.copy].path.compute() / cbd.summary(plan)

How the work is shared: the file sets are parsed, checked and expanded once, on the client,
into a `Planner`. With a distributed client the planner is scattered to every worker once
(``Client.scatter(broadcast=True)``): it travels as its checked matcher rows, and each worker
compiles them once when it arrives (0.1 s for the System Writer's 18,925 file sets); every
partition on that worker then plans with that one copy, so nothing is parsed, checked or
compiled per partition. Each partition is planned alone (`Planner.plan_alone`); summing a
planned partition (`PlanSummary.add_planned`) and merging the sums in partition order (a tree
of merges) gives the single-process summary exactly.

Threads: a partition is planned on one thread (``threads=1``); Dask's workers and their
threads are the parallelism. The core's OpenMP runtime (libgomp) must not be forked after it
has started: use worker processes that are spawned or forkserved (``distributed``'s default,
``distributed.worker.multiprocessing-method: spawn``), not forked.

Importing ``csvbackup`` never imports this module or Dask.
"""
import collections
import contextlib
import copy
import glob
import os
import uuid
import weakref
from pathlib import Path

from .plan import Planner
from .plan_files import open_catalog, writer_options
from .plan_summary import PlanSummary

__all__ = ["plan", "summary", "write", "planner_of", "connect"]

#: Sums merged per task in the summary's tree of merges.
_MERGE_FANIN = 8

#: Plans whose planner `planner_of` remembers (the newest ones).
_REMEMBERED = 32

# plan() -> its planner, by the Dask collection's name: the graph may hold only a Future of
# the planner, so the client keeps the planner itself for `summary` and `write`
_PLANNERS = collections.OrderedDict()
# planner -> {client.id: Future of its scattered copy}
_SHIPPED = weakref.WeakKeyDictionary()


def _client():
    """The current distributed client, or None (the local schedulers need no shipping)."""
    try:
        from distributed import get_client
        return get_client()
    except (ImportError, ValueError):
        return None


def _ship(planner):
    """What the tasks receive for the planner: a Future of one copy scattered to every
    worker under a distributed client (once per client), else the planner itself (threads
    share it)."""
    client = _client()
    if client is None:
        return planner
    shipped = _SHIPPED.setdefault(planner, {})
    key = client.id
    if key not in shipped or shipped[key].status != "finished":
        shipped[key] = client.scatter(planner, broadcast=True, hash=False)
    return shipped[key]


def _files(catalog):
    """A path, folder or glob as the explicit file list, in the order ``csvbackup plan``
    reads it (name order); other URLs are left to Dask."""
    text = os.fspath(catalog)
    if "://" in text:
        return text
    if any(c in text for c in "*?["):
        files = sorted(glob.glob(text, recursive=True))
        if not files:
            raise FileNotFoundError(2, "no file matches the catalog pattern", text)
        return files
    return open_catalog(Path(text)).files


def _to_batch(part):
    """A pandas partition as one RecordBatch (its pyarrow-backed columns are not copied when
    they are one chunk already)."""
    import pyarrow as pa
    table = pa.Table.from_pandas(part, preserve_index=False).replace_schema_metadata(None)
    batches = table.combine_chunks().to_batches()
    if batches:
        return batches[0]
    return pa.RecordBatch.from_arrays([pa.array([], f.type) for f in table.schema],
                                      schema=table.schema)


def _to_frame(batch, index=None):
    import pandas as pd
    frame = batch.to_pandas(types_mapper=pd.ArrowDtype)
    if index is not None:
        frame.index = index
    return frame


def _plan_partition(part, planner, partition_info=None):
    """One partition (pandas) with the plan's columns: planned alone, on one thread."""
    index = partition_info["number"] if partition_info else 0
    return _to_frame(planner.plan_alone(_to_batch(part), index=index), part.index)


def plan(catalog, specs, backup_type, *, volumes=None, since=None, unclaimed="copy", env=None,
         threads=1):
    """The plan of a Parquet catalog as a lazy Dask DataFrame.

    Parameters
    ----------
    catalog : str, path, glob, or dask.dataframe.DataFrame
        A Parquet file, a folder of them (read in name order, as ``csvbackup plan`` reads
        it), a glob, a URL Dask can read, or a Dask DataFrame with the catalog's columns.
    specs, backup_type, since, unclaimed, env :
        As for `Planner`; `specs` may also be a `Planner`, used as it is.
    volumes : what `VolumeMap` takes, optional
        The CSVs (none: every file belongs to its local volume).
    threads : int
        Threads per partition (default 1: Dask's workers are the parallelism).

    Returns
    -------
    dask.dataframe.DataFrame
        Exactly the columns and row order of ``csvbackup plan``: the catalog's columns, then
        `PLAN_COLUMNS`; columns are pyarrow-backed (``pd.ArrowDtype``), and the ``volume``
        column's dictionary holds each partition's own volumes. Its metadata is given, so
        building it computes nothing.
    """
    import dask.dataframe as dd
    planner = specs if isinstance(specs, Planner) else Planner(
        specs, volumes if volumes is not None else [], backup_type, since=since,
        unclaimed=unclaimed, env=env, threads=threads)
    if isinstance(catalog, dd.DataFrame):
        frame = catalog
    else:
        frame = dd.read_parquet(_files(catalog), dtype_backend="pyarrow")
    meta = _to_frame(planner.plan_alone(_to_batch(frame._meta)))
    out = frame.map_partitions(_plan_partition, _ship(planner), meta=meta,
                               enforce_metadata=False, align_dataframes=False)
    _PLANNERS[out._name] = (planner, frame)
    while len(_PLANNERS) > _REMEMBERED:
        _PLANNERS.popitem(last=False)
    return out


def planner_of(plan_df):
    """The `Planner` `plan` made `plan_df` with, for the newest 32 plans (None for another
    DataFrame: pass the planner to `summary` and `write` then)."""
    found = _PLANNERS.get(plan_df._name)
    return found[0] if found else None


def _planner_for(plan_df, planner):
    planner = planner or planner_of(plan_df)
    if planner is None:
        raise ValueError("this DataFrame was not made by csvbackup.dask.plan: pass the "
                         "planner= it was planned with")
    return planner


def _partition_summary(planner, catalog):
    """A fresh summary for one partition, sharing what this process knows of `catalog`."""
    return PlanSummary(planner, seen=planner.seen_includes(catalog))


def _sum_partition(part, planner, number, catalog):
    """The `PlanSummary` of one planned partition (sent back without its planner)."""
    s = _partition_summary(planner, catalog)
    s.add_planned(_to_batch(part), index=number)
    s.settle()
    return s


def _plan_write_partition(part, planner, number, catalog, folder, options):
    """Plan one catalog partition, write it as ``part-NNNNN.parquet`` (atomically: a retried
    task replaces, never duplicates) and return its `PlanSummary`."""
    s = _partition_summary(planner, catalog)
    batch = planner.plan_batch(_to_batch(part), index=number, summary=s)
    _write_part(batch, number, folder, options)
    s.settle()
    return s


def _write_planned_partition(part, planner, number, catalog, folder, options):
    """Write one planned partition and return its `PlanSummary` (a plan not made by `plan`,
    whose catalog partitions this module does not know)."""
    batch = _to_batch(part)
    _write_part(batch, number, folder, options)
    return _sum_partition(part, planner, number, catalog)


def _write_part(batch, number, folder, options):
    import pyarrow.parquet as pq
    final = Path(folder) / f"part-{number:05d}.parquet"
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}.partial")
    try:
        with pq.ParquetWriter(tmp, batch.schema, **options(batch.schema)) as w:
            w.write_batch(batch)
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


def _merge(parts):
    """Merge partition sums given in partition order into a new sum (the inputs are left
    as they were: a task run again must find them unchanged)."""
    out = copy.deepcopy(parts[0])  # pickles the way another process would: no planner
    for p in parts[1:]:
        out.merge(p)
    return out


def _reduce(delayed_sums):
    """A tree of merges over partition sums, in order: one delayed sum."""
    from dask import delayed
    level = list(delayed_sums)
    while len(level) > 1:
        level = [delayed(_merge)(level[i:i + _MERGE_FANIN])
                 for i in range(0, len(level), _MERGE_FANIN)]
    return level[0]


def _finish(planner, total):
    s = PlanSummary(planner)
    if total is not None:
        s.merge(total)
    return s


def summary(plan_df, planner=None):
    """The `PlanSummary` of a plan `plan` returned (or of a plan read back with
    ``dask.dataframe.read_parquet``, given the `planner` it was made with): summed per
    partition on the workers, merged in a tree, equal to ``Planner.summary()`` of the same
    plan made in one process.

    The partitions are planned again unless `plan_df` is persisted: `write` writes the plan
    and sums it in one pass.
    """
    from dask import delayed
    planner = _planner_for(plan_df, planner)
    ship = _ship(planner)
    sums = [delayed(_sum_partition)(p, ship, i, plan_df._name)
            for i, p in enumerate(plan_df.to_delayed())]
    return _finish(planner, _reduce(sums).compute() if sums else None)


def write(plan_df, folder, planner=None):
    """Write a plan as a Parquet dataset, ``folder/part-00000.parquet`` ... in partition order,
    and return its `PlanSummary`: one pass, each partition planned, written and summed in one
    task. The folder is made if missing and must hold no plan already; on a cluster of
    several machines it must be shared (the workers write it). A worker lost mid-run costs
    only its tasks, run again: a part file is written under a temporary name and renamed, so
    none is ever duplicated or half written.
    """
    from dask import delayed
    planner = _planner_for(plan_df, planner)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.glob("part-*.parquet")):
        raise FileExistsError(17, "the folder holds a plan already", str(folder))
    ship = _ship(planner)
    made = _PLANNERS.get(plan_df._name)
    if made is not None and made[0] is planner:
        # planned, written and summed in one task per catalog partition: the summary sees
        # each row's first claimant, and no planned partition crosses the network
        task, parts = _plan_write_partition, made[1].to_delayed()
    else:
        task, parts = _write_planned_partition, plan_df.to_delayed()
    sums = [delayed(task)(p, ship, i, plan_df._name, str(folder), writer_options)
            for i, p in enumerate(parts)]
    total = _reduce(sums).compute() if sums else None
    for leftover in folder.glob(".part-*.partial"):  # from a worker killed while writing
        leftover.unlink(missing_ok=True)
    return _finish(planner, total)


@contextlib.contextmanager
def connect(address):
    """A distributed client for `address`, closed on exit: ``local:N`` starts a
    `LocalCluster` of N worker processes with one thread each (spawned: see the module
    docstring) on loopback and stops it after; anything else is a scheduler address
    (``tcp://host:8786``)."""
    import dask
    from distributed import Client, LocalCluster
    if address.startswith("local:"):
        text = address[len("local:"):]
        if not text.isdigit() or int(text) < 1:
            raise ValueError(f"--dask {address!r}: local:N takes a number of workers >= 1")
        # spawned workers (OpenMP), and without the statistical profiler, which samples the
        # running task's stack every 10 ms: a cost a busy core pays (the dashboard's profile
        # page is then empty)
        with dask.config.set({"distributed.worker.multiprocessing-method": "spawn",
                              "distributed.worker.profile.enabled": False}), \
                LocalCluster(n_workers=int(text), threads_per_worker=1, processes=True,
                             host="127.0.0.1", dashboard_address=":0") as cluster, \
                Client(cluster) as client:
            yield client
    else:
        with Client(address, timeout="10s") as client:
            yield client
