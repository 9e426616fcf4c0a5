"""Hypothesis strategies for the file-spec matcher: names and DOS patterns over a small
alphabet (so that matches happen), spec sets over a few shared directories, and catalog paths
under them in every spelling Windows accepts."""
from collections import namedtuple

from hypothesis import strategies as st

Spec = namedtuple("Spec", "path filespec recursive alternate_path mask role")

NAME_CHARS = ["a", "b", "A", ".", "\u00e9", "\u00c9", "\u00df", "\u0131", "I", "\ud800",
              "\U0001F600", " ", "~"]
DIRS = [r"C:\D", r"C:\D\sub", r"c:\d\SUB\deep", r"C:\Other", r"\\srv\share\x",
        "\\\\?\\Volume{ab}\\v", r"C:\\"]
MASKS = [0xF0F, 0x1, 0x101, 0x2, 0x200, 0x10000]


def names(min_size=1):
    return st.lists(st.sampled_from(NAME_CHARS), min_size=min_size, max_size=8).map("".join)


def filespecs():
    return st.lists(st.sampled_from(["*", "?", ".", "a", "b", "A", "\u00e9", "<", ">", '"']),
                    max_size=7).map("".join)


def specs():
    return st.builds(
        Spec,
        path=st.sampled_from(DIRS + [r"\vol\rel", r"C:\D" + "\\"]),
        filespec=filespecs(),
        recursive=st.booleans(),
        alternate_path=st.one_of(st.none(), st.sampled_from([r"C:\Alt", r"C:\D\sub"])),
        mask=st.sampled_from(MASKS),
        role=st.sampled_from(["FILE_LIST", "DATABASE_FILES", "EXCLUDE_FILES",
                              "EXCLUDE_FILES_FROM_SNAPSHOT"]),
    ).map(lambda s: s if s.role in ("FILE_LIST", "DATABASE_FILES") else s._replace(alternate_path=None))


def _spell(d):
    """One of the spellings of directory d: case, separators, \\\\?\\ prefix, doubling."""
    return st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()).map(
        lambda f: _respell(d, *f))


def _respell(d, lower, slash, prefix, double):
    if lower:
        d = d.lower()
    if prefix and len(d) > 1 and d[1] == ":":
        d = "\\\\?\\" + d
    if double:
        d = d.replace("\\", "\\\\", 1) if not d.startswith("\\\\") else d + "\\\\"
    if slash:
        d = d.replace("\\", "/")
    return d


def catalog_paths(dirs):
    base = st.sampled_from(sorted(set(d for d in dirs if d)) + [r"C:\D", r"C:\elsewhere",
                                                                 r"C:\vol\rel"])
    return st.one_of(
        st.tuples(base.flatmap(_spell), st.lists(names(), max_size=2), names(),
                  st.sampled_from(["", "\\", "/"])).map(
            lambda t: t[0].rstrip("\\/") + "".join("\\" + x for x in t[1]) + "\\" + t[2] + t[3]),
        st.none(),
        st.just("C:\\D\\a\0b"),
    )
