r"""Benchmark inputs for FileSpecSet.match and VolumeMap.lookup: realistic Windows catalogs.

`make_paths` builds n paths of 4-10 components as a pyarrow StringArray from a pool of
directories (system folders, program files, user profiles, CSV shares under
C:\ClusterStorage\VolumeN, a few \\?\Volume{GUID}\ paths), weighted 5-50, in mixed case,
with the extensions a file server holds. Rows are drawn independently (unsorted) or ordered
by directory then name (sorted, as a catalog walk lists them). Everything is
vectorised (numpy choices, pyarrow joins): 5 M paths take a few seconds. Deterministic per
seed. The pool has about 220,000 directories, so a 5 M-path catalog holds about 20 files per
directory, as file servers do. With ``accented=True`` the share folders are named as on a
European file server (``Shares`` is ``Données partagées``, ``Project042`` is
``Übersicht042``, ``Drafts`` is ``Entwürfe``): then nearly every row has non-ASCII directories,
and `make_specs(accented=True)` names the same folders.
"""
import re
from collections import namedtuple
from pathlib import Path

import numpy as np

Spec = namedtuple("Spec", "path filespec recursive alternate_path mask role")

SYSTEM_WRITER = (Path(__file__).resolve().parents[1] / "tests" / "data" / "wmd"
                 / "07_system_writer.wmd.xml")
GUIDS = [f"{{{k:08x}-5c1e-4b9a-9d3e-0000000000{k:02x}}}" for k in range(1, 9)]
EXTENSIONS = [".dll", ".exe", ".log", ".txt", ".docx", ".xlsx", ".pdf", ".pst", ".ost", ".mdf",
              ".ldf", ".vhdx", ".tmp", ".xml", ".dat", "", ".tar.gz", ".bak"]
USERS = ["Administrator", "alice", "Bob.Smith", "svc_backup", "MSSQLSERVER"]
DEPTS = ["Finance", "HR", "Engineering", "Legal", "Sales", "Ops"]
PROJECTS = 1500  # per volume and department: 8 x 6 x 1500 x 3 = 216,000 share folders
#: The share folders' names on a European file server (accented=True).
ACCENTED = {r"\Shares": "\\Donn\u00e9es partag\u00e9es", r"\Project": "\\\u00dcbersicht",
            r"\Drafts": "\\Entw\u00fcrfe"}


def _accent(path, accented):
    """path with the share folders renamed (accented=True), else path."""
    if accented:
        for ascii_name, name in ACCENTED.items():
            path = path.replace(ascii_name, name)
    return path


def _directories(rng, accented=False):
    """The directory pool: (path, files in it)."""
    dirs = []
    win = ["System32", "SysWOW64", "WinSxS", "INF", "Fonts", "Logs", "SoftwareDistribution"]
    for w in win:
        dirs.append(rf"C:\Windows\{w}")
        for k in range(12):
            dirs.append(rf"C:\Windows\{w}\Sub{k:02d}" + ("" if k % 3 else rf"\Deep{k}"))
    dirs += [r"C:\Windows\System32\config", r"C:\Windows\System32\LogFiles\WMI",
             r"C:\Windows\System32\DriverStore\FileRepository\net.inf_amd64"]
    for v in ["Microsoft SQL Server", "Contoso", "Fabrikam Tools"]:
        for sub in ["bin", r"MSSQL\DATA", r"Common\Shared", "Resources\\en-US"]:
            dirs.append(rf"C:\Program Files\{v}\{sub}")
    for u in USERS:
        for sub in [r"AppData\Local\Microsoft\Outlook", r"AppData\Roaming\App", "Documents",
                    r"Documents\Projects\2025", "Downloads"]:
            dirs.append(rf"C:\Users\{u}\{sub}")
    for k in range(40):
        dirs.append(rf"C:\ProgramData\Vendor{k % 7}\Cache{k}")
    for vol in range(1, 9):
        root = rf"C:\ClusterStorage\Volume{vol}"
        dirs.append(root + r"\VMs")
        for d in DEPTS:
            for p in range(PROJECTS):
                base = rf"{root}\Shares\{d}\Project{p:03d}"
                dirs += [base, base + r"\2025", base + rf"\2026\Q{p % 4 + 1}\Drafts"]
    for g in GUIDS[:4]:
        for k in range(20):
            dirs.append(rf"\\?\Volume{g}\Data\Set{k:02d}")
    dirs = sorted({_accent(d, accented) for d in dirs}, key=str.lower)
    files = rng.integers(5, 51, size=len(dirs))
    return dirs, files


def _mixed_case(names, rng):
    """Some names upper-cased, some lower-cased, as real catalogs mix them."""
    out = []
    for name, r in zip(names, rng.random(len(names)), strict=True):
        out.append(name.upper() if r < 0.1 else name.lower() if r < 0.25 else name)
    return out


def make_paths(n, *, seed=0, sorted=False, accented=False):
    """n catalog paths as a pyarrow StringArray (see the module docstring)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    dirs, files = _directories(rng, accented)
    weights = files / files.sum()
    d = rng.choice(len(dirs), size=n, p=weights)
    stems = _mixed_case([f"file{k:04d}" for k in range(2000)], rng)
    stems += ["Perfc009", "Perfc0090", "SAM", "default", "README", "a.b", "report.final"]
    s = rng.integers(0, len(stems), size=n)
    e = rng.integers(0, len(EXTENSIONS), size=n)
    if sorted:
        order = np.lexsort((e, s, d))
        d, s, e = d[order], s[order], e[order]
    dir_arr = pa.array(_mixed_case(dirs, rng)).take(pa.array(d))
    name_arr = pc.binary_join_element_wise(pa.array(stems).take(pa.array(s)),
                                           pa.array(EXTENSIONS).take(pa.array(e)), "")
    return pc.binary_join_element_wise(dir_arr, name_arr, "\\")


def make_specs(k=50, *, seed=0, accented=False):
    """k realistic file sets whose directories the paths of `make_paths` use (with the same
    `accented`)."""
    specs = [
        Spec(r"%SystemRoot%\System32", "*.dll", False, None, 0xF0F, "FILE_LIST"),
        Spec(r"C:\Windows\System32", "*.exe", False, None, 0xF0F, "FILE_LIST"),
        Spec(r"%SystemRoot%\System32\config", "SAM", False, None, 0xF0F, "FILE_LIST"),
        Spec(r"%SystemRoot%\System32\config", "default", False, None, 0xF0F, "FILE_LIST"),
        Spec(r"%systemroot%\WinSxS", "*.*", True, None, 0xF0F, "FILE_LIST"),
        Spec(r"C:\Windows\System32\DriverStore", "*", True, None, 0xF0F, "FILE_LIST"),
        Spec(r"C:\Windows\System32", "Perfc???.dat", True, None, 0xF0F, "FILE_LIST"),
        Spec(r"C:\Windows\INF", "*.log", False, None, 0x101, "FILE_LIST"),
        Spec(r"C:\Program Files\Microsoft SQL Server\MSSQL\DATA", "*.mdf", False, None, 0x101,
             "DATABASE_FILES"),
        Spec(r"C:\Program Files\Microsoft SQL Server\MSSQL\DATA", "*.ldf", False, None, 0x8,
             "DATABASE_LOGFILES"),
        Spec(r"C:\Windows\System32\LogFiles", "*.log", True, None, 0, "EXCLUDE_FILES"),
        Spec(r"C:\Windows\SoftwareDistribution", "*.*", True, None, 0,
             "EXCLUDE_FILES_FROM_SNAPSHOT"),
    ]
    for u in USERS:
        specs.append(Spec(rf"C:\Users\{u}\AppData\Local\Microsoft\Outlook", "*.ost", False, None, 0,
                          "EXCLUDE_FILES_FROM_SNAPSHOT"))
    for vol in range(1, 9):
        root = rf"C:\ClusterStorage\Volume{vol}"
        specs.append(Spec(root + r"\VMs", "*.vhdx", True, None, 0x200 | 0x2, "FILE_LIST"))
        specs.append(Spec(root + r"\Shares", "*.tmp", True, None, 0, "EXCLUDE_FILES"))
        specs.append(Spec(root + r"\Shares", "*.docx", True, None, 0x1, "FILE_LIST"))
        specs.append(Spec(root + r"\Shares", "*.pdf", True, None, 0x101, "FILE_LIST"))
    rng = np.random.default_rng(seed)
    while len(specs) < k:
        vol, d, p = rng.integers(1, 9), DEPTS[rng.integers(len(DEPTS))], rng.integers(PROJECTS)
        specs.append(Spec(rf"C:\ClusterStorage\Volume{vol}\Shares\{d}\Project{p:03d}",
                          ["*.xlsx", "*.pdf", "file00??.txt", "*"][len(specs) % 4],
                          bool(len(specs) % 2), None, [0xF0F, 0x1, 0x101][len(specs) % 3],
                          "FILE_LIST"))
    return [s._replace(path=_accent(s.path, accented)) for s in specs[:k]]


def make_csvs(k=8):
    """(mount point, volume GUID path) of k CSVs: Volume1..k, the first four reachable by GUID."""
    return [(rf"C:\ClusterStorage\Volume{v}", rf"\\?\Volume{GUIDS[v - 1]}" + "\\" if v <= 4 else None)
            for v in range(1, k + 1)]


def system_writer_specs():
    """The System Writer's 18,925 file lists as Spec tuples, read with a regex (independent of
    csvbackup's parser)."""
    text = SYSTEM_WRITER.read_text("ascii")
    out = []
    for attrs in re.findall(r"<FILE_LIST ([^>]*)/>", text):
        a = dict(re.findall(r'(\w+)="([^"]*)"', attrs))
        out.append(Spec(a["path"], a["filespec"], a.get("recursive") == "yes", None,
                        int(a["filespecBackupType"]), "FILE_LIST"))
    return out


def make_system_paths(n=1_000_000, *, seed=0):
    """n paths: half the System Writer's own files, a fifth other files in its directories,
    the rest CSV data (a pyarrow StringArray, unsorted)."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    specs = system_writer_specs()
    dirs = [re.sub("(?i)%systemroot%", r"C:\\Windows", s.path).rstrip("\\") for s in specs]
    names = [s.filespec if "*" not in s.filespec and "?" not in s.filespec else "any.dat"
             for s in specs]
    pick = rng.integers(0, len(specs), size=n)
    kind = rng.random(n)
    data = make_paths(n, seed=seed + 1).to_pylist()
    out = []
    for i in range(n):
        j = pick[i]
        if kind[i] < 0.5:
            out.append(dirs[j] + "\\" + names[j])
        elif kind[i] < 0.7:
            out.append(f"{dirs[j]}\\other{i % 1000}.bin")
        else:
            out.append(data[i])
    return pa.array(out)
