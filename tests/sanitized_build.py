"""Build a C test program with AddressSanitizer and UBSan where the compiler has them (plain
otherwise), for the C fuzzers in tests/c/."""
import os
import shutil
import subprocess

import pytest

CC = os.environ.get("CC", "cc")
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g"]


def build(tmp, name, sources, *, std="c99", includes=(), libs=(), defines=()):
    """The executable tmp/name built from `sources`: sanitized if that links, else plain;
    the test fails with the compiler's message if neither builds."""
    if shutil.which(CC) is None:
        pytest.fail(f"no C compiler ({CC})")
    last = None
    for flags, suffix in ((SANITIZE, "_asan"), ([], "")):
        exe = tmp / (name + suffix)
        res = subprocess.run([CC, f"-std={std}", "-Wall", "-Wextra", "-Werror", "-O1", *flags,
                              *(f"-I{d}" for d in includes), *(f"-D{d}" for d in defines),
                              *map(str, sources), "-o", str(exe),
                              *libs], capture_output=True, text=True)
        if res.returncode == 0:
            return exe
        last = res.stderr
    pytest.fail(last[-3000:])
