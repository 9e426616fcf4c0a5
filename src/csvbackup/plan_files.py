r"""Planning a catalog on disk into a plan on disk: Parquet in, Parquet out, streaming.

`open_catalog` reads a Parquet file or a folder of them (a dataset) batch by batch; `run_plan`
plans any stream of record batches and writes the planned batches to a Parquet file, with
reading and planning on the calling thread and encoding on a writer thread, so the three
overlap (pyarrow and the matching kernels release the GIL). Memory stays flat however large
the catalog: at most three batches are alive (one being read, one planned, one encoded).

The plan is written to ``<out>.partial`` and renamed to `out` only when every batch is
written: a run that fails or is interrupted leaves no file that looks like a plan.
"""
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from .catalog import CatalogError

__all__ = ["Catalog", "open_catalog", "run_plan", "DEFAULT_BATCH_ROWS", "writer_options"]

#: Rows per batch. 256 Ki rows keeps the matching threads busy with little per-batch
#: overhead, while the three batches in flight (read, planned, being written) stay small
#: next to the memory budget; bench/plan_report.py measures the time and peak memory.
DEFAULT_BATCH_ROWS = 1 << 18

#: Columns the plan writes dictionary-encoded: the dictionary ones and the few-valued codes.
#: Dictionary-encoding high-cardinality columns (paths, sizes, times) only to fall back to
#: plain encoding doubles their encoding time for no gain in size (bench/plan_report.py).
_DICTIONARY_COLUMNS = ("volume", "writer", "component", "mask", "decision", "path_status")


def writer_options(schema):
    """The ParquetWriter options the plan is written with, for an output `schema` (the
    benchmark's I/O floor writes with the same ones)."""
    import pyarrow as pa
    dictionary = [f.name for f in schema if pa.types.is_dictionary(f.type)
                  or f.name in _DICTIONARY_COLUMNS]
    return {"use_dictionary": dictionary, "compression": "snappy"}


@dataclass
class Catalog:
    """A Parquet catalog on disk: its files, rows and schema (from the footers only)."""

    files: list
    num_rows: int
    schema: object

    def batches(self, batch_rows=DEFAULT_BATCH_ROWS):
        """The catalog's record batches, file by file, each at most `batch_rows` rows.

        Raises `CatalogError` naming the file when one is not Parquet or its columns differ
        from the first file's.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq
        for f in self.files:
            try:
                # pre_buffer=False: the default pre-buffering keeps every row group's
                # column chunks read so far alive for the file's whole life, so peak
                # memory grew with the catalog (1.36 GB at 30 M rows, bench/plan_report.py
                # --rss); streaming chunk by chunk holds it near 0.4 GB at any size.
                pf = pq.ParquetFile(f, pre_buffer=False)
            except (pa.ArrowException, OSError) as e:
                if isinstance(e, FileNotFoundError):
                    raise
                raise CatalogError(f"{f}: not a readable Parquet file ({e})") from None
            if not pf.schema_arrow.equals(self.schema, check_metadata=False):
                names = set(pf.schema_arrow.names) ^ set(self.schema.names)
                raise CatalogError(f"{f}: its columns differ from {self.files[0]}'s ("
                                   f"{', '.join(sorted(names)) or 'their types'})",
                                   column=", ".join(sorted(names)) or None)
            try:
                yield from pf.iter_batches(batch_size=batch_rows)
            except pa.ArrowException as e:
                raise CatalogError(f"{f}: not a readable Parquet file ({e})") from None


def open_catalog(path):
    """A `Catalog` of `path`: one Parquet file, or a folder whose ``*.parquet`` files (at any
    depth, in name order) make one catalog.

    Raises FileNotFoundError for a missing path and `CatalogError` for a folder with no
    Parquet file or a file that is not Parquet.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.parquet") if p.is_file())
        if not files:
            raise CatalogError(f"{path}: a folder with no .parquet file")
    elif path.exists():
        files = [path]
    else:
        raise FileNotFoundError(2, "no such catalog", str(path))
    rows = 0
    schema = None
    for f in files:
        try:
            meta = pq.read_metadata(f)
            if schema is None:
                schema = pq.read_schema(f)
        except (pa.ArrowException, OSError) as e:
            raise CatalogError(f"{f}: not a readable Parquet file ({e})") from None
        rows += meta.num_rows
    return Catalog([str(f) for f in files], rows, schema)


class _Writer:
    """Writes planned batches on its own thread: Parquet encoding overlaps the planning."""

    _DONE = object()

    def __init__(self, out):
        self.out = Path(out)
        self.partial = self.out.with_name(self.out.name + ".partial")
        self._queue = queue.Queue(maxsize=1)
        self._error = None
        self._thread = threading.Thread(target=self._run, name="csvbackup-plan-writer",
                                        daemon=True)
        self._thread.start()

    def _run(self):
        import pyarrow.parquet as pq
        writer = None
        try:
            while (batch := self._queue.get()) is not self._DONE:
                if writer is None:
                    writer = pq.ParquetWriter(self.partial, batch.schema,
                                              **writer_options(batch.schema))
                writer.write_batch(batch)
        except BaseException as e:  # noqa: BLE001 - handed to the planning thread
            self._error = e
            while self._queue.get() is not self._DONE:
                pass  # drain: the planning thread learns of the error on its next put
        finally:
            if writer is not None:
                try:
                    writer.close()
                except Exception as e:  # noqa: BLE001
                    self._error = self._error or e

    def put(self, batch):
        if self._error is not None:
            raise self._error
        self._queue.put(batch)

    def finish(self, schema, ok):
        """Wait for the writer; on success rename the plan into place (an empty catalog
        still gets a plan file: zero rows, the plan's columns)."""
        self._queue.put(self._DONE)
        self._thread.join()
        if ok and self._error is None:
            if not self.partial.exists() and schema is not None:
                import pyarrow.parquet as pq
                pq.ParquetWriter(self.partial, schema, **writer_options(schema)).close()
            os.replace(self.partial, self.out)
            return
        self.partial.unlink(missing_ok=True)
        if ok and self._error is not None:
            raise self._error


def run_plan(planner, batches, out=None, *, schema=None, progress=None):
    """Plan every batch of `batches` with `planner`; write the planned batches to the Parquet
    file `out` (none written when `out` is None). Returns the `PlanSummary`.

    `schema`: the catalog's schema, for the plan of a catalog with no rows (a zero-row plan
    file with the catalog's and the plan's columns). `progress`, if given, is called with the
    number of rows planned so far after each batch.
    """
    import pyarrow as pa
    if out is not None:
        parent = Path(out).resolve().parent
        if not parent.is_dir():
            raise FileNotFoundError(2, "the plan's folder does not exist", str(parent))
    writer = _Writer(out) if out is not None else None
    done = 0
    planned_schema = None
    ok = False
    try:
        for i, batch in enumerate(batches):
            planned = planner.plan_batch(batch, index=i)
            planned_schema = planned.schema
            if writer is not None:
                writer.put(planned)
            done += batch.num_rows
            if progress is not None:
                progress(done)
        if planned_schema is None and schema is not None:
            planned_schema = planner.plan_batch(pa.RecordBatch.from_pylist([], schema)).schema
        ok = True
    finally:
        if writer is not None:
            writer.finish(planned_schema, ok)
    return planner.summary()
