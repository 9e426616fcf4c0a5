r"""Writer Metadata Documents (XML) and vshadow listings: every real sample, every encoding,
hostile and broken input.

Expected counts of the real samples are computed here from the raw text with regular
expressions, independently of the parser, and compared with what it returns.
"""
import os
import re
import time
from xml.sax.saxutils import unescape

import pytest

import csvbackup as cb
import tree
from csvbackup.wmd.xml import WriterMetadataError as XmlError

WMD = tree.WMD
SAMPLES = sorted(WMD.glob("*.wmd.xml"))
SYSTEM = WMD / "07_system_writer.wmd.xml"
BCD = WMD / "13_backup_components_with_sql.bcd.xml"
FRS = WMD / "06_frs_writer_vshadow_dump.txt"

FILE_ELEMENTS = ("FILE_LIST", "DATABASE_FILES", "DATABASE_LOGFILES", "EXCLUDE_FILES",
                 "EXCLUDE_FILES_FROM_SNAPSHOT")


def _elements(text, tag):
    """The attribute dicts of every <tag ...> in `text`, by regular expression."""
    found = []
    for m in re.finditer(rf"<{tag}\b([^>]*)>", text):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        found.append({k: unescape(v, {"&quot;": '"', "&apos;": "'"}) for k, v in attrs.items()})
    return found


def _expected_specs(text, tag):
    return [(a["path"], a["filespec"], a.get("recursive") == "yes",
             int(a.get("filespecBackupType", 0xF0F)) if tag in FILE_ELEMENTS[:3] else 0)
            for a in _elements(text, tag)]


def _specs(specs):
    return [(f.path, f.filespec, f.recursive, f.mask) for f in specs]


# --- the real samples ------------------------------------------------------------------------

def test_the_samples_are_all_here():
    assert [p.name[:2] for p in SAMPLES] == ["01", "02", "03", "04", "05", "07", "08", "09",
                                              "10", "11", "12"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:2])
def test_sample_matches_its_text(path):
    text = path.read_text("utf-8")
    wm = cb.WriterMetadata.from_xml(path)
    (ident,) = _elements(text, "IDENTIFICATION")
    assert (wm.writer_id, wm.instance_id, wm.friendly_name) == (
        ident["writerId"], ident["instanceId"], ident["friendlyName"])
    assert wm.usage.name == ident["usage"] and wm.data_source.name == ident["dataSource"]
    assert wm.recursive_known and wm.version == "1.2"
    groups = _elements(text, "FILE_GROUP") + _elements(text, "DATABASE")
    assert sorted(c.name for c in wm.components) == sorted(g["componentName"] for g in groups)
    includes = [s for tag in FILE_ELEMENTS[:3] for s in _expected_specs(text, tag)]
    assert sorted(_specs(wm.files)) == sorted(includes)
    assert _specs(wm.excludes) == _expected_specs(text, "EXCLUDE_FILES")
    assert _specs(wm.excludes_from_snapshot) == _expected_specs(text, "EXCLUDE_FILES_FROM_SNAPSHOT")
    everything = wm.files + list(wm.excludes) + list(wm.excludes_from_snapshot)
    assert sum(f.recursive for f in everything) == text.count('recursive="yes"')
    assert all(f.alternate_path is None for f in everything)
    assert {f.role for f in wm.excludes} <= {cb.FileRole.EXCLUDE}
    restore = _elements(text, "RESTORE_METHOD")
    assert wm.restore_method == (restore[0]["method"] if restore else None)


def test_file_list_order_is_document_order():
    text = SYSTEM.read_text("ascii")
    wm = cb.WriterMetadata.from_xml(SYSTEM)
    assert _specs(wm.files) == _expected_specs(text, "FILE_LIST")


def test_system_writer():
    wm = cb.WriterMetadata.from_xml(SYSTEM)
    assert wm.friendly_name == "System Writer" and wm.usage is cb.Usage.BOOTABLE_SYSTEM_STATE
    assert len(wm.files) == 18_925
    assert sum(f.recursive for f in wm.files) == 13
    assert {f.mask for f in wm.files} == {3855}
    assert [(c.name, len(c.files)) for c in wm.components] == [
        ("System Files", 18_897), ("Win32 Services Files", 28)]
    assert all(c.kind is cb.ComponentType.FILE_GROUP and c.selectable for c in wm.components)
    assert wm.restore_method == "REPLACE_AT_REBOOT_IF_CANNOT_REPLACE" and wm.reboot_required
    assert wm.writer_restore == "never"
    assert {"C:", "c:", "%systemroot%"} <= {f.path.split("\\")[0] for f in wm.files}


def test_system_writer_paths_are_interned():
    wm = cb.WriterMetadata.from_xml(SYSTEM)
    paths = [f.path for f in wm.files]
    assert len({id(p) for p in paths}) == len(set(paths)) < len(paths) // 5


def test_system_writer_parses_well_under_a_second():
    data = SYSTEM.read_bytes()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        cb.WriterMetadata.from_xml(data)
        best = min(best, time.perf_counter() - start)
    assert best < 1.0, best  # about 0.09 s on the machine it was written on


def test_sql_server_writer():
    sql = cb.WriterMetadata.from_xml(WMD / "03_sqlserverwriter.wmd.xml")
    assert sql.backup_schema == 0x371  # backupSchema="881"
    assert isinstance(sql.backup_schema, cb.BackupSchema)
    assert cb.BackupSchema.INCREMENTAL not in sql.backup_schema
    assert sql.instance_name == "Microsoft SQL Server 2017:SQLWriter"
    assert sql.data_source is cb.DataSource.TRANSACTION_DB
    assert {c.flags for c in sql.components} == {2}
    assert {c.logical_path for c in sql.components} == {"WIN2012-SQL17-2"}
    assert all(c.notify_on_backup_complete and c.selectable_for_restore for c in sql.components)
    assert not any(f.recursive for f in sql.files)  # FILE_LIST without recursive


def test_registry_writer():
    reg = cb.WriterMetadata.from_xml(WMD / "01_registry_writer.wmd.xml")
    assert [f.filespec for f in reg.files][:2] == ["default", "SAM"]
    assert not any(f.recursive for f in reg.files)  # FILE_LIST without recursive
    assert reg.components[0].logical_path == ""  # logicalPath absent
    # the *.LOG siblings of included hives are excluded, at writer level
    assert [f.filespec for f in reg.excludes] == [
        "default.LOG", "SECURITY.LOG", "software.LOG", "system.LOG", "COMPONENTS.LOG"]
    assert all(f.mask == 0 and f.role is cb.FileRole.EXCLUDE for f in reg.excludes)


def test_shadow_copy_optimization_writer():
    scow = cb.WriterMetadata.from_xml(WMD / "02_shadow_copy_optimization_writer.wmd.xml")
    text = (WMD / "02_shadow_copy_optimization_writer.wmd.xml").read_text("ascii")
    assert len(scow.excludes_from_snapshot) == text.count("<EXCLUDE_FILES_FROM_SNAPSHOT ") == 17
    heat = [f for f in scow.excludes_from_snapshot if f.path == r"\System Volume Information\Heat"]
    assert len(heat) == 1 and heat[0].recursive and heat[0].filespec == "*.*"
    assert all(f.role is cb.FileRole.EXCLUDE_FROM_SNAPSHOT and f.mask == 0
               for f in scow.excludes_from_snapshot)
    assert scow.restore_method is None and not scow.reboot_required  # no RESTORE_METHOD
    assert not scow.components and not scow.excludes


def test_asr_writer():
    asr = cb.WriterMetadata.from_xml(WMD / "04_asr_writer.wmd.xml")
    assert len(asr.components) == 10 and sum(not c.files for c in asr.components) == 9
    (boot,) = asr.files
    assert re.fullmatch(r"\\\\\?\\Volume\{[0-9a-f-]{36}\}\\Boot", boot.path)
    # a multi-line caption: attribute-value normalization turns its line breaks into spaces
    assert any("critical volume. Critical volumes" in c.caption for c in asr.components)


def test_bits_writer_is_exclude_only_and_keeps_the_trailing_backslash():
    bits = cb.WriterMetadata.from_xml(WMD / "10_bits_writer.wmd.xml")
    assert not bits.components and not bits.files and len(bits.excludes) == 3
    assert bits.excludes[-1].path == "C:\\ProgramData\\Microsoft\\Network\\Downloader\\"
    assert bits.usage is cb.Usage.SYSTEM_SERVICE


def test_wmi_writer_restore_method_after_backup_locations():
    wmi = cb.WriterMetadata.from_xml(WMD / "11_wmi_writer.wmd.xml")
    assert (wmi.restore_method, wmi.writer_restore, wmi.reboot_required) == (
        "REPLACE_AT_REBOOT", "never", True)
    assert len(wmi.files) == 1 and wmi.files[0].recursive


def test_performance_counters_writer():
    perf = cb.WriterMetadata.from_xml(WMD / "05_performance_counters_writer.wmd.xml")
    assert all(f.path == r"%SystemRoot%\System32" for f in perf.files)
    assert "Perfc???.dat" in {f.filespec for f in perf.files}


def test_backup_components_document_is_refused():
    with pytest.raises(XmlError, match="Backup Components Document") as e:
        cb.WriterMetadata.from_xml(BCD)
    err = e.value
    assert (err.winerror, err.element, err.line, err.column) == (1465, "BACKUP_COMPONENTS", 2, 4)
    assert "[WinError 1465] line 2, column 4" in str(err)
    assert isinstance(err, cb.Win32Error) and isinstance(err, ValueError)
    assert isinstance(err, OSError) and cb.WriterMetadataError is XmlError
    # the namespace alone gives it away too
    with pytest.raises(XmlError, match="Backup Components Document"):
        cb.WriterMetadata.from_xml('<WRITER_METADATA xmlns="x-schema:#VssComponentMetadata"/>')


# --- encodings and sources -------------------------------------------------------------------

DECL16 = '<?xml version="1.0" encoding="UTF-16"?>'
DECL8 = '<?xml version="1.0" encoding="UTF-8"?>'
ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 BOM": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "utf-16-le": lambda t: t.encode("utf-16-le"),
    "utf-16-be": lambda t: t.encode("utf-16-be"),
    "utf-16-le BOM": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf-16-be BOM": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "utf-16 declared, utf-16 bytes": lambda t: (DECL16 + t).encode("utf-16-le"),
    "utf-16 declared, utf-8 bytes": lambda t: (DECL16 + t).encode("utf-8"),
    "utf-8 declared, utf-16 bytes": lambda t: (DECL8 + t).encode("utf-16-be"),
    "latin-1 declared, utf-8 bytes": lambda t: ('<?xml version="1.0" encoding="ISO-8859-1"?>'
                                                + t).encode("utf-8"),
    "str": lambda t: t,
    "str BOM": lambda t: "\ufeff" + t,
    "str utf-16 declared": lambda t: DECL16 + t,
    "bytearray": lambda t: bytearray(t.encode("utf-8")),
    "memoryview": lambda t: memoryview(t.encode("utf-16-le")),
}
NON_ASCII = ('<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2">'
             '<IDENTIFICATION writerId="w" instanceId="i" friendlyName="Écrivain 日本 \U0001f4be"/>'
             '<BACKUP_LOCATIONS><FILE_GROUP componentName="Données">'
             '<FILE_LIST path="C:\\Données\\日本\\\U0001f4be" filespec="*.é?" recursive="yes"/>'
             '</FILE_GROUP></BACKUP_LOCATIONS></WRITER_METADATA>')


@pytest.mark.parametrize("encode", ENCODINGS.values(), ids=ENCODINGS.keys())
@pytest.mark.parametrize("name", ["05_performance_counters_writer", "03_sqlserverwriter",
                                  "04_asr_writer", "non-ascii"])
def test_every_encoding_gives_the_same_document(encode, name):
    text = NON_ASCII if name == "non-ascii" else (WMD / f"{name}.wmd.xml").read_text("utf-8")
    expected = cb.WriterMetadata.from_xml(text)
    assert cb.WriterMetadata.from_xml(encode(text)) == expected
    if name == "non-ascii":
        assert expected.files[0].path == "C:\\Données\\日本\\\U0001f4be"
        assert expected.friendly_name == "Écrivain 日本 \U0001f4be"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8-sig"])
def test_the_system_writer_in_utf16(encoding):
    text = SYSTEM.read_text("ascii")
    assert cb.WriterMetadata.from_xml(text.encode(encoding)) == cb.WriterMetadata.from_xml(text)


def test_file_names_and_paths(tmp_path):
    f = tmp_path / "wm.xml"
    f.write_bytes((WMD / "11_wmi_writer.wmd.xml").read_text("ascii").encode("utf-16-le"))
    expected = cb.WriterMetadata.from_xml(WMD / "11_wmi_writer.wmd.xml")
    assert cb.WriterMetadata.from_xml(str(f)) == expected
    assert cb.WriterMetadata.from_xml(f) == expected
    with pytest.raises(FileNotFoundError, match="neither XML text .* nor the name of an existing"):
        cb.WriterMetadata.from_xml(str(tmp_path / "missing.xml"))
    with pytest.raises(TypeError, match="int"):
        cb.WriterMetadata.from_xml(12)


@pytest.mark.parametrize("text", ["", " ", "\r\n\t ", "\ufeff"])
def test_empty_text_is_neither_a_document_nor_a_file_name(text):
    with pytest.raises(XmlError, match="empty or white space only: expected XML text"):
        cb.WriterMetadata.from_xml(text)


def test_bytes_are_always_the_document_never_a_file_name(tmp_path):
    with pytest.raises(XmlError, match="malformed"):
        cb.WriterMetadata.from_xml(os.fsencode(tmp_path / "wm.xml"))


def test_xml_text_may_start_with_whitespace():
    text = (WMD / "10_bits_writer.wmd.xml").read_text("ascii")
    wm = cb.WriterMetadata.from_xml("\n  \t" + text)
    assert wm == cb.WriterMetadata.from_xml(text)


def test_a_negative_max_bytes_is_a_parameter_error():
    with pytest.raises(cb.InvalidParameterError, match="max_bytes must be >= 0, not -1"):
        cb.WriterMetadata.from_xml("<x/>", max_bytes=-1)


def test_max_bytes(tmp_path):
    data = (WMD / "10_bits_writer.wmd.xml").read_bytes()
    f = tmp_path / "wm.xml"
    f.write_bytes(data)
    assert cb.WriterMetadata.from_xml(data, max_bytes=len(data))
    assert cb.WriterMetadata.from_xml(f, max_bytes=len(data))
    for source in (data, bytearray(data), memoryview(data), f, str(f), data.decode()):
        with pytest.raises(XmlError, match="max_bytes=596") as e:
            cb.WriterMetadata.from_xml(source, max_bytes=len(data) - 1)
        assert e.value.line is None and e.value.winerror == 1465
    # text is measured in UTF-8: 300 characters, 600 bytes
    text = NON_ASCII.replace("Données", "é" * 300)
    with pytest.raises(XmlError, match="max_bytes"):
        cb.WriterMetadata.from_xml(text, max_bytes=len(text) + 100)
    assert cb.WriterMetadata.from_xml(text, max_bytes=len(text.encode()))
    with pytest.raises(cb.InvalidParameterError):
        cb.WriterMetadata.from_xml(data, max_bytes=-1)
    with pytest.raises(TypeError):
        cb.WriterMetadata.from_xml(data, max_bytes=1.5)


def test_a_huge_document_is_refused_without_reading_it_all(tmp_path):
    f = tmp_path / "huge.xml"
    with open(f, "wb") as out:
        out.truncate(1 << 30)  # a sparse 1 GiB file: cheap to create, costly to read
    start = time.perf_counter()
    with pytest.raises(XmlError, match="max_bytes"):
        cb.WriterMetadata.from_xml(f, max_bytes=1 << 20)
    assert time.perf_counter() - start < 0.5


# --- hostile documents -----------------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">\n'
                    for i in range(1, 10)).replace("&lol0;", "&lol;")
          + ']>\n<WRITER_METADATA><IDENTIFICATION writerId="&lol9;" instanceId="i"/>'
          '</WRITER_METADATA>')
EXTERNAL = ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            '<WRITER_METADATA><IDENTIFICATION writerId="&x;" instanceId="i"/></WRITER_METADATA>')
HOSTILE = {
    "billion laughs": LAUGHS,
    "external entity": EXTERNAL,
    "external DTD": ('<!DOCTYPE WRITER_METADATA SYSTEM "file:///etc/passwd">\n'
                     '<WRITER_METADATA/>'),
    "parameter entity": ('<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
                         '<WRITER_METADATA/>'),
    "bare DOCTYPE": "<!DOCTYPE WRITER_METADATA>\n<WRITER_METADATA/>",
    "DOCTYPE in UTF-16": LAUGHS.encode("utf-16-le"),
}


@pytest.mark.parametrize("doc", HOSTILE.values(), ids=HOSTILE.keys())
def test_dtds_and_entities_are_refused_before_expansion(doc):
    start = time.perf_counter()
    with pytest.raises(XmlError, match="DOCTYPE") as e:
        cb.WriterMetadata.from_xml(doc)
    assert time.perf_counter() - start < 1.0  # expanding lol9 would be 10**9 "lol"s
    assert e.value.line in (1, 2) and e.value.column >= 1
    assert "root:" not in str(e.value)  # nothing of /etc/passwd


def test_an_undeclared_entity_is_malformed():
    with pytest.raises(XmlError, match="undefined entity") as e:
        cb.WriterMetadata.from_xml('<WRITER_METADATA>\n<IDENTIFICATION writerId="&x;"/>'
                                   '</WRITER_METADATA>')
    assert e.value.line == 2


def test_character_references_are_fine():
    wm = cb.WriterMetadata.from_xml(wmd(group('<FILE_LIST path="C:\\a&amp;b&#x20;c&#233;" '
                                              'filespec="&lt;&gt;&quot;&apos;"/>')))
    assert (wm.files[0].path, wm.files[0].filespec) == ("C:\\a&b cé", "<>\"'")


# --- malformed XML ---------------------------------------------------------------------------

def wmd(body="", *, root='xmlns="x-schema:#VssWriterMetadataInfo" version="1.2"',
        ident='writerId="w" instanceId="i" friendlyName="f"'):
    """A small WMD: line 1 root, 2 IDENTIFICATION, 3 BACKUP_LOCATIONS, 4.. `body`."""
    return (f"<WRITER_METADATA {root}>\n<IDENTIFICATION {ident}/>\n<BACKUP_LOCATIONS>\n"
            f"{body}\n</BACKUP_LOCATIONS>\n</WRITER_METADATA>\n")


def group(files, attrs='componentName="c"', tag="FILE_GROUP"):
    """A component on line 4 with `files` from line 5."""
    return f"<{tag} {attrs}>\n{files}\n</{tag}>"


MALFORMED = {
    "truncated": (wmd(group('<FILE_LIST path="C:\\x" filespec="*"/>'))[:-40], 6, None),
    "truncated in a tag": (wmd(group('<FILE_LIST path="C:\\x" filespec="*"/>'))[:100], 2, 1),
    "mismatched tag": (wmd(group("  </FILE_LIST>")), 5, 5),
    "junk after the root": (wmd() + "<WRITER_METADATA/>", 7, 1),
    "empty": ("", 1, 1),
    "no element": ("<?xml version='1.0'?>", 1, 22),
    "duplicate attribute": (wmd(group('<FILE_LIST path="a" path="b" filespec="*"/>')), 5, 21),
    "NUL character": (wmd("\x00"), 4, 1),
    "declaration not at start": ('\n<?xml version="1.0"?><WRITER_METADATA/>', 2, 1),
}


@pytest.mark.parametrize("text, line, column", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_xml_says_where(text, line, column):
    with pytest.raises(XmlError, match="malformed XML") as e:
        cb.WriterMetadata.from_xml(text.encode())
    assert e.value.line == line and e.value.column >= 1
    if column is not None:
        assert e.value.column == column
    assert f"line {line}, column {e.value.column}: " in str(e.value)
    assert (e.value.element, e.value.attribute) == (None, None)


def test_invalid_bytes_in_the_encoding():
    with pytest.raises(XmlError, match="not valid UTF-8 at byte 28") as e:
        cb.WriterMetadata.from_xml(b"<WRITER_METADATA>\n<IDENTIFIC\xff")
    assert (e.value.line, e.value.column) == (2, 11)
    with pytest.raises(XmlError, match="UTF-16-LE"):  # odd length
        cb.WriterMetadata.from_xml("<WRITER_METADATA/>".encode("utf-16-le")[:-1])
    with pytest.raises(XmlError, match="surrogate") as e:
        cb.WriterMetadata.from_xml("<WRITER_METADATA>\n<a b='\ud800'/>")
    assert (e.value.line, e.value.column) == (2, 7)


# --- required attributes, numbers, booleans, enums -------------------------------------------

@pytest.mark.parametrize("element, parent", [
    ("FILE_LIST", "FILE_GROUP"), ("DATABASE_FILES", "DATABASE"),
    ("DATABASE_LOGFILES", "DATABASE"), ("EXCLUDE_FILES", None),
    ("EXCLUDE_FILES_FROM_SNAPSHOT", None)])
@pytest.mark.parametrize("attribute", ["path", "filespec"])
def test_a_file_element_needs_path_and_filespec(element, parent, attribute):
    attrs = {"path": 'path="C:\\x"', "filespec": 'filespec="*"'}
    del attrs[attribute]
    file = f"<{element} {' '.join(attrs.values())}/>"
    text = wmd(group(file, tag=parent)) if parent else wmd(file)
    with pytest.raises(XmlError, match=f"<{element}> has no {attribute} attribute") as e:
        cb.WriterMetadata.from_xml(text)
    assert (e.value.element, e.value.attribute) == (element, attribute)
    assert (e.value.line, e.value.column) == (5 if parent else 4, 1)
    assert str(e.value).startswith(f"[WinError 1465] line {e.value.line}, column 1: ")


@pytest.mark.parametrize("text, element, attribute, line", [
    (wmd(group("", attrs='logicalPath="x"')), "FILE_GROUP", "componentName", 4),
    (wmd(group("", attrs="", tag="DATABASE")), "DATABASE", "componentName", 4),
    (wmd(ident='instanceId="i"'), "IDENTIFICATION", "writerId", 2),
    (wmd(ident='writerId="w"'), "IDENTIFICATION", "instanceId", 2),
])
def test_other_required_attributes(text, element, attribute, line):
    with pytest.raises(XmlError, match=f"<{element}> has no {attribute}") as e:
        cb.WriterMetadata.from_xml(text)
    assert (e.value.element, e.value.attribute, e.value.line) == (element, attribute, line)


BAD_NUMBERS = ["0xF0F", "-1", "+1", "4294967296", "99999999999", "\u0663", "1_000", " 3855",
               "3855 ", "", "3.0", "1e3", "9" * 5000, "0" * 5000 + "x"]


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_non_numeric_filespec_backup_type(value):
    text = wmd(group(f'<FILE_LIST path="C:\\x" filespec="*" filespecBackupType="{value}"/>'))
    with pytest.raises(XmlError, match="not a decimal number from 0 to 4294967295") as e:
        cb.WriterMetadata.from_xml(text)
    assert (e.value.element, e.value.attribute, e.value.line) == (
        "FILE_LIST", "filespecBackupType", 5)
    assert "filespecBackupType" in str(e.value) and "<FILE_LIST" in str(e.value)


@pytest.mark.parametrize("value, mask", [("0", 0), ("4294967295", 0xFFFFFFFF), ("0003855", 3855),
                                         ("0" * 5000 + "1", 1), ("257", 0x101)])
def test_numeric_filespec_backup_type(value, mask):
    text = wmd(group(f'<FILE_LIST path="C:\\x" filespec="*" filespecBackupType="{value}"/>'))
    assert cb.WriterMetadata.from_xml(text).files[0].mask == mask


@pytest.mark.parametrize("text, element, attribute", [
    (wmd(root='backupSchema="0x371"'), "WRITER_METADATA", "backupSchema"),
    (wmd(group("", attrs='componentName="c" componentFlags="-2"')), "FILE_GROUP",
     "componentFlags"),
    (wmd(ident='writerId="w" instanceId="i" majorVersion="1.0"'), "IDENTIFICATION",
     "majorVersion"),
    (wmd(ident='writerId="w" instanceId="i" minorVersion="x"'), "IDENTIFICATION",
     "minorVersion"),
])
def test_other_numbers(text, element, attribute):
    with pytest.raises(XmlError, match="decimal") as e:
        cb.WriterMetadata.from_xml(text)
    assert (e.value.element, e.value.attribute) == (element, attribute)


@pytest.mark.parametrize("value, expected", [
    ("yes", True), ("no", False), ("YES", True), ("No", False), ("true", True),
    ("FALSE", False), ("1", True), ("0", False)])
def test_booleans(value, expected):
    text = wmd(group(f'<FILE_LIST path="C:\\x" filespec="*" recursive="{value}"/>',
                     attrs=f'componentName="c" selectable="{value}"'))
    wm = cb.WriterMetadata.from_xml(text)
    assert wm.files[0].recursive is expected and wm.components[0].selectable is expected


@pytest.mark.parametrize("value", ["maybe", "", " yes", "y", "2", "on"])
def test_bad_booleans(value):
    text = wmd(group(f'<FILE_LIST path="C:\\x" filespec="*" recursive="{value}"/>'))
    with pytest.raises(XmlError, match="not yes or no") as e:
        cb.WriterMetadata.from_xml(text)
    assert (e.value.element, e.value.attribute, e.value.line) == ("FILE_LIST", "recursive", 5)
    text = wmd().replace("<IDENTIFICATION", f'<RESTORE_METHOD rebootRequired="{value}"/>'
                                            "<IDENTIFICATION")
    with pytest.raises(XmlError, match="rebootRequired"):
        cb.WriterMetadata.from_xml(text)


def test_enums():
    wm = cb.WriterMetadata.from_xml(wmd(ident='writerId="w" instanceId="i"'))
    assert (wm.usage, wm.data_source) == (cb.Usage.UNDEFINED, cb.DataSource.UNDEFINED)
    wm = cb.WriterMetadata.from_xml(wmd(ident='writerId="w" instanceId="i" usage="OTHER" '
                                        'dataSource="NONTRANSACTION_DB"'))
    assert (wm.usage, wm.data_source) == (cb.Usage.OTHER, cb.DataSource.NONTRANSACTION_DB)
    for attribute in ("usage", "dataSource"):
        with pytest.raises(XmlError, match=f"{attribute}='SOMETIMES'") as e:
            cb.WriterMetadata.from_xml(wmd(ident=f'writerId="w" instanceId="i" '
                                           f'{attribute}="SOMETIMES"'))
        assert (e.value.element, e.value.attribute, e.value.line) == (
            "IDENTIFICATION", attribute, 2)
    with pytest.raises(XmlError, match="usage='user_data'"):  # case matters
        cb.WriterMetadata.from_xml(wmd(ident='writerId="w" instanceId="i" usage="user_data"'))


# --- structure -------------------------------------------------------------------------------

@pytest.mark.parametrize("body, element, parent, line", [
    (group('<DATABASE_FILES path="C:\\x" filespec="*"/>'), "DATABASE_FILES", "FILE_GROUP", 5),
    (group('<FILE_LIST path="C:\\x" filespec="*"/>', tag="DATABASE"), "FILE_LIST", "DATABASE", 5),
    (group('<EXCLUDE_FILES path="C:\\x" filespec="*"/>'), "EXCLUDE_FILES", "FILE_GROUP", 5),
    ('<FILE_LIST path="C:\\x" filespec="*"/>', "FILE_LIST", "BACKUP_LOCATIONS", 4),
    ('<NEW_THING>\n<FILE_LIST path="C:\\x" filespec="*"/></NEW_THING>', "FILE_LIST",
     "NEW_THING", 5),
    (group(group("", attrs='componentName="d"')), "FILE_GROUP", "FILE_GROUP", 5),
])
def test_a_known_element_outside_its_parent(body, element, parent, line):
    with pytest.raises(XmlError, match=f"<{element}> inside <{parent}>: it belongs in") as e:
        cb.WriterMetadata.from_xml(wmd(body))
    assert e.value.element == element and e.value.line == line


def test_misplaced_writer_level_elements():
    with pytest.raises(XmlError, match="<BACKUP_LOCATIONS> inside <BACKUP_LOCATIONS>"):
        cb.WriterMetadata.from_xml(wmd("<BACKUP_LOCATIONS/>"))
    with pytest.raises(XmlError, match="<FILE_GROUP> inside <WRITER_METADATA>"):
        cb.WriterMetadata.from_xml(wmd().replace("<BACKUP_LOCATIONS>",
                                                 '<FILE_GROUP componentName="c"/>'
                                                 "<BACKUP_LOCATIONS>"))
    with pytest.raises(XmlError, match="a second <IDENTIFICATION>") as e:
        cb.WriterMetadata.from_xml(wmd('<x/>').replace("<x/>", "").replace(
            "<BACKUP_LOCATIONS>", '<IDENTIFICATION writerId="a" instanceId="b"/><BACKUP_LOCATIONS>'))
    assert e.value.line == 3


@pytest.mark.parametrize("text, match", [
    ("<WRITER_METADATA/>", "no <IDENTIFICATION>"),
    (('<WRITER_METADATA><BACKUP_LOCATIONS><IDENTIFICATION writerId="w" instanceId="i"/>'
      "</BACKUP_LOCATIONS></WRITER_METADATA>"), "<IDENTIFICATION> inside <BACKUP_LOCATIONS>"),
    ("<WMD/>", "the root element is <WMD>"),
    ('<WRITER_METADATA xmlns="urn:other"/>', "xmlns='urn:other'"),
    ('<vss:WRITER_METADATA xmlns:vss="x-schema:#VssWriterMetadataInfo"/>',
     "root element is <vss:WRITER_METADATA>"),
])
def test_not_a_writer_metadata_document(text, match):
    with pytest.raises(XmlError, match=match):
        cb.WriterMetadata.from_xml(text)


def test_defaults_of_absent_attributes():
    wm = cb.WriterMetadata.from_xml(wmd(group('<FILE_LIST path="C:\\x" filespec="*"/>',
                                              attrs='componentName="c"'),
                                        root="", ident='writerId="w" instanceId="i"'))
    (f,) = wm.files
    assert (f.recursive, f.mask, f.alternate_path, f.role) == (
        False, 0xF0F, None, cb.FileRole.FILE_LIST)
    assert (wm.backup_schema, wm.version, wm.friendly_name, wm.instance_name) == (0, "", "", "")
    assert (wm.major_version, wm.minor_version, wm.restore_method, wm.reboot_required) == (
        0, 0, None, False)
    (c,) = wm.components
    assert (c.logical_path, c.caption, c.flags, c.selectable, c.kind) == (
        "", "", 0, False, cb.ComponentType.FILE_GROUP)


def test_alternate_path_and_excludes_without_mask():
    wm = cb.WriterMetadata.from_xml(wmd(
        group('<FILE_LIST path="C:\\x" filespec="*" alternatePath="D:\\alt" recursive="yes" '
              'filespecBackupType="257"/>')
        + '\n<EXCLUDE_FILES path="C:\\x" filespec="*.tmp" alternatePath="D:\\alt" '
          'filespecBackupType="oops"/>'))
    assert (wm.files[0].alternate_path, wm.files[0].mask) == ("D:\\alt", 257)
    (ex,) = wm.excludes
    assert (ex.mask, ex.alternate_path, ex.role) == (0, None, cb.FileRole.EXCLUDE)
    assert len(cb.FileSpecSet(wm).excludes) == 1


def test_database_components():
    wm = cb.WriterMetadata.from_xml(wmd(group(
        '<DATABASE_LOGFILES path="L:\\logs" filespec="*.log" filespecBackupType="2056"/>\n'
        '<DATABASE_FILES path="D:\\db" filespec="db.mdf"/>',
        attrs='logicalPath="inst" componentName="db" caption="Data" componentFlags="3" '
              'restoreMetadata="yes" notifyOnBackupComplete="yes" selectable="yes" '
              'selectableForRestore="yes"', tag="DATABASE")))
    (c,) = wm.components
    assert (c.kind, c.logical_path, c.name, c.caption, c.flags) == (
        cb.ComponentType.DATABASE, "inst", "db", "Data", 3)
    assert c.restore_metadata and c.notify_on_backup_complete and c.selectable_for_restore
    assert [(f.role, f.mask) for f in c.files] == [
        (cb.FileRole.DATABASE_LOGFILES, 0x808), (cb.FileRole.DATABASE_FILES, 0xF0F)]


def test_unknown_elements_attributes_and_text_are_ignored():
    text = wmd(group('<FILE_LIST path="C:\\x" filespec="*" future="1">text<!-- c --></FILE_LIST>'
                     '\n<DEPENDENCY writerId="x" componentName="y"/>',
                     attrs='componentName="c" newAttribute="z"')
               + "\n<NEW_ELEMENT><DEEP a='1'>words</DEEP></NEW_ELEMENT><?pi data?>")
    text = text.replace("<IDENTIFICATION", "<ALTERNATE_LOCATION_MAPPING path='p' filespec='*'/>"
                        "<IDENTIFICATION")
    wm = cb.WriterMetadata.from_xml(text)
    assert len(wm.components) == 1 and _specs(wm.files) == [("C:\\x", "*", False, 0xF0F)]


def test_order_of_elements_does_not_matter():
    a = wmd(group('<FILE_LIST path="C:\\x" filespec="*"/>')).replace(
        "<IDENTIFICATION", '<RESTORE_METHOD method="m" rebootRequired="yes"/><IDENTIFICATION')
    b = a.replace('<RESTORE_METHOD method="m" rebootRequired="yes"/>', "").replace(
        "</WRITER_METADATA>", '<RESTORE_METHOD method="m" rebootRequired="yes"/></WRITER_METADATA>')
    c = b.replace("<BACKUP_LOCATIONS>", '<BACKUP_LOCATIONS></BACKUP_LOCATIONS><BACKUP_LOCATIONS>')
    assert cb.WriterMetadata.from_xml(a) == cb.WriterMetadata.from_xml(b) \
        == cb.WriterMetadata.from_xml(c)
    assert cb.WriterMetadata.from_xml(a).restore_method == "m"


def test_read_wmd_is_from_xml():
    from csvbackup.wmd.xml import read_wmd
    assert (cb.WriterMetadata(**read_wmd(SYSTEM.read_bytes(), max_bytes=1 << 30))
            == cb.WriterMetadata.from_xml(SYSTEM))


# --- vshadow listings ------------------------------------------------------------------------

def test_vshadow_frs_sample():
    (frs,) = cb.WriterMetadata.from_vshadow_text(FRS.read_text())
    assert frs.friendly_name == "FRS Writer" and not frs.recursive_known
    assert frs.writer_id == "d76f5a28-3092-4589-ba48-2958fb88ce29"
    assert frs.instance_id == "07ae58e5-6977-4e34-9dfe-399bbd2cbe40"
    assert (frs.restore_method, frs.writer_restore, frs.reboot_required) == (
        "VSS_RME_CUSTOM", "VSS_WRE_NEVER", False)
    text = FRS.read_text()
    expected = re.findall(r"- Exclude: Path = (.*), Filespec = (.*)", text)
    assert [(f.path, f.filespec) for f in frs.excludes] == expected
    assert all(f.role is cb.FileRole.EXCLUDE and f.mask == 0 for f in frs.excludes)
    (comp,) = frs.components
    assert (comp.name, comp.logical_path, comp.caption, comp.kind) == (
        "da45368c-b2d3-4cf0-bdc338a2cde15a7b", "SYSVOL", "", cb.ComponentType.FILE_GROUP)
    assert comp.selectable and comp.notify_on_backup_complete
    (f,) = comp.files
    assert (f.path, f.filespec, f.recursive, f.mask, f.role) == (
        r"d:\windows\sysvol", "*", False, 0xF0F, cb.FileRole.FILE_LIST)
    specs = cb.FileSpecSet(frs)
    m = specs.match([r"D:\Windows\SYSVOL\x.txt", r"d:\windows\ntfrs\jet\db",
                     r"d:\windows\debug\NtFrs\NtFrs.log"])
    assert m.mask.tolist() == [0xF0F, 0, 0] and m.excluded.tolist() == [False, True, True]


LISTING = r"""VSHADOW.EXE 3.0 - Volume Shadow Copy sample client.
Copyright (C) 2005 Microsoft Corporation. All rights reserved.

(Option: List extended writer metadata)
- Setting the VSS context to: 0x00000000
Listing writer metadata ...

* WRITER "Microsoft Exchange Writer"
    - WriterId   = {76fe1ac4-15f7-4bcd-987e-8e1acb462fb7}
    - InstanceId = {A0B6B4E1-4A84-4A1D-9A4F-1C1B6B2E4B11}
    - Supports restore events = TRUE
    - Writer restore conditions = VSS_WRE_ALWAYS
    - Restore method = VSS_RME_RESTORE_IF_CAN_REPLACE
    - Requires reboot after restore = TRUE
    - Excluded files:
       - Exclude: Path = C:\Program Files\Exchange, Data\Temp, Filespec = *.tmp, Recursive
    - Component "Microsoft Exchange Writer:\Microsoft Exchange Server\Store\DB1"
       - Name: 'DB1'
       - Logical Path: 'Microsoft Exchange Server\Store'
       - Full Path: '\Microsoft Exchange Server\Store\DB1'
       - Caption: 'First line.
Second line.
'
       - Type: VSS_CT_DATABASE [1]
       - Is Selectable: 'TRUE'
       - Is top level: 'TRUE'
       - Notify on backup complete: 'FALSE'
       - Components:
       - Database: Path = E:\DB1, Filespec = db1.edb, Alternate Location = F:\alt, x
       - Database Log: Path = L:\Logs, a, Filespec = E00*.log
       - Affected paths by this component:
         - E:\DB1\
         - L:\Logs, a\
       - Affected volumes by this component:
         - \\?\Volume{da897ba5-5840-11db-93c1-806e6f6e6963}\ [E:\]
       - Component Dependencies:
       - Dependency to "{76fe1ac4-15f7-4bcd-987e-8e1acb462fb7}:\x"
    - Component "Microsoft Exchange Writer:\Empty"
       - Name: 'Empty'
       - Logical Path: ''
       - Caption: ''
       - Type: VSS_CT_FILEGROUP [2]
       - Is Selectable: 'FALSE'
       - Components:

* WRITER "Second Writer"
    - Writer ID   = {d76f5a28-3092-4589-ba48-2958fb88ce29}
    - Writer Instance ID = {07ae58e5-6977-4e34-9dfe-399bbd2cbe40}
    - Excluded files:

Snapshot creation done.
"""


def test_vshadow_listing_variants():
    exchange, second = cb.WriterMetadata.from_vshadow_text(LISTING)
    assert exchange.writer_id == "76fe1ac4-15f7-4bcd-987e-8e1acb462fb7"
    assert exchange.instance_id == "A0B6B4E1-4A84-4A1D-9A4F-1C1B6B2E4B11"
    assert (exchange.restore_method, exchange.writer_restore, exchange.reboot_required) == (
        "VSS_RME_RESTORE_IF_CAN_REPLACE", "VSS_WRE_ALWAYS", True)
    (ex,) = exchange.excludes
    assert (ex.path, ex.filespec, ex.recursive) == (r"C:\Program Files\Exchange, Data\Temp",
                                                    "*.tmp", True)
    db, empty = exchange.components
    assert (db.name, db.logical_path, db.kind, db.selectable, db.notify_on_backup_complete) == (
        "DB1", r"Microsoft Exchange Server\Store", cb.ComponentType.DATABASE, True, False)
    assert db.caption == "First line.\nSecond line.\n"
    assert [(f.role, f.path, f.filespec, f.alternate_path) for f in db.files] == [
        (cb.FileRole.DATABASE_FILES, r"E:\DB1", "db1.edb", r"F:\alt, x"),
        (cb.FileRole.DATABASE_LOGFILES, r"L:\Logs, a", "E00*.log", None)]
    assert (empty.name, empty.files, empty.kind, empty.selectable) == (
        "Empty", (), cb.ComponentType.FILE_GROUP, False)
    assert second.friendly_name == "Second Writer" and not second.components
    assert not exchange.recursive_known and not second.recursive_known


def test_vshadow_path_split_at_the_last_filespec():
    listing = ('* WRITER "w"\n - Writer ID = {d76f5a28-3092-4589-ba48-2958fb88ce29}\n'
               " - Writer Instance ID = {07ae58e5-6977-4e34-9dfe-399bbd2cbe40}\n"
               " - Exclude: Path = C:\\a, Filespec = b, Filespec = *.x\n")
    (w,) = cb.WriterMetadata.from_vshadow_text(listing)
    assert (w.excludes[0].path, w.excludes[0].filespec) == ("C:\\a, Filespec = b", "*.x")


HEAD = ('* WRITER "w"\n - Writer ID = {d76f5a28-3092-4589-ba48-2958fb88ce29}\n'
        " - Writer Instance ID = {07ae58e5-6977-4e34-9dfe-399bbd2cbe40}\n")
COMPONENT = " - Component \"w:\\c\"\n - Name: 'c'\n - Components:\n"


@pytest.mark.parametrize("listing, match, line", [
    (HEAD + " - Exclude: nonsense\n", "expected 'Path = ..., Filespec = ...'", 4),
    (HEAD + " - Exclude: Path = , Filespec = *\n", "empty path or filespec", 4),
    (HEAD + " - File List: Path = C:\\a, Filespec = *\n", "outside any component", 4),
    (HEAD + "Done.\n - Exclude: Path = C:\\a, Filespec = *\n", "outside any '\\* WRITER'", 5),
    (HEAD.replace("{d76f5a28-3092", "{nope"), "Writer ID '{nope", 2),
    (HEAD.replace("ce29}", "ce29"), "is not a GUID", 2),
    (HEAD.replace(" - Writer ID = {d76f5a28-3092-4589-ba48-2958fb88ce29}\n", ""),
     "has no Writer ID line", 1),
    (HEAD.replace(" - Writer Instance ID = {07ae58e5-6977-4e34-9dfe-399bbd2cbe40}\n", ""),
     "has no Writer Instance ID line", 1),
    (HEAD + COMPONENT + " - Type: VSS_CT_THING [7]\n", "Type: expected", 7),
    (HEAD + COMPONENT + " - Type: VSS_CT_DATABASE [2]\n", "Type: expected", 7),
    # past int()'s 4,300-digit limit: a ValueError from int() before
    (HEAD + COMPONENT + " - Type: VSS_CT_FILEGROUP [" + "9" * 5000 + "]\n", "Type: expected", 7),
    (HEAD + COMPONENT + " - Is Selectable: 'MAYBE'\n", "expected TRUE or FALSE", 7),
    (HEAD + " - Requires reboot after restore = yes\n", "expected TRUE or FALSE", 4),
    (HEAD + COMPONENT.replace("'c'", "c"), "expected a value in single quotes", 5),
    (HEAD + " - Component \"w:\\c\"\n - Components:\n", "no '- Name:' line", 4),
    (HEAD + " - Component \"w:\\c\"\n - Name: 'c'\n", "vshadow -wm2", 4),
    (HEAD + COMPONENT + " - Caption: 'never closed\nmore\n", "never closed", 7),
])
def test_vshadow_bad_listings(listing, match, line):
    with pytest.raises(XmlError, match=match) as e:
        cb.WriterMetadata.from_vshadow_text(listing)
    assert e.value.line == line and e.value.column is None
    assert str(e.value).startswith(f"[WinError 1465] line {line}: ")


@pytest.mark.parametrize("text", ["", "\n\n", "no writers here\n- Status: fine\n",
                                  "* WRITER MSDEWriter\n - Writer ID = {x}\n"])
def test_vshadow_text_without_a_writer_is_refused(text):
    """Text with no writer header the parser recognises is an error, never an empty list."""
    with pytest.raises(XmlError, match="no writer: a vshadow -wm2 listing") as e:
        cb.WriterMetadata.from_vshadow_text(text)
    assert e.value.line is None


def test_vshadow_single_quoted_names():
    """vshadow 3.0 printed the writer and component names in single quotes."""
    single = (HEAD.replace('"w"', "'MSDEWriter'")
              + COMPONENT.replace('"w:\\c"', "'w:\\c'") + " - Type: Undefined [0]\n")
    (w,) = cb.WriterMetadata.from_vshadow_text(single)
    (d,) = cb.WriterMetadata.from_vshadow_text(HEAD.replace('"w"', '"MSDEWriter"') + COMPONENT
                                               + " - Type: Undefined [0]\n")
    assert w.friendly_name == "MSDEWriter" and len(w.components) == 1
    assert w == d
    with pytest.raises(XmlError, match="no writer"):  # the quotes must match
        cb.WriterMetadata.from_vshadow_text(HEAD.replace('"w"', "'w\""))


def test_vshadow_odd_inputs():
    (w,) = cb.WriterMetadata.from_vshadow_text(HEAD.replace("\n", "\r\n") + COMPONENT
                                               + " - Type: Undefined [0]\n")
    assert w.components[0].kind is cb.ComponentType.UNDEFINED
    with pytest.raises(TypeError):
        cb.WriterMetadata.from_vshadow_text(FRS.read_bytes())
