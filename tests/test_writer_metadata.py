r"""Writer Metadata Documents: every real sample, every encoding, and hostile or broken input."""
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csvbackup as cb

WMD = Path(__file__).resolve().parents[2] / "shared" / "reference" / "wmd"
SAMPLES = sorted(WMD.glob("*.wmd.xml"))
SYSTEM = WMD / "07_system_writer.wmd.xml"


def test_all_eleven_samples_are_here():
    assert len(SAMPLES) == 11 and len(list(WMD.glob("*"))) >= 13


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:2])
def test_samples_parse_to_the_counts_in_the_text(path):
    text = path.read_text("ascii")
    wm = cb.WriterMetadata.from_xml(path)
    count = lambda tag: len(re.findall(rf"<{tag}\b", text))  # noqa: E731
    assert len(wm.components) == count("FILE_GROUP") + count("DATABASE")
    assert len(wm.files) == count("FILE_LIST") + count("DATABASE_FILES") + count("DATABASE_LOGFILES")
    assert len(wm.excludes) == count("EXCLUDE_FILES")
    assert len(wm.excludes_from_snapshot) == count("EXCLUDE_FILES_FROM_SNAPSHOT")
    assert sum(f.recursive for f in wm.files + list(wm.excludes) + list(wm.excludes_from_snapshot)) \
        == len(re.findall(r'recursive="yes"', text))
    ident = re.search(r'writerId="([^"]+)"', text).group(1)
    assert wm.writer_id == ident and wm.recursive_known


def test_system_writer():
    wm = cb.WriterMetadata.from_xml(SYSTEM)
    assert wm.friendly_name == "System Writer" and wm.usage is cb.Usage.BOOTABLE_SYSTEM_STATE
    assert len(wm.files) == 18_925
    assert sum(f.recursive for f in wm.files) == 13
    assert {f.mask for f in wm.files} == {3855}
    assert wm.restore_method == "REPLACE_AT_REBOOT_IF_CANNOT_REPLACE" and wm.reboot_required
    paths = {f.path.split("\\")[0] for f in wm.files}
    assert {"C:", "c:", "%systemroot%"} <= paths


def test_particular_samples():
    sql = cb.WriterMetadata.from_xml(WMD / "03_sqlserverwriter.wmd.xml")
    assert sql.backup_schema == 881 == 0x371 and cb.BackupSchema.INCREMENTAL not in sql.backup_schema
    assert sql.instance_name == "Microsoft SQL Server 2017:SQLWriter"
    assert {c.flags for c in sql.components} == {2} and not any(f.recursive for f in sql.files)
    reg = cb.WriterMetadata.from_xml(WMD / "01_registry_writer.wmd.xml")
    assert [f.filespec for f in reg.files][:2] == ["default", "SAM"] and not reg.files[0].recursive
    scow = cb.WriterMetadata.from_xml(WMD / "02_shadow_copy_optimization_writer.wmd.xml")
    assert r"\System Volume Information\Heat" in {f.path for f in scow.excludes_from_snapshot}
    assert all(f.role is cb.FileRole.EXCLUDE_FROM_SNAPSHOT and f.mask == 0
               for f in scow.excludes_from_snapshot)
    asr = cb.WriterMetadata.from_xml(WMD / "04_asr_writer.wmd.xml")
    assert sum(not c.files for c in asr.components) == 9
    assert asr.files[0].path.startswith("\\\\?\\Volume{") and asr.files[0].path.endswith("\\Boot")
    bits = cb.WriterMetadata.from_xml(WMD / "10_bits_writer.wmd.xml")
    assert not bits.components and bits.excludes[-1].path.endswith("Downloader\\")
    wmi = cb.WriterMetadata.from_xml(WMD / "11_wmi_writer.wmd.xml")
    assert wmi.restore_method is not None  # RESTORE_METHOD after BACKUP_LOCATIONS
    perf = cb.WriterMetadata.from_xml(WMD / "05_performance_counters_writer.wmd.xml")
    assert any(f.path.startswith("%SystemRoot%") for f in perf.files)
    assert "Perfc???.dat" in {f.filespec for f in perf.files}


def test_backup_components_document_is_refused():
    with pytest.raises(cb.WriterMetadataError, match="Backup Components Document") as e:
        cb.WriterMetadata.from_xml(WMD / "13_backup_components_with_sql.bcd.xml")
    assert e.value.winerror == 1465 and e.value.element == "BACKUP_COMPONENTS"


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.encode("utf-16-le"),
    lambda t: t.encode("utf-16-be"),
    lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    lambda t: '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16-le") + t.encode("utf-16-le"),
    lambda t: '<?xml version="1.0" encoding="UTF-16"?>' + t,
    lambda t: t,
    lambda t: bytearray(t.encode()),
])
def test_encodings_give_the_same_document(encode):
    text = (WMD / "05_performance_counters_writer.wmd.xml").read_text("ascii")
    assert cb.WriterMetadata.from_xml(encode(text)) == cb.WriterMetadata.from_xml(text)


def test_file_name_and_pathlike_sources(tmp_path):
    f = tmp_path / "wm.xml"
    f.write_bytes((WMD / "10_bits_writer.wmd.xml").read_bytes())
    assert cb.WriterMetadata.from_xml(str(f)) == cb.WriterMetadata.from_xml(f)
    with pytest.raises(cb.WriterMetadataError, match="max_bytes"):
        cb.WriterMetadata.from_xml(f, max_bytes=100)
    with pytest.raises(TypeError):
        cb.WriterMetadata.from_xml(12)


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
          '<WRITER_METADATA><IDENTIFICATION writerId="&lol3;" instanceId="x"/></WRITER_METADATA>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<WRITER_METADATA><IDENTIFICATION writerId="&x;" instanceId="x"/></WRITER_METADATA>')


@pytest.mark.parametrize("doc", [LAUGHS, EXTERNAL, '<!DOCTYPE x><WRITER_METADATA/>'])
def test_dtds_and_entities_are_refused(doc):
    with pytest.raises(cb.WriterMetadataError, match="DTD|entity"):
        cb.WriterMetadata.from_xml(doc)


def doc(files, ident='writerId="w" instanceId="i"'):
    return (f'<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo">\n<IDENTIFICATION {ident}/>'
            f'\n<BACKUP_LOCATIONS>\n<FILE_GROUP componentName="c">\n{files}\n</FILE_GROUP>\n'
            '</BACKUP_LOCATIONS>\n</WRITER_METADATA>')


@pytest.mark.parametrize("text, match, line, element, attribute", [
    (doc('<FILE_LIST filespec="*"/>'), "no path", 5, "FILE_LIST", "path"),
    (doc('<FILE_LIST path="C:\\x"/>'), "no filespec", 5, "FILE_LIST", "filespec"),
    (doc('<FILE_LIST path="C:\\x" filespec="*" filespecBackupType="0xF0F"/>'), "decimal", 5,
     "FILE_LIST", "filespecBackupType"),
    (doc('<FILE_LIST path="C:\\x" filespec="*" filespecBackupType="-1"/>'), "decimal", 5, None, None),
    (doc('<FILE_LIST path="C:\\x" filespec="*" filespecBackupType="4294967296"/>'), "decimal", 5,
     None, None),
    (doc('<FILE_LIST path="C:\\x" filespec="*" filespecBackupType="\u0663"/>'), "decimal", 5,
     None, None),
    (doc('<FILE_LIST path="C:\\x" filespec="*" recursive="maybe"/>'), "yes or no", 5, None, None),
    (doc('<DATABASE_FILES path="C:\\x" filespec="*"/>'), "belongs in <DATABASE>", 5, None, None),
    (doc("", ident='instanceId="i"'), "no writerId", 2, "IDENTIFICATION", "writerId"),
    (doc("", ident='writerId="w" instanceId="i" usage="SOMETIMES"'), "SOMETIMES", 2, None, None),
    (doc('<FILE_LIST path="C:\\x" filespec="*">')[:-30], "malformed", None, None, None),
    (doc("</FILE_GROUP>"), "malformed", None, None, None),
    ("", "malformed", 1, None, None),
    ("<WRITER_METADATA/>", "no <IDENTIFICATION>", None, None, None),
])
def test_bad_documents(text, match, line, element, attribute):
    with pytest.raises(cb.WriterMetadataError, match=match) as e:
        cb.WriterMetadata.from_xml(text.encode())
    if line is not None:
        assert e.value.line == line and e.value.column >= 1
    if element is not None:
        assert (e.value.element, e.value.attribute) == (element, attribute)
    assert isinstance(e.value, ValueError)


def test_missing_attributes_default_as_observed():
    wm = cb.WriterMetadata.from_xml(doc('<FILE_LIST path="C:\\x" filespec="*"/>'))
    f = wm.files[0]
    assert (f.recursive, f.mask, f.alternate_path) == (False, 0xF0F, None)
    assert wm.backup_schema == 0 and wm.components[0].logical_path == ""
    wm = cb.WriterMetadata.from_xml(doc('<FILE_LIST path="C:\\x" filespec="*" '
                                        'alternatePath="D:\\a" recursive="yes"/><UNKNOWN a="1"/>'))
    assert wm.files[0].alternate_path == "D:\\a" and wm.files[0].recursive


SMALL = (WMD / "01_registry_writer.wmd.xml").read_bytes()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SMALL) - 1), st.integers(0, 255)), max_size=6),
       st.integers(0, len(SMALL)))
def test_fuzz_mutations_parse_or_raise_the_documented_error(edits, cut):
    data = bytearray(SMALL)
    for pos, byte in edits:
        data[pos] = byte
    try:
        wm = cb.WriterMetadata.from_xml(bytes(data[:cut]))
    except cb.WriterMetadataError:
        return
    assert isinstance(wm, cb.WriterMetadata)


def test_vshadow_text():
    (frs,) = cb.WriterMetadata.from_vshadow_text((WMD / "06_frs_writer_vshadow_dump.txt").read_text())
    assert frs.friendly_name == "FRS Writer" and not frs.recursive_known
    assert frs.writer_id == "d76f5a28-3092-4589-ba48-2958fb88ce29"
    assert [f.filespec for f in frs.excludes] == ["*", "NtFrs*", "*", "*", "NTFRS_*"]
    (comp,) = frs.components
    assert comp.logical_path == "SYSVOL" and comp.kind is cb.ComponentType.FILE_GROUP
    assert comp.selectable and comp.files[0].path == r"d:\windows\sysvol"
    assert not comp.files[0].recursive and comp.files[0].mask == 0xF0F
    specs = cb.FileSpecSet(frs)
    m = specs.match([r"D:\Windows\SYSVOL\x.txt", r"d:\windows\ntfrs\jet\db", r"d:\windows\debug\NtFrs\NtFrs.log"])
    assert m.mask.tolist() == [0xF0F, 0, 0] and m.excluded.tolist() == [False, True, True]


def test_vshadow_text_bad_lines():
    with pytest.raises(cb.WriterMetadataError, match="line 3"):
        cb.WriterMetadata.from_vshadow_text('* WRITER "w"\n - Excluded files:\n - Exclude: nonsense\n')
    with pytest.raises(cb.WriterMetadataError, match="outside any component"):
        cb.WriterMetadata.from_vshadow_text('* WRITER "w"\n - File List: Path = C:\\a, Filespec = *\n')
    path = r"C:\a, b"
    (w,) = cb.WriterMetadata.from_vshadow_text(
        f'* WRITER "w"\n - Component "w:\\c"\n - File List: Path = {path}, Filespec = *.x\n')
    assert w.components[0].files[0].path == path
