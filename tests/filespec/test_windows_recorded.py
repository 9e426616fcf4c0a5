"""Wildcards as Windows matches them: every case the public test suites recorded on Windows
(tests/data/wildcards/, each row naming its source) through the C matcher and, separately,
through the plain-Python reference matcher.

The rows that need a file's 8.3 short name (not recorded: it depends on the volume) and the
directory's own "." and ".." entries (never in a catalog) are left out by kind, and counted so
that a change of the data shows.
"""
from collections import defaultdict
from pathlib import Path

import pytest

import csvbackup as cb
import filespec_oracle as oracle
from csvbackup import _csvcore

DATA = Path(__file__).resolve().parent.parent / "data" / "wildcards"
DIR = r"C:\D"


def _rows(name):
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append([field.replace("\\\\", "\\") for field in line.split("\t")])
    return rows


MATCHES = _rows("recorded_matches.tsv")
MASKS = [r for r in _rows("recorded_masks.tsv") if r[1] == "windows-observed"]
BY_KIND = defaultdict(list)
for _source, _kind, _expr, _name, _expected in MATCHES:
    BY_KIND[_kind].append((_source, _expr, _name, _expected == "1"))


def test_the_recorded_cases_are_all_there():
    assert {k: len(v) for k, v in BY_KIND.items()} == {
        "win32mask": 1200, "win32mask-8dot3": 52, "win32mask-dotentry": 176, "nt": 1769,
        "nt-case": 41, "nt-8dot3": 9, "nt-dotentry": 178, "nt-custom-upcase": 10}
    assert len(MASKS) == 63


def _fold(text):
    return "".join(map(chr, oracle.fold(oracle.units(text)))) if text else text


def test_masks_are_prepared_as_windows_prepares_them():
    wrong = [(mask, _csvcore.translate_filespec(mask), want) for _, _, mask, want in MASKS
             if _csvcore.translate_filespec(mask) != want]
    assert not wrong


def test_the_reference_prepares_masks_as_windows_does():
    wrong = [(mask, want) for _, _, mask, want in MASKS
             if "".join(map(chr, oracle.translate(mask))) != want]
    assert not wrong


def _win32_by_mask():
    by_mask = defaultdict(list)
    for source, mask, name, expected in BY_KIND["win32mask"]:
        by_mask[mask].append((name, expected, source))
    return by_mask


def test_file_sets_match_as_findfirstfile_did_on_windows():
    wrong = []
    for mask, cases in _win32_by_mask().items():
        got = cb.FileSpecSet([cb.FileSpec(DIR, mask)]).match(
            [f"{DIR}\\{name}" for name, _, _ in cases]).mask
        wrong += [(mask, name, expected, source) for (name, expected, source), g
                  in zip(cases, got.tolist(), strict=True) if bool(g) != expected]
    assert not wrong, f"{len(wrong)} of {len(BY_KIND['win32mask'])}: {wrong[:10]}"


def test_the_reference_matches_as_findfirstfile_did_on_windows():
    wrong = []
    for mask, cases in _win32_by_mask().items():
        rows = oracle.match([cb.FileSpec(DIR, mask)], [f"{DIR}\\{name}" for name, _, _ in cases])
        wrong += [(mask, name, expected) for (name, expected, _), row in zip(cases, rows, strict=True)
                  if bool(row.mask) != expected]
    assert not wrong, f"{len(wrong)} of {len(BY_KIND['win32mask'])}: {wrong[:10]}"


@pytest.mark.parametrize("kind", ["nt", "nt-case"])
def test_nt_expressions_match_as_on_windows(kind):
    fold = _fold if kind == "nt" else (lambda s: s)
    wrong = [(expr, name, expected, source) for source, expr, name, expected in BY_KIND[kind]
             if _csvcore.dos_match(fold(expr), fold(name)) is not expected]
    assert not wrong, f"{len(wrong)} of {len(BY_KIND[kind])}: {wrong[:10]}"


@pytest.mark.parametrize("kind", ["nt", "nt-case"])
def test_the_reference_matches_nt_expressions_as_on_windows(kind):
    fold = oracle.fold if kind == "nt" else (lambda us: us)
    wrong = [(expr, name, expected, source) for source, expr, name, expected in BY_KIND[kind]
             if oracle.name_matches(fold(oracle.units(expr)), fold(oracle.units(name)))
             is not expected]
    assert not wrong, f"{len(wrong)} of {len(BY_KIND[kind])}: {wrong[:10]}"


def test_names_found_only_through_short_names_are_not_matched_by_long_names():
    """The 8.3 rows: Windows found these through a short name; on the long name alone the
    matcher must say no, or the rows are mislabelled (a catalog without short names differs
    from FindFirstFile exactly here)."""
    wrong = [(mask, name) for _, mask, name, _ in BY_KIND["win32mask-8dot3"]
             if cb.FileSpecSet([cb.FileSpec(DIR, mask)]).match([f"{DIR}\\{name}"]).mask[0]]
    assert not wrong
