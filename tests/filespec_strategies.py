r"""Hypothesis strategies for the file-spec matcher.

Names and DOS patterns over a small alphabet (so that matches happen), spec sets over a few
shared directory prefixes, and catalog paths under those directories in every spelling Windows
accepts (separator style, case, ``\\?\`` and ``\\?\UNC\`` prefixes, doubled and trailing
separators), plus null and invalid rows.

The spec strategies stay inside what every implementation accepts: alternate paths only on
includes and never volume-relative, masks that are valid VSS_FILE_SPEC_BACKUP_TYPE values,
short filespecs.
"""
import enum
from collections import namedtuple

from hypothesis import strategies as st

Spec = namedtuple("Spec", "path filespec recursive alternate_path mask role")


class Role(str, enum.Enum):
    FILE_LIST = "FILE_LIST"
    DATABASE_FILES = "DATABASE_FILES"
    DATABASE_LOGFILES = "DATABASE_LOGFILES"
    EXCLUDE_FILES = "EXCLUDE_FILES"
    EXCLUDE_FILES_FROM_SNAPSHOT = "EXCLUDE_FILES_FROM_SNAPSHOT"

    @property
    def is_include(self):
        return self in (Role.FILE_LIST, Role.DATABASE_FILES, Role.DATABASE_LOGFILES)


INCLUDE_ROLES = [Role.FILE_LIST, Role.DATABASE_FILES, Role.DATABASE_LOGFILES]
MASKS = [0xF0F, 0x1, 0x101, 0x2]

#: Characters of file names: ASCII, '.', case pairs, characters with special folds ('ß' stays,
#: 'ı' folds to 'I'), a lone surrogate and an astral character (two units, never folded).
NAME_CHARS = ["a", "b", "A", "B", ".", "\u00e9", "\u00c9", "\u00df", "\u0131", "I", "i",
              "\ud800", "\U0001F600", " ", "~"]
#: Filespec characters: the Win32 wildcards, '.', letters, and the DOS wildcards themselves.
FILESPEC_CHARS = ["*", "?", ".", "a", "b", "A", "\u00e9", "\u00c9", "\u0131", "I",
                  "<", ">", '"', " "]

#: Spec directories, written once each; spellings vary in spec_dirs() and catalog_paths().
#: Some are not ASCII: accented, a character outside the BMP, one whose fold is shorter in
#: UTF-8 ('ı' folds to 'I'), and one with a lone surrogate (no UTF-8 form).
BASE_DIRS = [r"C:\D", r"C:\D\sub", r"C:\D\sub\deep", r"C:\Other", r"C:\Alt", r"C:\Alt\sub",
             "C:\\", "D:\\\u00e9t\u00e9", r"\\srv\share\x", "\\\\?\\Volume{ab}\\v",
             r"C:\ClusterStorage\Volume1", "C:\\Donn\u00e9es\\\U0001F600", "C:\\d\u0131r",
             "C:\\a\ud800"]
VOLUME_RELATIVE_DIRS = [r"\vol\rel", r"\D"]
ALTERNATE_DIRS = [r"C:\Alt", r"C:\Alt\sub", r"C:\D\sub", r"\\srv\share\x\alt"]
SUBDIRS = ["sub", "SUB", "deep", "x", "alt", "\u00e9t\u00e9", "\u00c9T\u00c9", "dir", "\u0131",
           "\u0250", "\U0001F600"]


#: Names that the common filespecs match (or just miss).
COMMON_NAMES = ["a", "A.B", "a.b", "ab", "b.a.b", "a.", ".b", "\u00e9t\u00e9.b", "\u00df",
                "STRASSE", "\u0131", "I.b", "README", "a.b.c", "a\ud800.b", "\U0001F600.b",
                "a..", "b.a.", "..b", "a.b."]


def names(min_size=1, max_size=8):
    """File names: a common one, or a random one over NAME_CHARS."""
    rand = st.lists(st.sampled_from(NAME_CHARS), min_size=min_size, max_size=max_size).map("".join)
    return _NAMES if (min_size, max_size) == (1, 8) else rand


_NAMES = st.one_of(st.sampled_from(COMMON_NAMES),
                   st.lists(st.sampled_from(NAME_CHARS), min_size=1, max_size=8).map("".join))


#: Filespecs writers use (and a few that the alphabet of names() makes match often).
COMMON_FILESPECS = ["", "*", "*.*", "*.", "a*", "*.b", "*.B", "a?", "?.?", "A.b", "*a*",
                    "a.*", "\u00e9*", "*\u00df*", "\u0131*", "a*.b*", "??", "<", "a>", '*"b',
                    # trailing dots and spaces, which FindFirstFileExW removes first
                    "*. ", "*..", "?.", "??.", "*a ", "*.b ", "a.", "a. ", "*.?", "a*.", "...", "<."]


_COMMON_FILESPECS = st.sampled_from(COMMON_FILESPECS)


def filespecs(max_size=7):
    """Filespecs: a common one (2 times in 3), or a random one over FILESPEC_CHARS
    ('' means '*')."""
    rand = st.lists(st.sampled_from(FILESPEC_CHARS), max_size=max_size).map("".join)
    return st.one_of(_COMMON_FILESPECS, _COMMON_FILESPECS, rand)


def _respell(d, case, slash, prefix, double, trailing):
    r"""One spelling of directory d. case: 0 as is, 1 lower, 2 upper; slash: 0 none, 1 first
    separator after the root, 2 all; prefix: add \\?\ (drive) or \\?\UNC\ (UNC);
    double: double one inner separator; trailing: add a trailing separator."""
    if case == 1:
        d = d.lower()
    elif case == 2:
        d = d.upper()
    if prefix and len(d) > 1 and d[1] == ":":
        d = "\\\\?\\" + d
    elif prefix and d.startswith("\\\\") and not d.startswith("\\\\?\\"):
        d = "\\\\?\\UNC\\" + d[2:]
    if double:
        cut = d.rfind("\\")
        if cut > 3:
            d = d[:cut] + "\\" + d[cut:]
    if trailing:
        d = d + "\\"
    if slash == 2:
        d = d.replace("\\", "/")
    elif slash == 1:
        cut = d.rfind("\\")
        if cut > 3:
            d = d[:cut] + "/" + d[cut + 1:]
    return d


_SPELLING = st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans(), st.booleans(),
                      st.booleans())


def spelled(d):
    """Strategy: d in one of its spellings."""
    return _SPELLING.map(lambda f: _respell(d, *f))


def _with_variable(d, which):
    """Drive-C dirs written with %SystemDrive% (which: 0 none, 1 as is, 2 lower case)."""
    if d[:2].upper() != "C:" or which == 0:
        return d
    return ("%SystemDrive%", "%systemdrive%")[which - 1] + d[2:]


_BASE = st.sampled_from(BASE_DIRS)
_VOLUME_RELATIVE = st.sampled_from(VOLUME_RELATIVE_DIRS)


@st.composite
def spec_dirs(draw, volume_relative=True):
    """Strategy: a spec path: absolute in some spelling (C: ones sometimes through
    %SystemDrive%), or (one time in five) volume-relative."""
    if volume_relative and draw(st.integers(0, 4)) == 0:
        return draw(_VOLUME_RELATIVE)
    d = _respell(draw(_BASE), *draw(_SPELLING))
    return _with_variable(d, draw(st.integers(0, 2)))


_ALTERNATE = st.sampled_from(ALTERNATE_DIRS)


@st.composite
def alternate_dirs(draw):
    return _respell(draw(_ALTERNATE), *draw(_SPELLING))


def _expand_default(d):
    # Only the variable spec_dirs() writes; catalog paths name the machine's real drive.
    for v in ("%SystemDrive%", "%systemdrive%"):
        d = d.replace(v, "C:")
    return d


def _catalog_path(base, subs, name, trailing):
    if base.startswith(("\\", "/")) and not base.startswith(("\\\\", "//")):
        base = "C:" + base  # a volume-relative spec dir, seen on drive C:
    sep = "/" if "/" in base and "\\" not in base else "\\"
    p = base.rstrip("\\/")
    for s in subs:
        p += sep + s
    return p + sep + name + trailing


_OTHER_BASES = st.sampled_from(BASE_DIRS + [r"C:\elsewhere"])
_SUBDIRS = st.lists(st.sampled_from(SUBDIRS), min_size=1, max_size=2)
_TRAILING = st.sampled_from(["", "", "", "\\", "/"])
_ODD = st.sampled_from([None, "C:\\D\\a\0b", "README", "", "C:", "\\\\", "\\x"])


@st.composite
def catalog_paths(draw, dirs=()):
    """Strategy: a catalog row. Mostly a file under one of `dirs` (2 times in 3, when given)
    or a base dir, in some spelling, half the time 1-2 subdirectories down; one row in eight
    a null, a NUL, a bare name, an empty row or a separator-only row."""
    if draw(st.integers(0, 7)) == 0:
        return draw(_ODD)
    given = sorted({d for d in dirs if d})
    if given and draw(st.integers(0, 2)):
        base = draw(st.sampled_from(given))
    else:
        base = draw(_OTHER_BASES)
    base = _respell(_expand_default(base), *draw(_SPELLING))
    subs = draw(_SUBDIRS) if draw(st.booleans()) else []
    return _catalog_path(base, subs, draw(names()), draw(_TRAILING))


def roles():
    return st.sampled_from(list(Role))


#: Default path of alternate includes; excludes often name it too, so that excludes matched
#: on a remapped default path (contract E) happen.
REMAP_DIR = r"C:\Data"


@st.composite
def specs(draw, dirs=None):
    """Strategy: one Spec. `dirs` (a strategy of spec paths) defaults to spec_dirs(); an
    include has an alternate path one time in three; alternate includes and half the
    excludes use REMAP_DIR (in some spelling) as their path."""
    role = draw(roles())
    alternate = None
    if role.is_include and draw(st.integers(0, 2)) == 0:
        alternate = draw(alternate_dirs())
    if dirs is None and (alternate is not None or (role is Role.EXCLUDE_FILES
                                                   and draw(st.booleans()))):
        path = _respell(REMAP_DIR, *draw(_SPELLING))
    else:
        path = draw(spec_dirs() if dirs is None else dirs)
    return Spec(path=path, filespec=draw(filespecs()), recursive=draw(st.booleans()),
                alternate_path=alternate, mask=draw(st.sampled_from(MASKS)), role=role)


def spec_lists(min_size=1, max_size=8):
    return st.lists(specs(), min_size=min_size, max_size=max_size)


@st.composite
def spec_sets(draw, max_specs=6, max_paths=15):
    """Strategy: (specs, paths): a spec list and catalog rows under its directories. One time
    in three the list starts with an alternate include and an exclude on its default path,
    and half the rows lie under that alternate path (the remapped-exclude rule, contract E)."""
    spec_list = draw(st.lists(specs(), min_size=1, max_size=max_specs))
    focus = []
    if draw(st.integers(0, 2)) == 0:
        alt = draw(alternate_dirs())
        focus = [Spec(REMAP_DIR, draw(filespecs()), draw(st.booleans()), alt,
                      draw(st.sampled_from(MASKS)), draw(st.sampled_from(INCLUDE_ROLES))),
                 Spec(_respell(REMAP_DIR, *draw(_SPELLING)), draw(filespecs()),
                      draw(st.booleans()), None, 0, Role.EXCLUDE_FILES)]
        spec_list = focus + spec_list
    dirs = [s.path for s in spec_list] + [s.alternate_path for s in spec_list if s.alternate_path]
    row = catalog_paths(dirs)
    paths = []
    for _ in range(draw(st.integers(0, max_paths))):
        paths.append(draw(catalog_paths([focus[0].alternate_path]) if focus and
                          draw(st.booleans()) else row))
    return spec_list, paths
