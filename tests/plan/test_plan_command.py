r"""``csvbackup plan`` and ``csvbackup demo`` end to end on a simulated cluster: the plan file
row by row against the plain-Python reference plan (tests/plan_oracle.py), the summary and its
JSON, and every bad input as one line on stderr with exit status 2."""
import json
import os
import shutil
from pathlib import Path

import pytest

import csvbackup as cb
import plan_oracle
from cli_run import bad, run
from csvbackup import simulator
from csvbackup.cli import main

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytestmark = pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR, reason="simulator not built")

DATA = Path(__file__).resolve().parents[1] / "data" / "wmd"
V1, V2 = r"C:\ClusterStorage\Volume1", r"C:\ClusterStorage\Volume2"
G1 = "\\\\?\\Volume{2f0c5e1a-7d3b-4c8e-9a61-0b1d2c3e4f51}\\"
G2 = "\\\\?\\Volume{8b4d6f20-19ac-4e3b-b7d5-3c2e1f0a9b62}\\"
NAMES = [(G1, (V1, G1)), (G2, (V2, G2))]  # the example cluster's CSVs, as the oracle takes them
SINCE = 133_500_000_000_000_000
SINCE_ISO = "2024-01-17T21:20:00"  # the same instant, naive = UTC
NEW, OLD = SINCE + 10**9, SINCE - 10**9
SQL_DATA = r"E:\MSSQL14.MSSQLSERVER\MSSQL\DATA"

ROWS = [  # (path, size, mtime, entry_flags, differenced_since)
    (V1 + r"\Hyper-V\web01\Virtual Hard Disks\web01.vhdx", 10, NEW, 0, None),
    (V1 + r"\hyper-v\WEB01\virtual hard disks\old.VHDX", 11, OLD, 0, None),
    (V1 + r"\Hyper-V\web01\Virtual Machines\x.slp", 12, NEW, 0, None),  # excluded
    (G2 + r"Shares\a.docx", 13, OLD, 0, None),
    (V2 + r"\Shares\b.docx", 14, NEW, 0, None),
    (SQL_DATA + r"\master.mdf", 15, OLD, 0, None),
    (SQL_DATA + r"\mastlog.ldf", 16, None, 0, None),  # unknown mtime
    (r"D:\data\y.txt", 17, NEW, 0, None),
    (r"D:\data\unknown.txt", 27, None, 0, None),  # unclaimed, unknown mtime: copied
    (r"d:\data\z.txt", 18, OLD, cb.EntryFlag.DIFFERENCED, OLD - 5),
    (r"\\srv\share\f.txt", 19, NEW, cb.EntryFlag.PARTIAL, None),
    (r"\\?\UNC\SRV\share\g.txt", 20, NEW, 0, None),
    ("\\\\?\\Volume{22222222-0000-0000-0000-000000000002}\\f", 21, NEW, 0, None),
    ("relative.txt", 22, NEW, 0, None),
    (None, 23, NEW, 0, None),
    ("C:\\bad\0nul", 24, NEW, 0, None),
    (V1 + r"\Hyper-V\app01\Snapshots\cp.vmcx", 25, OLD, cb.EntryFlag.EXCLUDED, None),
    (V1 + r"\Hyper-V\app01\Virtual Hard Disks\app01.vhdx", 26, OLD, 0, None),
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    return simulator.init(tmp_path_factory.mktemp("cluster") / "c")


@pytest.fixture(scope="module")
def writers(tmp_path_factory):
    """A folder of writer metadata: the SQL Server writer's real document, the demo's
    Hyper-V-style one, and a vshadow -wm2 listing (the FRS writer)."""
    d = tmp_path_factory.mktemp("wmd")
    shutil.copy(DATA / "03_sqlserverwriter.wmd.xml", d / "sql.xml")
    shutil.copy(Path(cb.__file__).parent / "examples" / "hyperv_demo.wmd.xml", d / "hyperv.xml")
    shutil.copy(DATA / "06_frs_writer_vshadow_dump.txt", d / "frs.txt")
    # a second writer that also claims web01's disks: the first claimant (Hyper-V, read
    # first in name order) decides, the second is still "matched" (no warning)
    (d / "zz_second.xml").write_text(
        '<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2" '
        'backupSchema="0"><IDENTIFICATION writerId="00000000-0000-0000-0000-0000000000b2" '
        'instanceId="00000000-0000-0000-0000-0000000000b3" friendlyName="Second Writer" '
        'usage="USER_DATA" dataSource="OTHER"/><BACKUP_LOCATIONS><FILE_GROUP '
        'componentName="disks"><FILE_LIST path="C:\\ClusterStorage\\Volume1\\Hyper-V\\web01" '
        'filespec="*" recursive="yes" filespecBackupType="1"/></FILE_GROUP></BACKUP_LOCATIONS>'
        '</WRITER_METADATA>')
    return d


def specs_of(writers):
    return cb.load_writers([writers])


def catalog(path, rows, **extra):
    cols = {"path": pa.array([r[0] for r in rows], pa.string()),
            "size": pa.array([r[1] for r in rows], pa.int64()),
            "mtime": pa.array([r[2] for r in rows], pa.int64()),
            "entry_flags": pa.array([r[3] for r in rows], pa.uint8()),
            "differenced_since": pa.array([r[4] for r in rows], pa.int64()),
            "id": pa.array(range(len(rows)), pa.int64()), **extra}
    pq.write_table(pa.table(cols), path)
    return path




def plan_args(cluster, writers, *rest):
    return ("plan", "--cluster", cluster, "--writers", writers, "--quiet", *rest)


@pytest.mark.parametrize("backup_type", ["full", "incremental", "differential", "log", "copy"])
@pytest.mark.parametrize("unclaimed", ["copy", "skip"])
def test_plan_file_agrees_with_the_reference(tmp_path, capsys, cluster, writers, backup_type,
                                             unclaimed):
    cat = catalog(tmp_path / "cat.parquet", ROWS)
    out = tmp_path / "plan.parquet"
    code, text, err = run(capsys, *plan_args(cluster, writers, "--type", backup_type, "--since",
                                             SINCE, "--catalog", cat, "--out", out,
                                             "--unclaimed", unclaimed))
    assert code == 0, err
    got = pq.read_table(out)
    assert got.column("id").to_pylist() == list(range(len(ROWS)))  # rows in = rows out
    want = plan_oracle.plan(specs_of(writers), NAMES, cb.BackupType[backup_type.upper()], ROWS,
                            since=SINCE, unclaimed=unclaimed)
    for i, (g, w) in enumerate(zip(got.to_pylist(), want, strict=True)):
        assert {k: g[k] for k in w} == w, (i, ROWS[i][0])
    assert "Snapshot set" in text and f"{len(ROWS)} files" in text
    assert not (tmp_path / "plan.parquet.partial").exists()


def test_json_summary(tmp_path, capsys, cluster, writers):
    cat = catalog(tmp_path / "cat.parquet", ROWS)
    code, text, _ = run(capsys, *plan_args(cluster, writers, "--type", "incremental", "--since",
                                           SINCE_ISO, "--catalog", cat, "--json"))
    assert code == 0
    doc = json.loads(text)
    assert doc["rows"] == len(ROWS) and doc["invalid_rows"] == 2
    assert doc["backup_type"] == "INCREMENTAL" and doc["since"] == SINCE
    assert doc["since_iso"] == SINCE_ISO + "Z"
    assert doc["snapshot_set"][:1] == [G1]
    by_volume = {v["volume"]: v for v in doc["volumes"]}
    assert by_volume[G1]["csv"] and by_volume["D:\\"]["files"] == 3
    assert sum(v["files"] for v in doc["volumes"]) == len(ROWS) - 3  # invalid + relative
    assert {"writer", "component", "files", "bytes", "copy_files", "copy_bytes",
            "snapshot_bytes", "excluded", "partial"} <= set(doc["components"][0])
    assert any("mtime is unknown" in w for w in doc["warnings"])
    assert not any("Second Writer" in w and "matched no file" in w for w in doc["warnings"])
    web01 = [c for c in doc["components"] if c["writer"] == "Microsoft Hyper-V VSS Writer"
             and c["files"]]
    second = [c for c in doc["components"] if c["writer"] == "Second Writer"]
    # Hyper-V claims the disks first; the second writer gets only what Hyper-V does not list
    # (the smart paging file, which Hyper-V's exclude still excludes)
    assert web01 and [(c["files"], c["excluded"]) for c in second] == [(1, 1)]
    assert doc["out"] is None and doc["source"] == str(cat)


def test_since_iso_and_filetime_agree(tmp_path, capsys, cluster, writers):
    cat = catalog(tmp_path / "cat.parquet", ROWS)
    plans = []
    for since in (SINCE_ISO, str(SINCE)):
        out = tmp_path / f"p{len(plans)}.parquet"
        assert run(capsys, *plan_args(cluster, writers, "--type", "differential", "--since",
                                      since, "--catalog", cat, "--out", out))[0] == 0
        plans.append(pq.read_table(out).column("decision").to_pylist())
    assert plans[0] == plans[1] and any(d & cb.Decision.BY_MTIME for d in plans[0])


def test_a_catalog_of_several_files_in_order(tmp_path, capsys, cluster, writers):
    folder = tmp_path / "cat"
    (folder / "sub").mkdir(parents=True)
    catalog(folder / "a.parquet", ROWS[:5])
    catalog(folder / "b.parquet", ROWS[5:6])
    catalog(folder / "sub" / "c.parquet", ROWS[6:])
    pq.write_table(pa.table({"path": pa.array([], pa.string())}).slice(0, 0),
                   folder / "notes.txt")  # not *.parquet: not read
    out = tmp_path / "plan.parquet"
    code, _, err = run(capsys, *plan_args(cluster, writers, "--type", "full", "--catalog",
                                          folder, "--out", out, "--batch-rows", "2"))
    assert code == 0, err
    got = pq.read_table(out)
    assert got.num_rows == len(ROWS)
    assert got.column("path").to_pylist() == [r[0] for r in ROWS]


def test_an_empty_catalog_gets_an_empty_plan(tmp_path, capsys, cluster, writers):
    cat = catalog(tmp_path / "cat.parquet", [])
    out = tmp_path / "plan.parquet"
    code, text, _ = run(capsys, *plan_args(cluster, writers, "--type", "full", "--catalog", cat,
                                           "--out", out))
    assert code == 0 and "0 files" in text
    got = pq.read_table(out)
    assert got.num_rows == 0 and got.schema.names[-len(cb.PLAN_COLUMNS):] == list(cb.PLAN_COLUMNS)


def test_timestamp_mtimes_and_no_optional_columns(tmp_path, capsys, cluster, writers):
    rows = [r for r in ROWS if r[3] == 0 and r[2] is not None]
    us = [(r[2] - cb.filetime.UNIX_EPOCH_AS_FILETIME) // 10 for r in rows]
    pq.write_table(pa.table({"path": [r[0] for r in rows], "size": [r[1] for r in rows],
                             "mtime": pa.array(us, pa.timestamp("us"))}), tmp_path / "c.parquet")
    out = tmp_path / "plan.parquet"
    assert run(capsys, *plan_args(cluster, writers, "--type", "incremental", "--since", SINCE,
                                  "--catalog", tmp_path / "c.parquet", "--out", out))[0] == 0
    want = plan_oracle.plan(specs_of(writers), NAMES, cb.BackupType.INCREMENTAL, rows,
                            since=SINCE)
    assert pq.read_table(out).column("decision").to_pylist() == [w["decision"] for w in want]




def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, cluster, writers):
    good = catalog(tmp_path / "cat.parquet", ROWS)
    args = plan_args(cluster, writers, "--type", "full", "--catalog")
    pq.write_table(pa.table({"path": ["C:\\a"], "mtime": [1]}), tmp_path / "nosize.parquet")
    assert "'size'" in bad(capsys, *args, tmp_path / "nosize.parquet")
    pq.write_table(pa.table({"path": ["C:\\a"], "size": ["big"], "mtime": [1]}),
                   tmp_path / "strsize.parquet")
    assert "'size'" in bad(capsys, *args, tmp_path / "strsize.parquet")
    pq.write_table(pa.table({"path": [1], "size": [1], "mtime": [1]}), tmp_path / "intpath.parquet")
    assert "'path'" in bad(capsys, *args, tmp_path / "intpath.parquet")
    assert "missing.parquet" in bad(capsys, *args, tmp_path / "missing.parquet")
    (tmp_path / "garbage.parquet").write_bytes(b"not parquet at all")
    assert "garbage.parquet" in bad(capsys, *args, tmp_path / "garbage.parquet")
    (tmp_path / "emptydir").mkdir()
    assert "emptydir" in bad(capsys, *args, tmp_path / "emptydir")
    assert "--since" in bad(capsys, *plan_args(cluster, writers, "--type", "incremental",
                                               "--catalog", good))
    assert "missing-folder" in bad(capsys, *args, good, "--out",
                                   tmp_path / "missing-folder" / "p.parquet")
    (tmp_path / "bad.xml").write_text("<WRITER_METADATA><oops></WRITER_METADATA>")
    assert "bad.xml" in bad(capsys, "plan", "--cluster", cluster, "--writers",
                            tmp_path / "bad.xml", "--type", "full", "--catalog", good)
    assert "nowhere" in bad(capsys, "plan", "--cluster", cluster, "--writers",
                            tmp_path / "nowhere", "--type", "full", "--catalog", good)


@pytest.mark.parametrize("argv", [
    ["--type", "bogus"], ["--type", "undefined"], ["--type", "full", "--threads", "0"],
    ["--type", "incremental", "--since", "yesterday"],
    ["--type", "incremental", "--since", "1500-01-01"],
    ["--type", "full", "--unclaimed", "maybe"], ["--type", "full", "--env", "NOEQUALS"],
])
def test_bad_arguments_are_usage_errors(tmp_path, capsys, cluster, writers, argv):
    good = catalog(tmp_path / "cat.parquet", ROWS[:2])
    with pytest.raises(SystemExit) as e:
        main(["plan", "--cluster", str(cluster), "--writers", str(writers), "--catalog",
              str(good), *argv])
    assert e.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_failed_plan_leaves_no_plan_file(tmp_path, capsys, cluster, writers):
    folder = tmp_path / "cat"
    folder.mkdir()
    catalog(folder / "a.parquet", ROWS[:3])
    pq.write_table(pa.table({"path": ["C:\\x"], "size": [1], "mtime": [1]}), folder / "b.parquet")
    out = tmp_path / "plan.parquet"
    err = bad(capsys, *plan_args(cluster, writers, "--type", "full", "--catalog", folder,
                                 "--out", out))
    assert "b.parquet" in err and "differ" in err
    assert not out.exists() and not Path(str(out) + ".partial").exists()


def test_scan_plans_the_csv_files_and_keeps_bad_names(tmp_path, capsys):
    config = simulator.init(tmp_path / "c")
    vol1 = tmp_path / "c" / "volumes" / "Volume1"
    weird = os.fsencode(vol1) + b"/caf\xe9.txt"  # Latin-1: not valid UTF-8
    with open(weird, "wb") as f:
        f.write(b"x")
    wmd = tmp_path / "wmd"
    wmd.mkdir()
    shutil.copy(Path(cb.__file__).parent / "examples" / "hyperv_demo.wmd.xml", wmd)
    out = tmp_path / "plan.parquet"
    code, text, err = run(capsys, "plan", "--cluster", config, "--writers", wmd, "--scan",
                          "--type", "full", "--out", out, "--quiet")
    assert code == 0, err
    on_disk = sum(len(files) for v in ("Volume1", "Volume2")
                  for _, _, files in os.walk(tmp_path / "c" / "volumes" / v))
    got = pq.read_table(out)
    assert got.num_rows == on_disk
    status = dict(zip(got.column("path").cast(pa.binary()).to_pylist(),
                      got.column("path_status").to_pylist(), strict=True))
    assert status[b"C:\\ClusterStorage\\Volume1\\caf\xe9.txt"] == cb.PathStatus.BAD_ENCODING
    good = [p for p, s in status.items() if s == 0]
    assert len(good) == on_disk - 1 and "1 rows have no valid path" in text
    vhdx = got.filter(pa.compute.equal(got.column("path"),
                                       V2 + r"\VMs\db01\db01.vhdx")).to_pylist()[0]
    assert vhdx["volume"] == G2 and vhdx["csv"] and vhdx["copy"] and vhdx["writer"] is None


def test_demo_runs_the_tour(tmp_path, capsys):
    code, text, err = run(capsys, "demo", tmp_path / "demo", "--files", "300")
    assert code == 0, err
    for step in ("FULL backup plan", "IN_PROGRESS", "INCREMENTAL backup plan", "Snapshot set",
                 "does not support INCREMENTAL"):
        assert step in text
    after = text.split("After the session")[1].split("==")[0]
    assert "IN_PROGRESS" not in after and "NONE" in after
    plans = tmp_path / "demo" / "plans"
    full = pq.read_table(plans / "full.parquet")
    incremental = pq.read_table(plans / "incremental.parquet")
    assert full.num_rows == incremental.num_rows > 300
    # the incremental copies fewer files, and every VM disk it copies is the touched one
    assert sum(incremental.column("copy").to_pylist()) < sum(full.column("copy").to_pylist())
    disks = incremental.filter(pa.compute.match_substring(incremental.column("path"), ".vhdx"))
    copied = [r["path"] for r in disks.to_pylist() if r["copy"]]
    assert copied == [V1 + r"\Hyper-V\web01\Virtual Hard Disks\web01.vhdx"]
    with cb.open_cluster(tmp_path / "demo" / "cluster.toml") as c:
        assert {v.state for v in c.shared_volumes()} == {cb.BackupState.NONE}


def test_demo_json_has_both_plans(tmp_path, capsys):
    code, text, err = run(capsys, "demo", tmp_path / "demo", "--files", "50", "--json")
    assert code == 0, err
    doc = json.loads(text)
    assert doc["full"]["backup_type"] == "FULL" and doc["incremental"]["backup_type"] == \
        "INCREMENTAL"
    assert doc["full"]["rows"] == doc["incremental"]["rows"] == pq.read_table(
        tmp_path / "demo" / "plans" / "full.parquet").num_rows
    assert set(doc["prepared"]) == set(doc["full"]["snapshot_set"]) and doc["changed_files"] > 0


def test_demo_refuses_a_folder_in_use(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    assert "not an empty folder" in bad(capsys, "demo", tmp_path / "x")
