r"""Rows with non-ASCII characters on the byte path.

A clean UTF-8 row is walked on its bytes: ASCII letters folded 16 or 32 at a time, every other
character re-encoded as the UTF-8 of its fold in place, and the result looked up in a table of
the spec directories as folded UTF-8. These tests hold that path to the reference matcher and
to ``str`` rows (which always take the UTF-16 path), in the cases where it could go wrong: a
character whose fold has another UTF-8 length (U+0131 'ı' folds to 'I', U+0250 'ɐ' to U+2C6F),
characters outside the BMP (two surrogates, never folded), invalid UTF-8 inside a directory,
and consecutive rows sharing a directory (whose walk is reused).
"""
import numpy as np
import pytest

import csvbackup as cb
import filespec_inputs as inputs
import filespec_oracle as oracle

pa = pytest.importorskip("pyarrow")

FIELDS = ("mask", "spec", "excluded", "not_in_snapshot")


def assert_agrees(specs, rows):
    """Arrow rows, str rows and the reference matcher decide every row alike."""
    want = oracle.match(specs, rows)
    fs = cb.FileSpecSet(specs)
    for got in (fs.match(pa.array(rows)), fs.match(rows), fs.match(pa.array(rows), threads=2)):
        for field in FIELDS:
            assert getattr(got, field).tolist() == [getattr(r, field) for r in want], field
        assert got.status.tolist() == [0] * len(rows)
    return fs.match(pa.array(rows))


def test_accented_directories_fold_as_windows_compares_them():
    specs = [cb.FileSpec("C:\\Donn\u00e9es partag\u00e9es", "*.docx", True, mask=0x1),
             cb.FileSpec("C:\\Donn\u00e9es partag\u00e9es\\\u00dcbersicht", "*", mask=0x2),
             cb.FileSpec("C:\\Donn\u00e9es partag\u00e9es\\tmp", "*", True, role=cb.FileRole.EXCLUDE),
             cb.FileSpec("D:\\Stra\u00dfe", "*", mask=0x4)]
    rows = ["C:\\DONN\u00c9ES PARTAG\u00c9ES\\a.docx",           # upper case: folded equal
            "c:\\donn\u00e9es partag\u00e9es\\x\\b.DOCX",         # recursive, lower case
            "C:\\Donn\u00e9es partag\u00e9es\\\u00fcbersicht\\c.txt",
            "C:\\Donn\u00e9es partag\u00e9es\\\u00fcbersicht\\c.txt",  # the cached walk
            "C:\\Donn\u00e9es partag\u00e9es\\\u00fcbersicht\\\u00e9.docx",
            "C:\\Donn\u00e9es partag\u00e9es\\TMP\\d.docx",       # excluded
            "C:\\Donnees partagees\\a.docx",                     # no accents: another folder
            "D:\\STRASSE\\x",                                    # 'ß' has no simple uppercase
            "D:\\stra\u00dfe\\x", "D:\\STRA\u1e9eE\\x"]          # U+1E9E is not U+00DF's fold
    m = assert_agrees(specs, rows)
    assert m.mask.tolist() == [1, 1, 2, 2, 3, 1, 0, 0, 4, 0]  # an excluded row keeps its mask
    assert m.excluded.tolist() == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]


@pytest.mark.parametrize("spec_dir,row_dir", [
    ("C:\\DIR", "C:\\d\u0131r"),         # 'ı' (2 bytes) folds to 'I' (1 byte)
    ("C:\\d\u0131r", "C:\\dir"),         # ... and the spec side folds the same way
    ("C:\\SUB", "C:\\\u017fub"),         # 'ſ' folds to 'S'
    ("C:\\\u2c6f", "C:\\\u0250"),        # 'ɐ' (2 bytes) folds to U+2C6F (3 bytes)
    ("C:\\\u0250\\x", "C:\\\u2c6f\\X"),
])
def test_folds_of_another_utf8_length(spec_dir, row_dir):
    """Such a row cannot be folded in place: it takes the UTF-16 path, with the same answer."""
    specs = [cb.FileSpec(spec_dir, "*.txt", mask=0x1)]
    rows = [row_dir + "\\a.txt", row_dir + "\\a.doc", row_dir + "\\sub\\a.txt"]
    assert assert_agrees(specs, rows).mask.tolist() == [1, 0, 0]


def test_characters_outside_the_bmp_in_directories():
    specs = [cb.FileSpec("C:\\\U0001F600 photos\\\U00010400", "*", mask=0x1),
             cb.FileSpec("C:\\\U0001F600 photos", "*.jpg", True, mask=0x2)]
    rows = ["C:\\\U0001F600 PHOTOS\\\U00010400\\a.jpg",
            "C:\\\U0001F600 photos\\\U00010428\\a.jpg",  # Deseret: Unicode folds it, UTF-16
            "C:\\\U0001F601 photos\\a.jpg"]              # units (surrogates) do not
    assert assert_agrees(specs, rows).mask.tolist() == [3, 2, 0]


def test_a_spec_directory_with_a_lone_surrogate_is_matched_by_str_rows_only():
    """It has no UTF-8 form: it stays out of the byte table, and only a str row (UTF-16, the
    unit path) can name it."""
    fs = cb.FileSpecSet([cb.FileSpec("C:\\a\ud800b", "*", mask=0x1)])
    assert fs.match(["C:\\a\ud800b\\x", "C:\\A\ud800B\\y", "C:\\ab\\x"]).mask.tolist() == [1, 1, 0]


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80",
                                 b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80"])
def test_invalid_utf8_in_a_directory_is_flagged(bad):
    good = "C:\\Donn\u00e9es\\".encode()
    rows = [good + b"a", b"C:\\D" + bad + b"\\x", b"C:\\D" + bad + b"\\y",  # same directory
            good + b"b", b"C:\\Donn" + bad + b"es\\c" + b"x" * 40, good + b"c"]
    offsets = np.cumsum([0] + [len(r) for r in rows]).astype(np.int32)
    arr = pa.Array.from_buffers(pa.string(), len(rows),
                                [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(rows))])
    fs = cb.FileSpecSet([cb.FileSpec("C:\\Donn\u00e9es", "*", mask=0x1),
                         cb.FileSpec("C:\\D", "*", True, mask=0x2)])
    bad_row = cb.PathStatus.BAD_ENCODING
    m = fs.match(arr)
    assert m.status.tolist() == [0, bad_row, bad_row, 0, bad_row, 0]
    assert m.mask.tolist() == [1, 0, 0, 1, 0, 1]


def test_non_ascii_names_under_ascii_directories():
    """An ASCII directory with a non-ASCII name: the name alone is decoded."""
    specs = [cb.FileSpec(r"C:\D", "r\u00e9sum\u00e9.txt", mask=0x1),
             cb.FileSpec(r"C:\D", "*.TXT", True, mask=0x2),
             cb.FileSpec("C:\\D\u00e9", "*", mask=0x4),
             cb.FileSpec(r"C:\D\sub", "\u0131*", mask=0x8)]
    rows = ["C:\\D\\R\u00c9SUM\u00c9.TXT", "C:\\D\\r\u00e9sum\u00e9.txt", "C:\\D\\x\\\u00e9t\u00e9.txt",
            "C:\\D\u00c9\\a", "C:\\d\u00e9\\\u00e9", r"C:\D\sub\Ix", "C:\\D\\sub\\\u0131x",
            "C:\\D\\\u00df.txt", "C:\\D\\\U0001F600.txt", "C:\\D\\sub\\\u00e9\u00e9" * 3,
            "\u00e9t\u00e9.txt"]  # no directory at all
    m = assert_agrees(specs, rows)
    assert m.mask.tolist()[:3] == [0x3, 0x3, 0x2]


@pytest.mark.parametrize("sorted_", [False, True])
def test_the_accented_benchmark_catalog_agrees_with_the_reference(sorted_):
    specs = inputs.make_specs(50, accented=True)
    paths = inputs.make_paths(20_000, seed=11, sorted=sorted_, accented=True)
    rows = paths.to_pylist()
    assert sum(not p.isascii() for p in rows) > 0.99 * len(rows)
    want = oracle.match(specs, rows)
    m = cb.FileSpecSet(specs).match(paths, threads=2)
    for field in FIELDS:
        assert getattr(m, field).tolist() == [getattr(r, field) for r in want], field
    assert 0.05 < np.count_nonzero(m.mask) / len(rows) < 0.4


def test_volume_map_with_accented_mount_points():
    """Mount points are in the byte table too; ASCII rows are still walked on their bytes,
    non-ASCII rows on the UTF-16 path."""
    volumes = [("C:\\ClusterStorage\\Donn\u00e9es", None), (r"C:\ClusterStorage\Donnees", None),
               ("C:\\ClusterStorage\\Donn\u00e9es\\\u00dcbersicht", None),
               (r"C:\ClusterStorage\Volume1", None)]
    rows = ["C:\\ClusterStorage\\DONN\u00c9ES\\x", r"C:\ClusterStorage\donnees\x",
            "C:\\ClusterStorage\\Donn\u00e9es\\\u00fcbersicht\\x", r"C:\ClusterStorage\Volume1\x",
            "C:\\ClusterStorage\\Donn\u00e9", r"C:\ClusterStorage\Volume1" + "\\y" * 40]
    want = oracle.volume_lookup(volumes, rows)
    vm = cb.VolumeMap(volumes)
    assert vm.lookup(pa.array(rows)).tolist() == want == vm.lookup(rows).tolist()
    assert want == [0, 1, 2, 3, -1, 3]


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80"])
def test_volume_lookup_checks_the_whole_row(bad):
    """Only the first bytes of a row decide its volume, but invalid UTF-8 anywhere in it is
    flagged, as on the UTF-16 path; a character cut by the end of the loaded window is folded
    whole."""
    vm = cb.VolumeMap([(r"C:\CS\V1", None), ("C:\\CS\\\u00c9t\u00e9", None)])
    rows = ["C:\\CS\\V1\\Donn\u00e9es".encode(), b"C:\\CS\\V1\\Donn" + bad + b"es",
            "C:\\CS\\\u00e9T\u00c9\\x".encode(), "C:\\CS\\V1\u00e9".encode(),
            "C:\\CS\\\u00e9T\u00c9".encode(), "C:\\CS\\\u00e9T\u00c9\u00e9\\x".encode()]
    offsets = np.cumsum([0] + [len(r) for r in rows]).astype(np.int32)
    arr = pa.Array.from_buffers(pa.string(), len(rows),
                                [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(rows))])
    assert vm.lookup(arr).tolist() == [0, -1, 1, -1, 1, -1]  # row 5: 'é' at the window's end
