"""CLUSPROP constants: the Python enums, built from the core's tables of
include/csvbackup/clusprop.h's X-lists (which CI checks against mingw's clusapi.h), carry
exactly the header's names and values in its order, and the documented ones from the
reference tables."""
import re
from pathlib import Path

import pytest

import csvbackup as cb

HEADER = Path(cb.get_include()) / "csvbackup" / "clusprop.h"


def header_list(macro):
    text = HEADER.read_text()
    body = text[text.index(f"#define {macro}(X)"):]
    body = body[:body.index("\n\n")]
    return {name: int(value, 0) for name, value, _ in
            re.findall(r"X\((\w+),\s*(-?(?:0x[0-9A-Fa-f]+|\d+)),\s*([01])\)", body)}


ENUM_LISTS = [
    (cb.PropType, "CSVB_CLUSPROP_TYPE_LIST"),
    (cb.Format, "CSVB_CLUSPROP_FORMAT_LIST"),
    (cb.Syntax, "CSVB_CLUSPROP_SYNTAX_LIST"),
]


@pytest.mark.parametrize("enum_type, macro", ENUM_LISTS)
def test_enums_equal_the_header(enum_type, macro):
    from_header = header_list(macro)
    assert len(from_header) >= 16
    assert {m.name: int(m) for m in enum_type} == from_header


@pytest.mark.parametrize("enum_type, macro", ENUM_LISTS)
def test_enums_keep_the_header_order(enum_type, macro):
    assert [m.name for m in enum_type] == list(header_list(macro))


def test_list_value_syntaxes_are_type_and_format():
    for s in cb.Syntax:
        if s.name.startswith("LIST_VALUE_"):
            fmt = cb.Format[s.name[len("LIST_VALUE_"):]]
            assert s == cb.syntax_value(cb.PropType.LIST_VALUE, fmt)
            assert (s.type, s.format) == (cb.PropType.LIST_VALUE, fmt)
    assert cb.Syntax.NAME == cb.syntax_value(cb.PropType.NAME, cb.Format.SZ) == 0x00040003
    assert cb.Syntax.DISK_SIZE.format is cb.Format.ULARGE_INTEGER


def test_backup_in_progress_syntax():
    # docs/reference/spec-pages.md section 3: BackupInProgress travels as CLUSPROP_DWORD,
    # CLUSPROP_SYNTAX_LIST_VALUE_DWORD
    assert cb.Syntax.LIST_VALUE_DWORD == 0x00010002


def test_syntax_value_masks_to_words():
    assert cb.syntax_value(0x18000, 0x10002) == 0x80000002
    assert cb.syntax_value(cb.PropType.USER, cb.Format.USER) == 0x80008000
