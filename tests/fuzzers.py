"""The C fuzzers of tests/c/: how each is built (with AddressSanitizer and UBSan where the
compiler has them, plain otherwise) and run. The tests run them briefly; ``tests/c/fuzz.sh``
runs one for longer:

    python tests/fuzzers.py {clusprop,specset,clussim} ROUNDS SEED
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import tree

CC = os.environ.get("CC", "cc")
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g"]
VECTORS = ["samba_cluster_props.bin", "samba_node_props.bin"]


class BuildError(RuntimeError):
    """No C compiler, or the program does not compile; the message is the compiler's."""


def build(tmp, name, sources, *, std="c99", includes=(), libs=(), defines=()):
    """The executable tmp/name built from `sources`: sanitized if that links, else plain."""
    if shutil.which(CC) is None:
        raise BuildError(f"no C compiler ({CC})")
    last = None
    for flags, suffix in ((SANITIZE, "_asan"), ([], "")):
        exe = Path(tmp) / (name + suffix)
        res = subprocess.run([CC, f"-std={std}", "-Wall", "-Wextra", "-Werror", "-O1", *flags,
                              *(f"-I{d}" for d in includes), *(f"-D{d}" for d in defines),
                              *map(str, sources), "-o", str(exe), *libs],
                             capture_output=True, text=True)
        if res.returncode == 0:
            return exe
        last = res.stderr
    raise BuildError(last[-3000:])


def generated_property_list():
    """A property list with one value of every format family, nested lists included: a
    mutation seed that reaches the branches the captured vectors do not."""
    def name(n):
        raw = n.encode("utf-16-le") + b"\0\0"
        return struct.pack("<II", 0x00040003, len(raw)) + raw + b"\0" * (-len(raw) % 4)

    def val(syntax, data):
        return struct.pack("<II", syntax, len(data)) + data + b"\0" * (-len(data) % 4)

    inner = struct.pack("<I", 1) + name("i") + val(0x00010002, b"\1\0\0\0") + b"\0" * 4
    props = [("A", [val(0x00010002, b"\1\0\0\0")]),
             ("Str", [val(0x00010003, "xy\0".encode("utf-16-le"))]),
             ("M", [val(0x00010005, "a\0b\0\0".encode("utf-16-le"))]),
             ("Q", [val(0x00010006, b"\0" * 8)]),
             ("E", [val(0x00010004, "%a%\0".encode("utf-16-le")),
                    val(0x00010008, "b\0".encode("utf-16-le"))]),
             ("N", [val(0x0001000E, inner)]),
             ("B", [val(0x00010001, b"\1\2\3")])]
    return (struct.pack("<I", len(props))
            + b"".join(name(n) + b"".join(v) + b"\0" * 4 for n, v in props) + b"\0" * 4)


@dataclass(frozen=True)
class Fuzzer:
    """One fuzzer: its program in tests/c/, the library sources it links, how it is run."""

    program: str
    library: tuple = ()  # (folder under src/, glob) pairs, read at build time
    std: str = "c99"
    libs: tuple = ()
    defines: tuple = field(default=())

    def sources(self):
        """The fuzzer's program and the library sources it links, as they are now."""
        lib = [p for folder, pattern in self.library
               for p in sorted((tree.SRC / folder).glob(pattern))]
        return [tree.C_SOURCES / self.program, *lib]

    def build(self, tmp, defines=()):
        """Build into `tmp`; returns the executable (BuildError if it does not compile)."""
        return build(tmp, Path(self.program).stem, self.sources(), std=self.std,
                     includes=[tree.ROOT / "include", tree.SRC], libs=self.libs,
                     defines=[*self.defines, *defines])

    def command(self, exe, rounds, seed, workdir):
        """The command line of `rounds` fuzzing rounds from `seed`; `workdir` is scratch."""
        workdir = Path(workdir)
        if self.program == "clusprop_walk.c":
            generated = workdir / "generated.bin"
            generated.write_bytes(generated_property_list())
            return [str(exe), "--fuzz", str(rounds), str(seed),
                    *(str(tree.DATA / v) for v in VECTORS), str(generated)]
        if self.program == "clussim_fuzz.c":
            return [str(exe), str(workdir), str(rounds), str(seed)]
        return [str(exe), str(seed), str(rounds)]


FUZZERS = {
    # the CLUSPROP reader of include/csvbackup/clusprop.h: mutants of the captured lists
    "clusprop": Fuzzer("clusprop_walk.c"),
    # the file-spec matcher: random spec sets and rows of every string kind, and the byte path
    # checked against the unit path row by row
    "specset": Fuzzer("specset_fuzz.c", library=(("kernels", "*.c"),)),
    # the simulated cluster: random paths, control-code inputs and damaged state files
    "clussim": Fuzzer("clussim_fuzz.c", library=(("clussim", "*.c"),), std="c11",
                      libs=("-lpthread",)),
}


def build_or_fail(name, tmp, defines=()):
    """For a test: fuzzer `name` built into `tmp`, or the test fails with the compiler's words."""
    import pytest

    try:
        return FUZZERS[name].build(tmp, defines)
    except BuildError as e:
        pytest.fail(str(e))


def main(argv=None):
    """Build one fuzzer and run it; exits with its status (non-zero on a sanitizer report)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fuzzer", choices=sorted(FUZZERS))
    ap.add_argument("rounds", type=int)
    ap.add_argument("seed", type=int)
    ap.add_argument("-D", dest="defines", action="append", default=[],
                    help="a C macro for the build (e.g. CSVB_NO_SSE2: portable loops only)")
    args = ap.parse_args(argv)
    fuzzer = FUZZERS[args.fuzzer]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            exe = fuzzer.build(tmp, args.defines)
        except BuildError as e:
            print(e, file=sys.stderr)
            return 2
        print(f"{args.fuzzer}: {exe.name}, {args.rounds} rounds, seed {args.seed}", flush=True)
        env = {**os.environ, "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "detect_leaks=1")}
        return subprocess.run(fuzzer.command(exe, args.rounds, args.seed, tmp), env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
