r"""Plain-Python reference matcher for csvbackup.FileSpecSet and VolumeMap: the documented
rules written as directly as possible, with no speed tricks and no code shared with the C.

Sources: docs/reference/vss-filespec.md sections 2.2-2.6: FindFirstFile semantics (DERIVED
there), FindFirstFileExW's preparation of the mask and FsRtlIsNameInExpression's rules, as
documented and as recorded on Windows (section 2.3).
"""
import array
import re
import sys
from collections import namedtuple
from functools import cache, lru_cache

NULL, HAS_NUL, TOO_LONG, BAD_SHORT_NAME = 0x1, 0x2, 0x4, 0x10
MAX_UNITS = 32767
SEP = ord("\\")
DOS_STAR, DOS_QM, DOS_DOT = ord("<"), ord(">"), ord('"')

Row = namedtuple("Row", "mask spec excluded not_in_snapshot status")

DEFAULT_ENV = {
    "SYSTEMROOT": r"C:\Windows", "WINDIR": r"C:\Windows", "SYSTEMDRIVE": "C:",
    "PROGRAMDATA": r"C:\ProgramData", "ALLUSERSPROFILE": r"C:\ProgramData",
    "PROGRAMFILES": r"C:\Program Files", "PROGRAMFILES(X86)": r"C:\Program Files (x86)",
    "COMMONPROGRAMFILES": r"C:\Program Files\Common Files", "PUBLIC": r"C:\Users\Public",
}
INCLUDE_ROLES = {"FILE_LIST", "DATABASE_FILES", "DATABASE_LOGFILES"}


class UnknownVariable(KeyError):
    """A %NAME% the environment does not define."""


def units(s):
    """UTF-16 code units of s (a lone surrogate is one unit)."""
    a = array.array("H", s.encode("utf-16-le", "surrogatepass"))
    if sys.byteorder != "little":
        a.byteswap()
    return a.tolist()


def fold_unit(u):
    """Simple uppercase of one UTF-16 code unit."""
    if u < 0x80:
        return u - 32 if ord("a") <= u <= ord("z") else u
    if 0xD800 <= u <= 0xDFFF:
        return u
    up = chr(u).upper()
    return ord(up) if len(up) == 1 and ord(up) <= 0xFFFF else u


@cache
def _fold_table():
    return [fold_unit(u) for u in range(65536)]


def fold(us):
    table = _fold_table()
    return [table[u] for u in us]


def status(s):
    if s is None:
        return NULL
    if "\0" in s:
        return HAS_NUL
    if len(units(s)) > MAX_UNITS:
        return TOO_LONG
    return 0


def short_name(s):
    """(status, folded units) of a short name: (0, None) when there is none (None or "")."""
    if not s:
        return 0, None
    u = units(s)
    if "\0" in s or len(u) > 255 or ord("\\") in u or ord("/") in u:
        return BAD_SHORT_NAME, None
    return 0, tuple(fold(u))


def canonical(s):
    """Folded canonical units of path s (vss-filespec.md 2.2 and the FileSpecSet docstring)."""
    u = [SEP if c == ord("/") else c for c in fold(units(s))]
    text = "".join(map(chr, u[:8]))
    if re.match(r"\\\\\?\\[A-Z]:(\\|$)", text):
        u = u[4:]
    elif text.startswith("\\\\?\\UNC\\"):
        u = [SEP, SEP] + u[8:]
    out = []
    for i, c in enumerate(u):
        if c == SEP and out and out[-1] == SEP and not (i == 1 and u[0] == SEP):
            continue
        out.append(c)
    while out and out[-1] == SEP:
        out.pop()
    return out


WILDCARDS = {ord("*"), ord("?"), DOS_STAR, DOS_QM}


def is_literal(filespec):
    """No wildcard: FindFirstFile looks up one name (trailing dots and spaces removed)."""
    return not WILDCARDS & set(units(filespec))


def translate(filespec):
    """The filespec as FindFirstFileExW hands it to the file system: trailing '.' and ' '
    removed; '*.*' is '*'; '?' is DOS_QM, '.' before '*' or '?' DOS_DOT, '*' before '.'
    DOS_STAR; a '*' left last by a removed final '.' DOS_STAR. The empty filespec is '*'."""
    f = units(filespec)
    if not f:
        return [ord("*")]
    trimmed = list(f)
    while trimmed and trimmed[-1] in (ord("."), ord(" ")):
        trimmed.pop()
    if trimmed == units("*.*"):
        return [ord("*")]
    out = []
    for i, c in enumerate(trimmed):
        after = trimmed[i + 1] if i + 1 < len(trimmed) else None
        if c == ord("?"):
            out.append(DOS_QM)
        elif c == ord(".") and after in (ord("*"), ord("?")):
            out.append(DOS_DOT)
        elif c == ord("*") and after == ord("."):
            out.append(DOS_STAR)
        else:
            out.append(c)
    if f[-1] == ord(".") and out and out[-1] == ord("*"):
        out[-1] = DOS_STAR
    return out


def name_matches(expr, name, literal=False):
    """Does the (folded, translated) expression consume the whole (folded) name? A literal
    filespec's expression is compared as it is."""
    expr, name = tuple(expr), tuple(name)
    if literal or not name:
        return expr == name
    dot = ord(".")
    last_dot = max((j for j, c in enumerate(name) if c == dot), default=-1)

    def skips(e, c):
        """Can wildcard e match nothing when the name's next unit is c (None: the end)?"""
        return (e in (ord("*"), DOS_STAR) or (e == DOS_QM and c in (dot, None))
                or (e == DOS_DOT and c is None))

    @cache
    def m(i, j):  # expression from i matches name from j
        if i == len(expr):
            return j == len(name)
        e = expr[i]
        c = name[j] if j < len(name) else None
        if skips(e, c) and m(i + 1, j):
            return True
        if c is None:
            return False
        # the state machine's last-unit rule: the rest skipped at the name's last unit
        if j == len(name) - 1 and all(skips(x, c) for x in expr[i:]):
            return True
        if e == ord("*"):
            return m(i, j + 1)
        if e == DOS_STAR:
            return m(i + 1, j + 1) if j == last_dot else m(i, j + 1)
        if e == DOS_QM:
            return c != dot and m(i + 1, j + 1)
        if e == DOS_DOT:
            return c == dot and m(i + 1, j + 1)
        return (e == ord("?") or e == c) and m(i + 1, j + 1)

    return m(0, 0)


def expand(path, env=None):
    """%NAME% replaced case-insensitively; an unknown NAME raises UnknownVariable."""
    table = dict(DEFAULT_ENV)
    table.update({k.upper(): v for k, v in (env or {}).items()})

    def sub(mo):
        try:
            return table[mo.group(1).upper()]
        except KeyError:
            raise UnknownVariable(mo.group(1)) from None

    return re.sub(r"%([^%]+)%", sub, path)


def _role(spec):
    r = getattr(spec, "role", "FILE_LIST")
    return str(getattr(r, "value", r))


def _spec_dirs(spec, env, roots):
    """[(dir, default_dir or None)] of one spec, canonical units."""
    path = expand(spec.path, env)
    alt = getattr(spec, "alternate_path", None)
    alt = expand(alt, env) if alt is not None else None
    if path[:1] in "\\/" and path[1:2] not in ("\\", "/"):
        paths = [r.rstrip("\\/") + "\\" + path.lstrip("\\/") for r in roots]
    else:
        paths = [path]
    if alt is None:
        return [(tuple(canonical(p)), None) for p in paths]
    return [(tuple(canonical(alt)), tuple(canonical(p))) for p in paths]


def _split(path):
    """(parent, name) of a canonical path; None when it has no separator."""
    if SEP not in path:
        return None
    cut = len(path) - 1 - path[::-1].index(SEP)
    return path[:cut], path[cut + 1:]


def _dir_claims(d, recursive, parent):
    """Does a file set of directory d (recursive or not) cover files directly in `parent`?"""
    return parent == d or (recursive and parent[:len(d) + 1] == d + (SEP,))


def _claims(d, recursive, expr, path):
    """Does a file set (dir d, recursive, (expression, literal)) claim canonical path `path`?"""
    split = _split(path)
    return (split is not None and _dir_claims(d, recursive, split[0])
            and name_matches(expr[0], split[1], expr[1]))


def match(specs, paths, *, env=None, volume_roots=None, short_names=None):
    """One Row per path: the documented outputs of FileSpecSet.match. A file set claims a
    path when its name or its short name (`short_names`, one per path) matches.

    The file sets that cover a directory are remembered per directory (catalogs list many
    files per directory); the rules applied are exactly those of `_claims`.
    """
    roots = [f"{chr(c)}:\\" for c in range(65, 91)] if volume_roots is None else list(volume_roots)
    includes, excludes, snaps = [], [], []
    for s in specs:
        role = _role(s)
        expr = (tuple(fold(translate(s.filespec))), is_literal(s.filespec))
        entry = (_spec_dirs(s, env, roots), bool(s.recursive), expr, int(getattr(s, "mask", 0xF0F)))
        (includes if role in INCLUDE_ROLES else excludes if role == "EXCLUDE_FILES" else snaps).append(entry)
    covering = {}
    by_dir = {}  # id(group) -> {dir: [(index, expr, dir, default, recursive)]}
    for group in (includes, excludes, snaps):
        table = by_dir[id(group)] = {}
        for i, (dirs, rec, expr, _) in enumerate(group):
            for d, default in dirs:
                table.setdefault(d, []).append((i, expr, d, default, rec))

    def cover(group, parent):
        """[(index, expr, dir, default)] of the file sets of `group` covering `parent`: those
        of `parent` itself and the recursive ones of its ancestors (_dir_claims), by index."""
        key = (id(group), parent)
        if key not in covering:
            table, found = by_dir[id(group)], []
            for cut in [k for k, c in enumerate(parent) if c == SEP] + [len(parent)]:
                for i, expr, d, default, rec in table.get(parent[:cut], ()):
                    if _dir_claims(d, rec, parent):
                        found.append((i, expr, d, default))
            covering[key] = sorted(found, key=lambda e: e[0])
        return covering[key]

    @lru_cache(maxsize=1 << 21)
    def named(expr, name):
        return name_matches(expr[0], name, expr[1])

    def names_match(expr, name, short):
        return named(expr, name) or (short is not None and named(expr, short))

    def any_claims(group, path, short):
        split = _split(path)
        return split is not None and any(names_match(e, split[1], short)
                                         for _, e, _, _ in cover(group, split[0]))

    rows = []
    for row, p in enumerate(paths):
        st = status(p)
        short = None
        if not st and short_names is not None:
            st, short = short_name(short_names[row])
        if st:
            rows.append(Row(0, -1, False, False, st))
            continue
        path = tuple(canonical(p))
        split = _split(path)
        mask, first, default_claimed, remaps = 0, -1, False, []
        for i, expr, d, default in (cover(includes, split[0]) if split else ()):
            if names_match(expr, split[1], short):
                mask |= includes[i][3]
                first = i if first < 0 else min(first, i)
                if default is None:
                    default_claimed = True
                else:
                    remaps.append(default + path[len(d):])
        excluded = any_claims(excludes, path, short) and (default_claimed or not remaps)
        excluded = excluded or any(any_claims(excludes, r, short) for r in remaps)
        rows.append(Row(mask, first, excluded, any_claims(snaps, path, short), 0))
    return rows


def volume_lookup(mounts, paths):
    """Index of the longest mount point holding each path; -1 for none or an invalid path."""
    table = []
    for i, ms in enumerate(mounts):
        for m in ms:
            if m:
                table.append((tuple(canonical(m)), i))
    out = []
    for p in paths:
        if status(p):
            out.append(-1)
            continue
        path = tuple(canonical(p))
        best, hit = -1, -1
        for m, i in table:
            if (path == m or path[:len(m) + 1] == m + (SEP,)) and len(m) > best:
                best, hit = len(m), i
        out.append(hit)
    return out
