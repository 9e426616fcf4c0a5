"""Fuzzing the WMD and vshadow parsers: whatever the input, the result is a `WriterMetadata`
or a `WriterMetadataError`, never another exception."""
import re
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csvbackup as cb
import tree

WMD = tree.WMD
REGISTRY = (WMD / "01_registry_writer.wmd.xml").read_bytes()
ASR_UTF16 = (WMD / "04_asr_writer.wmd.xml").read_text("ascii").encode("utf-16-le")
FRS = (WMD / "06_frs_writer_vshadow_dump.txt").read_text()

pytestmark = pytest.mark.slow

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parses_or_refuses(source, parse=cb.WriterMetadata.from_xml):
    try:
        result = parse(source)
    except cb.WriterMetadataError as e:
        assert e.winerror == 1465 and str(e)
        assert e.line is None or e.line >= 1
        assert e.column is None or e.column >= 1
        return None
    return result


@st.composite
def mutated(draw, document):
    """`document` with a few bytes replaced, inserted or deleted, and maybe truncated."""
    data = bytearray(document)
    for _ in range(draw(st.integers(0, 6))):
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        op = draw(st.sampled_from(["replace", "insert", "delete"]))
        byte = draw(st.sampled_from(b'<>/="&;!?\x00\xff\xfe\n ') | st.integers(0, 255))
        if op == "replace" and data:
            data[pos] = byte
        elif op == "insert":
            data.insert(pos, byte)
        elif data:
            del data[pos]
    return bytes(data[:draw(st.integers(0, len(data)))] if draw(st.booleans()) else data)


@FUZZ
@given(mutated(REGISTRY))
def test_mutated_utf8_document(data):
    wm = _parses_or_refuses(data)
    assert wm is None or isinstance(wm, cb.WriterMetadata)


@FUZZ
@given(mutated(ASR_UTF16))
def test_mutated_utf16_document(data):
    wm = _parses_or_refuses(data)
    assert wm is None or isinstance(wm, cb.WriterMetadata)


@FUZZ
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: "<" + t))
def test_arbitrary_input(data):
    _parses_or_refuses(data)


@FUZZ
@given(st.text(max_size=14))
def test_mask_text_is_read_exactly_as_ascii_decimal(value):
    doc = ('<WRITER_METADATA><IDENTIFICATION writerId="w" instanceId="i"/><BACKUP_LOCATIONS>'
           '<FILE_GROUP componentName="c"><FILE_LIST path="C:\\x" filespec="*" '
           f"filespecBackupType={quoteattr(value)}/></FILE_GROUP></BACKUP_LOCATIONS>"
           "</WRITER_METADATA>")
    wm = _parses_or_refuses(doc)
    valid = re.fullmatch(r"[0-9]+", value) is not None and int(value) <= 0xFFFFFFFF
    assert (wm is not None) == valid
    if valid:
        assert wm.files[0].mask == int(value)


@st.composite
def mutated_listing(draw):
    lines = FRS.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["edit", "drop", "duplicate", "cut"]))
        if op == "edit":
            pos = draw(st.integers(0, len(lines[i])))
            text = draw(st.sampled_from(["'", '"', ", ", " = ", ": ", "-", "*", "{", "\n"])
                        | st.text(max_size=3))
            lines[i] = lines[i][:pos] + text + lines[i][pos:]
        elif op == "drop":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        else:
            lines[i] = lines[i][:draw(st.integers(0, len(lines[i])))]
        if not lines:
            lines.append("")
    return "\n".join(lines)


@FUZZ
@given(mutated_listing())
def test_mutated_vshadow_listing(text):
    writers = _parses_or_refuses(text, cb.WriterMetadata.from_vshadow_text)
    assert writers is None or all(not w.recursive_known for w in writers)
