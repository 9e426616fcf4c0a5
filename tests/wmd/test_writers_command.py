"""csvbackup writers: what writer metadata says, from the real documents in tests/data/wmd and
the demo's, as a table and as JSON; masks and schemas decoded by name; a warning for every
file set the matcher would refuse (checked against FileSpecSet, one set at a time)."""
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import csvbackup as cb
import tree
from csvbackup.cli import main
from csvbackup.filespec import rejected_file_sets
from csvbackup.vss import flag_names, supported_backup_types

EXAMPLES = tree.ROOT / "src" / "csvbackup" / "examples"
SQL = tree.WMD / "03_sqlserverwriter.wmd.xml"
SYSTEM = tree.WMD / "07_system_writer.wmd.xml"
VSHADOW = tree.WMD / "06_frs_writer_vshadow_dump.txt"


def run(*argv):
    out = io.StringIO()
    assert main([str(a) for a in argv], out=out) == 0
    return out.getvalue()


def test_table_names_schema_types_components_and_masks():
    text = run("writers", EXAMPLES / "hyperv_demo.wmd.xml")
    assert "Microsoft Hyper-V VSS Writer" in text
    assert "backup schema 0x53 (DIFFERENTIAL | INCREMENTAL | COPY | LAST_MODIFY)" in text
    assert "takes FULL, INCREMENTAL, DIFFERENTIAL, COPY, OTHER as requested" in text
    assert "Online\\web01" in text and "*.vhdx" in text
    assert "FULL_BACKUP_REQUIRED | ALL_SNAPSHOT_REQUIRED" in text          # 3841
    assert "ALL_BACKUP_REQUIRED | ALL_SNAPSHOT_REQUIRED" in text           # 3855
    assert "EXCLUDE" in text and "*.slp" in text and "warning" not in text


def test_json_agrees_with_the_parsed_metadata():
    doc = json.loads(run("writers", SQL, EXAMPLES, "--json"))
    writers = cb.load_writers([SQL, EXAMPLES])
    assert [w["name"] for w in doc["writers"]] == [w.friendly_name for w in writers]
    for w, wm in zip(doc["writers"], writers, strict=True):
        assert w["backup_schema"] == int(wm.backup_schema)
        assert w["backup_types"] == [t.name for t in supported_backup_types(wm.backup_schema)]
        assert [c["name"] for c in w["components"]] == [c.name for c in wm.components]
        sets = [f for c in w["components"] for f in c["file_sets"]]
        files = [f for c in wm.components for f in c.files]
        assert [(f["path"], f["filespec"], f["recursive"], f["mask"]) for f in sets] == \
            [(f.path, f.filespec, f.recursive, f.mask) for f in files]
        assert all(f["mask_names"] == flag_names(f["mask"]) for f in sets)
        assert len(w["excludes"]) == len(wm.excludes)
    assert doc["warnings"] == []


def test_the_system_writer_in_summary():
    text = run("writers", SYSTEM, "--summary")
    assert "System Writer" in text and "excludes:" in text
    doc = json.loads(run("writers", SYSTEM, "--json"))
    [w] = doc["writers"]
    assert sum(len(c["file_sets"]) for c in w["components"]) == 18_925


def test_a_vshadow_listing_warns_that_recursion_is_unknown():
    doc = json.loads(run("writers", VSHADOW, "--json"))
    assert any("recursive" in text for text in doc["warnings"])


def test_file_sets_the_matcher_refuses_are_warnings(tmp_path):
    xml = SQL.read_text(encoding="utf-8")
    # three bad sets: a wildcard in a path, an unknown variable, a separator in a filespec
    bad = ('<FILE_LIST path="C:\\Data\\*\\x" filespec="*.mdf"/>'
           '<FILE_LIST path="%NoSuchVariable%\\x" filespec="*"/>'
           '<FILE_LIST path="C:\\Data" filespec="a\\b"/>')
    xml = xml.replace("</FILE_GROUP>", bad + "</FILE_GROUP>", 1)
    (tmp_path / "bad.xml").write_text(xml, encoding="utf-8")
    doc = json.loads(run("writers", tmp_path / "bad.xml", "--json"))
    assert len(doc["warnings"]) == 3
    assert "wildcard" in doc["warnings"][0] and "NoSuchVariable" in doc["warnings"][1]
    assert "separator" in doc["warnings"][2]
    text = run("writers", tmp_path / "bad.xml")
    assert text.count("warning: ") == 3
    # --env defines the variable: one warning fewer
    doc = json.loads(run("writers", tmp_path / "bad.xml", "--env", "NoSuchVariable=D:", "--json"))
    assert len(doc["warnings"]) == 2


def test_rejected_file_sets_is_what_file_spec_set_refuses(tmp_path):
    [wm] = cb.load_writers([SQL])
    good = [f for c in wm.components for f in c.files]
    bad = [cb.FileSpec("C:\\a*b", "*"), cb.FileSpec("rel\\dir", "*"),
           cb.FileSpec("C:\\x", "*", mask=0x20000), cb.FileSpec("C:\\x", "a/b"),
           cb.FileSpec("C:\\x", "*", role=cb.FileRole.EXCLUDE, alternate_path="D:\\y")]
    specs = good[:2] + bad[:2] + good[2:] + bad[2:]
    rejected = rejected_file_sets(specs)
    assert [fs for fs, _ in rejected] == bad
    for fs, err in rejected:
        with pytest.raises(cb.FileSpecError) as e:
            cb.FileSpecSet([fs])
        assert str(e.value).split(": ", 1)[1] == str(err).split(": ", 1)[1]
    assert rejected_file_sets(good) == []


FLAGS = [cb.FileSpecBackupType, cb.BackupSchema]


@given(st.sampled_from(FLAGS), st.integers(0, 2**32 - 1))
def test_flag_names_name_every_bit_once(flags, value):
    text = flag_names(value, flags)
    total = 0
    for part in text.split(" | "):
        n = int(part, 16) if part.startswith("0x") else (0 if part == "0" else flags[part].value)
        assert total & n == 0  # no bit named twice
        total |= n
    assert total == value

