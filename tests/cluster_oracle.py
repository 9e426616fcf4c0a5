"""Plain-Python reference for how the simulated cluster resolves a path (ClusterGetVolumePathName,
ClusterIsPathOnSharedVolume, Prepare), written from the rules, not from src/clussim/paths.c:

- separators are \\ and /; names compare ASCII-case-insensitively;
- \\\\?\\ (or \\\\.\\) paths are taken literally; C:\\ paths drop empty and "." components
  and let ".." remove the one before;
- prefixes: C: (the system drive), \\\\?\\C:, \\\\?\\Volume{GUID} (the system volume or a
  CSV's own), \\\\?\\GLOBALROOT\\<system device>; other drives and volumes: 2; UNC: 50;
  relative or drive-relative: 87; a forbidden character in a name: 123; over 32,767: 206;
- a CSV is SharedVolumesRoot\\<friendly name> on the system volume; the volume path keeps
  the caller's prefix (with / turned into \\) and the cluster's spelling of the mount point.
"""
import re

FORBIDDEN = re.compile(r'[\x00-\x1f<>:"|?*]')
GUID_PATH = re.compile(r"\\\\\?\\volume\{[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}\}\\\Z", re.I)


def _sep(c):
    return c in "\\/"


def _up(s):
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in s)


def resolve(path, *, system_drive="C:", system_volume, devices, root, csvs):
    """(error, csv index or None, volume path, components below it). `csvs` is a list of
    (friendly name, volume GUID path)."""
    if len(path) > 32767:
        return 206, None, None, None
    if path == "":
        return 87, None, None, None
    norm = path.replace("/", "\\")
    extended = norm.startswith("\\\\?\\") or norm.startswith("\\\\.\\")
    csv = None
    if extended:
        rest = norm[4:]
        if re.match(r"[A-Za-z]:(\\|\Z)", rest):
            if _up(rest[0]) != _up(system_drive[0]):
                return 2, None, None, None
            prefix = 6
        elif _up(rest[:7]) == "VOLUME{":
            if len(norm) < 48 or (len(norm) > 48 and norm[48] != "\\"):
                return 123, None, None, None
            probe = norm[:48] + "\\"
            if not GUID_PATH.match(probe):
                return 123, None, None, None
            if _up(probe) == _up(system_volume):
                pass
            else:
                hits = [k for k, (_, g) in enumerate(csvs) if _up(g) == _up(probe)]
                if not hits:
                    return 2, None, None, None
                csv = hits[0]
            prefix = 48
        elif _up(rest[:11]) == "GLOBALROOT\\":
            for d in devices:
                cand = rest[10:10 + len(d)]
                if _up(cand) == _up(d) and (len(rest) == 10 + len(d) or rest[10 + len(d)] == "\\"):
                    prefix = 4 + 10 + len(d)
                    break
            else:
                return 2, None, None, None
        elif _up(rest[:4]) == "UNC\\":
            return 50, None, None, None
        else:
            return 123, None, None, None
    elif norm.startswith("\\\\"):
        return 50, None, None, None
    elif re.match(r"[A-Za-z]:\\", norm):
        if _up(norm[0]) != _up(system_drive[0]):
            return 2, None, None, None
        prefix = 2
    else:
        return 87, None, None, None
    comps = []
    for c in norm[prefix:].split("\\"):
        if c == "":
            continue
        if FORBIDDEN.search(c):
            return 123, None, None, None
        if not extended and c == ".":
            continue
        if not extended and c == "..":
            if comps:
                comps.pop()
            continue
        comps.append(c)
    head = norm[:prefix]
    if csv is not None:
        return 0, csv, head + "\\", comps
    root_comps = [c for c in root[2:].split("\\") if c]
    n = len(root_comps)
    if len(comps) > n and all(_up(a) == _up(b) for a, b in zip(comps, root_comps, strict=False)):
        for k, (name, _) in enumerate(csvs):
            if _up(comps[n]) == _up(name):
                return 0, k, head + "\\" + "\\".join(root_comps + [name]) + "\\", comps[n + 1:]
    return 0, None, head + "\\", comps
