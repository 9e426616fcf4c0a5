"""Build of csvbackup's extension, csvbackup._csvcore.

Environment switches (all optional):
  CSVBACKUP_OPENMP=0        build without OpenMP even when the compiler supports it
  CSVBACKUP_MULTIVERSION=0  build the kernels for the baseline instruction set only
  CSVBACKUP_DEBUG=1         Cython bounds/wraparound checks on, -O0 -g
  CSVBACKUP_WERROR=1        -Werror on the hand-written C (src/kernels/, src/clussim/), not on the
                            C that Cython generates, whose warnings vary with the Cython version
                            (GCC and Clang; ignored by MSVC)

With GCC and Clang the hand-written C is also compiled with -Wextra; src/kernels/ is clean under
-Wall -Wextra (tests/fuzzers.py builds the C fuzzers with -Werror as well).
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent.resolve()
DEBUG = os.environ.get("CSVBACKUP_DEBUG") == "1"
WERROR = os.environ.get("CSVBACKUP_WERROR") == "1"


def _flag(name, default="1"):
    return os.environ.get(name, default) not in ("0", "", "no", "false")


class BuildExt(build_ext):
    """Adds the compiler flags that depend on the compiler: OpenMP when it links."""

    def build_extensions(self):
        ctype = self.compiler.compiler_type
        omp = _flag("CSVBACKUP_OPENMP") and self._openmp_works(ctype)
        for ext in self.extensions:
            ext_omp = omp and ext.name == "csvbackup._csvcore"  # the table module has no loops
            if ctype == "msvc":
                ext.extra_compile_args += ["/O2"] + (["/openmp"] if ext_omp else [])
            else:
                ext.extra_compile_args += (["-O0", "-g"] if DEBUG else ["-O3"]) + [
                    "-fno-strict-aliasing", "-Wall", "-Wno-unused-function",
                ]
                if ext_omp:
                    ext.extra_compile_args.append("-fopenmp")
                    ext.extra_link_args.append("-fopenmp")
        print(f"csvbackup: OpenMP {'on' if omp else 'off'}")
        if ctype != "msvc":
            self._hand_written_c_flags(["-Wextra"] + (["-Werror"] if WERROR else []))
        super().build_extensions()

    def _hand_written_c_flags(self, flags):
        """`flags` for the sources under src/kernels/ and src/clussim/ only: the Unix compiler
        compiles each source through its _compile, which is wrapped to add them."""
        dirs = tuple(str(ROOT / "src" / d) + os.sep for d in ("kernels", "clussim"))
        compile_one = self.compiler._compile

        def _compile(obj, src, ext, cc_args, extra_postargs, pp_opts):
            if str(Path(src).resolve()).startswith(dirs):
                extra_postargs = list(extra_postargs) + flags
            return compile_one(obj, src, ext, cc_args, extra_postargs, pp_opts)

        self.compiler._compile = _compile

    def _openmp_works(self, ctype):
        flag = "/openmp" if ctype == "msvc" else "-fopenmp"
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp, "omp_probe.c")
            src.write_text(
                "#include <omp.h>\nint main(void) { int n = 0;\n"
                "#pragma omp parallel reduction(+:n)\n n += 1;\n"
                "return omp_get_max_threads() > 0 && n > 0 ? 0 : 1; }\n"
            )
            try:
                objs = self.compiler.compile([str(src)], output_dir=tmp, extra_postargs=[flag])
                self.compiler.link_executable(
                    objs, str(Path(tmp, "omp_probe")), extra_postargs=[] if ctype == "msvc" else [flag]
                )
            except Exception:
                return False
        return True


class BuildPy(build_py):
    """Ships the public C headers inside the package (csvbackup.get_include())."""

    def run(self):
        super().run()
        dest = Path(self.build_lib, "csvbackup", "include", "csvbackup")
        dest.mkdir(parents=True, exist_ok=True)
        for header in sorted((ROOT / "include" / "csvbackup").glob("*.h")):
            shutil.copy2(header, dest / header.name)


def _headers():
    """Every header and Cython part the extension is built from, so an in-place build
    notices a change to any of them (setuptools compares their times with the output's)."""
    parts = [("include/csvbackup", "*.h"), ("src/kernels", "*.h"), ("src/clussim", "*.h"),
             ("src/scan", "*.h"), ("src/core", "*.h"), ("src/core", "**/*.pxi"),
             ("src/core/includes", "**/*.pxd")]
    return sorted(str(p.relative_to(ROOT)) for d, pat in parts for p in (ROOT / d).glob(pat))


def extensions():
    from Cython.Build import cythonize

    macros = []
    if not _flag("CSVBACKUP_MULTIVERSION"):
        macros.append(("CSVB_NO_MULTIVERSION", "1"))
    sources = ["src/_csvcore.pyx"] + [f"src/kernels/{name}.c" for name in (
        "dispatch", "kernels", "specset_load", "specset_build", "specset_match")]
    libraries = []
    if sys.platform == "win32":
        libraries = ["clusapi", "resutils"]  # the real cluster: ClusAPI.lib and ResUtils.lib
    else:
        sources += [f"src/clussim/{name}.c" for name in (
            "cluster_api", "controls", "resutils", "paths", "state")]
        sources.append("src/scan/tree_walk.c")
    ext = Extension(
        "csvbackup._csvcore",
        sources=sources,
        include_dirs=["include", "src"],
        depends=_headers(),
        define_macros=macros,
        libraries=libraries,
    )
    # csvbackup.errors reads the Win32 codes from this table at import (src/_win32_errors.pyx
    # says why it is not part of the core)
    codes = Extension("csvbackup._win32_errors", sources=["src/_win32_errors.pyx"],
                      include_dirs=["include", "src"], depends=_headers())
    return cythonize(
        [ext, codes],
        include_path=["src/core/includes", "src/core/includes/internal"],
        build_dir="build/cython",
        compiler_directives={
            "language_level": 3,
            "boundscheck": DEBUG,
            "wraparound": DEBUG,
            "initializedcheck": DEBUG,
            "cdivision": True,
            "embedsignature": True,
        },
    )


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildExt, "build_py": BuildPy})
