r"""The best Python alternatives to FileSpecSet.match and VolumeMap.lookup, for bench/.

Matching: each include file set becomes one case-insensitive regular expression anchored on
the whole path (directory, then any subdirectories when recursive, then the file name with the
DOS wildcards written as regex); the file sets of one mask are joined in ONE alternation, and
each alternation is run over the column with polars ``str.contains`` (Rust regex) or pyarrow
``match_substring_regex`` (RE2), OR-ing the mask into the result: the baseline a Python user
would reach for first. It computes the mask only (no first-spec index, no excludes): less work
than csvbackup does.

What a regex cannot express exactly, and how the inputs of filespec_inputs.py avoid it: the
simple uppercase of UTF-16 units (a case-insensitive regex folds by Unicode's case folding,
which agrees with it on the letters the inputs use: ASCII, 'é', 'ï', 'ü'; the benchmark checks
every row), the path canonicalisation
(\\?\C:\ prefixes, doubled or trailing separators: the inputs have none), and DOS_DOT /
DOS_STAR patterns other than ``*.*`` (``translate`` raises NotImplementedError for them).
A '?' run is exact: before a '.' or the end it is ``[^\\/.]{0,k}``, elsewhere one non-dot
character per '?', which is what FsRtlIsNameInExpression's DOS_QM does.

Volume lookup: the lower-cased column tested with ``str.starts_with`` per mount point,
longest first, the first hit kept.
"""
import os
import re

import numpy as np

SEP = r"[\\/]"
NOT_SEP = r"[^\\/]"


def _env(path):
    from csvbackup.filespec import DEFAULT_ENV

    env = {k.upper(): v for k, v in DEFAULT_ENV.items()}
    return re.sub(r"%([^%]+)%", lambda m: env[m.group(1).upper()], path)


def translate(filespec):
    """The regex of one file name pattern (the DOS rules of FindFirstFile)."""
    if filespec in ("", "*", "*.*"):
        return NOT_SEP + "+"
    out, i = [], 0
    while i < len(filespec):
        c = filespec[i]
        if c == "?":
            j = i
            while j < len(filespec) and filespec[j] == "?":
                j += 1
            k = j - i
            if j == len(filespec) or filespec[j] == ".":
                out.append(rf"[^\\/.]{{0,{k}}}")
            else:
                out.append(rf"[^\\/.]{{{k}}}")
            i = j
            continue
        if c == "." and i + 1 < len(filespec) and filespec[i + 1] in "*?":
            raise NotImplementedError(f"DOS_DOT in {filespec!r}")
        if c == "*":
            if i == len(filespec) - 2 and filespec[i + 1] == ".":
                raise NotImplementedError(f"DOS_STAR in {filespec!r}")
            out.append(NOT_SEP + "*")
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def spec_regex(spec):
    """One file set as a regex over the whole path."""
    d = _env(spec.path).rstrip("\\/")
    d = SEP.join(re.escape(part) for part in re.split(r"[\\/]", d))
    middle = f"{SEP}(?:{NOT_SEP}+{SEP})*" if spec.recursive else SEP
    return d + middle + translate(spec.filespec)


def _by_mask(specs):
    groups = {}
    for s in specs:
        role = str(getattr(s.role, "value", s.role))
        if role in ("FILE_LIST", "DATABASE_FILES", "DATABASE_LOGFILES"):
            groups.setdefault(int(s.mask), []).append(spec_regex(s))
    return {m: "(?i)^(?:" + "|".join(rx) + ")$" for m, rx in groups.items()}


def polars_masks(specs, paths):
    """uint32 masks with polars: one ``str.contains`` per distinct mask."""
    import polars as pl

    col = pl.from_arrow(paths) if not isinstance(paths, (list, np.ndarray)) else pl.Series(paths)
    out = np.zeros(len(col), dtype=np.uint32)
    for mask, rx in _by_mask(specs).items():
        hit = col.str.contains(rx).fill_null(False).to_numpy()
        out[hit] |= np.uint32(mask)
    return out


def pyarrow_masks(specs, paths):
    """uint32 masks with pyarrow compute (RE2): one ``match_substring_regex`` per mask."""
    import pyarrow.compute as pc

    out = np.zeros(len(paths), dtype=np.uint32)
    for mask, rx in _by_mask(specs).items():
        hit = pc.match_substring_regex(paths, rx[4:], ignore_case=True)
        out[hit.fill_null(False).to_numpy(zero_copy_only=False)] |= np.uint32(mask)
    return out


def python_re_masks(specs, paths):
    """The same with the standard library's `re`, row by row (for the record)."""
    rx = [(m, re.compile(r)) for m, r in _by_mask(specs).items()]
    return np.array([sum(m for m, r in rx if p is not None and r.match(p)) for p in paths],
                    dtype=np.uint32)


def polars_volume_lookup(csvs, paths):
    """int32 CSV index per path: lower-case once, then ``starts_with`` per mount point."""
    import polars as pl

    col = (pl.from_arrow(paths) if not isinstance(paths, (list, np.ndarray))
           else pl.Series(paths)).str.to_lowercase()
    mounts = sorted(((m.rstrip("\\").lower(), i) for i, ms in enumerate(csvs) for m in ms if m),
                    key=lambda t: -len(t[0]))
    out = np.full(len(col), -1, dtype=np.int32)
    for m, i in mounts:
        hit = (col.str.starts_with(m + "\\") | (col == m)).fill_null(False).to_numpy()
        out[hit & (out == -1)] = i
    return out


def threads():
    """polars' thread pool size (POLARS_MAX_THREADS), for the report's header."""
    return os.environ.get("POLARS_MAX_THREADS", "all cores")
