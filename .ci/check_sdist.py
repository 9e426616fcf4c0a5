"""CI: the sdist carries every tracked source (.pyx, .pxd, headers, C sources) and no
generated C, and installs and works from a clean virtual environment.

    python .ci/check_sdist.py
"""
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMOKE = """
import numpy as np, csvbackup as cb
from pathlib import Path
assert (Path(cb.get_include()) / "csvbackup" / "vss.h").is_file()
assert cb.classify(np.array([0xF0F, 0x808], np.uint32), cb.BackupType.FULL).tolist() == [3, 0]
assert (Path(cb.get_include()) / "csvbackup" / "clusprop.h").is_file()
data = cb.PropertyList({"BackupInProgress": 1}).to_bytes()
assert cb.PropertyList.from_buffer(data)["BackupInProgress"] == cb.Dword(1)
print("sdist install OK:", cb.__version__, cb.kernel_isa(), "OpenMP", cb.openmp_enabled())
"""


def run(*cmd, **kw):
    print("+", " ".join(map(str, cmd)), flush=True)
    subprocess.run(cmd, check=True, **kw)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        run(sys.executable, "-m", "build", "--sdist", "--outdir", tmp, ROOT)
        (sdist,) = tmp.glob("csvbackup-*.tar.gz")
        with tarfile.open(sdist) as tf:
            names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.split()
        wanted = {f for f in tracked
                  if f.startswith(("src/", "include/", "tests/", "bench/", ".ci/"))
                  or f in ("setup.py", "pyproject.toml", "README.md", "MANIFEST.in")}
        missing = sorted(wanted - names)
        generated = sorted(n for n in names if n in ("src/_csvcore.c",) or n.startswith("build/"))
        if missing or generated:
            sys.exit(f"sdist is wrong: missing {missing}, generated files {generated}")
        print(f"sdist {sdist.name}: {len(names)} entries, every tracked source, no generated C")
        env_dir = tmp / "venv"
        venv.create(env_dir, with_pip=True)
        py = env_dir / "bin" / "python"
        run(py, "-m", "pip", "install", "-q", str(sdist))
        run(py, "-c", SMOKE, cwd=tmp)


if __name__ == "__main__":
    main()
