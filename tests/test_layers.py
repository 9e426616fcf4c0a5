"""One-way layers, checked on the sources.

(a) The Cython core (src/_csvcore.pyx, src/core/**) imports nothing of the facade but
    csvbackup.errors: whatever else it needs the facade gives it once, through ``_bind``.
(b) Nothing in the library imports csvbackup.cli.
(c) The facade's modules and the core import each other without a cycle.
(d) csvbackup.errors imports nothing of csvbackup but csvbackup._win32_errors, the table of
    include/csvbackup/win32_errors.h compiled on its own (src/_win32_errors.pyx), which
    imports nothing of csvbackup.

Every import counts, wherever it is (inside a function, under ``if``) and whatever form it
takes (``import``, ``from ... import``, ``importlib.import_module`` / ``__import__`` of a
literal name). Python files are read with ast; Cython files by a scan of their ``import`` and
``cimport`` statements.
"""
import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "csvbackup"
CORE = "csvbackup._csvcore"
ERRORS = "csvbackup.errors"
CLI = "csvbackup.cli"
CODES = "csvbackup._win32_errors"

_CY_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+c?import[ \t]+(\([^)]*\)|[^\n#]+)",
                      re.M)
_CY_IMPORT = re.compile(r"^[ \t]*c?import[ \t]+([^\n#]+)", re.M)
_CY_DYNAMIC = re.compile(r"""(?:\bimport_module|\b__import__)\(\s*["']([\w.]+)["']""")


# --- the scan --------------------------------------------------------------------------------

def facade_modules(src):
    """{module name: path} of every Python file of the facade (src/csvbackup/**.py)."""
    modules = {}
    for path in sorted((src / PACKAGE).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def core_sources(src):
    """The files the core is compiled from: src/_csvcore.pyx and src/core/**."""
    core = src / "core"
    return [src / "_csvcore.pyx", *sorted(core.rglob("*.pxi")), *sorted(core.rglob("*.pxd"))]


def _absolute(module, is_package, level, name):
    """The absolute name of ``from <level dots><name> import ...`` written in `module`."""
    if not level:
        return name
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _imported(base, name, known):
    """What ``from base import name`` imports: the submodule when there is one, else `base`."""
    return f"{base}.{name}" if f"{base}.{name}" in known else base


def _dynamic_name(call):
    """The literal module name of an ``importlib.import_module`` / ``__import__`` call."""
    func = call.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if called in ("import_module", "__import__") and call.args:
        arg = call.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
    return None


def python_imports(module, path, known):
    """(imported module, line) of every import in the Python file `path` of `module`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node.level, node.module)
            for alias in node.names:
                yield _imported(base, alias.name, known), node.lineno
        elif isinstance(node, ast.Call):
            name = _dynamic_name(node)
            if name is not None:
                yield name, node.lineno


def cython_imports(path, known):
    """(imported module, line) of every import and cimport in the Cython file `path` (the
    core is compiled as csvbackup._csvcore, which relative imports start from)."""
    text = path.read_text(encoding="utf-8")

    def line(m):
        return text.count("\n", 0, m.start()) + 1

    for m in _CY_FROM.finditer(text):
        base = _absolute(CORE, False, len(m[1]), m[2])
        for item in m[3].strip("()").split(","):
            words = item.split()
            if words:
                yield (base if words[0] == "*" else _imported(base, words[0], known)), line(m)
    for m in _CY_IMPORT.finditer(text):
        for name in m[1].split(","):
            if name.split():
                yield name.split()[0], line(m)
    for m in _CY_DYNAMIC.finditer(text):
        yield m[1], line(m)


def _ours(name):
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def import_graph(src):
    """{module: [(imported csvbackup module, "file:line"), ...]} of the facade and the core."""
    modules = facade_modules(src)
    known = set(modules) | {CORE}
    root = src.parent

    def where(path, line):
        return f"{path.relative_to(root).as_posix()}:{line}"

    graph = {}
    for module, path in modules.items():
        graph[module] = [(name, where(path, line))
                         for name, line in python_imports(module, path, known) if _ours(name)]
    graph[CORE] = [(name, where(path, line)) for path in core_sources(src)
                   for name, line in cython_imports(path, known) if _ours(name)]
    return graph


def _components(graph):
    """The strongly connected components of `graph` (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w, _ in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            found.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def import_cycles(graph):
    """One cycle per strongly connected component of `graph` that has one, written as
    ``a -> b (file:line) -> ... -> a (file:line)``: the shortest through the component's first
    module, followed by all its modules when the cycle does not pass through every one."""
    cycles = []
    for component in _components(graph):
        start = min(component)
        if len(component) == 1 and all(w != start for w, _ in graph.get(start, ())):
            continue
        came_from, frontier = {}, [start]
        while start not in came_from:
            following = []
            for v in frontier:
                for w, where in graph.get(v, ()):
                    if w in component and w not in came_from:
                        came_from[w] = (v, where)
                        following.append(w)
            frontier = following
        edges, v = [], start
        while True:
            before, where = came_from[v]
            edges.append((v, where))
            v = before
            if v == start:
                break
        text = start + "".join(f" -> {w} ({where})" for w, where in reversed(edges))
        if len(component) > len(edges):
            text += f" [one of the cycles among {', '.join(sorted(component))}]"
        cycles.append(text)
    return cycles


# --- the contract ----------------------------------------------------------------------------

pytestmark = pytest.mark.skipif(not (SRC / PACKAGE / "__init__.py").is_file(),
                                reason="needs the source tree")


@pytest.fixture(scope="module")
def graph():
    return import_graph(SRC)


def test_core_imports_only_errors_from_the_facade(graph):
    bad = [f"{CORE} imports {name} ({where})" for name, where in graph[CORE] if name != ERRORS]
    assert not bad, f"the core may import only {ERRORS} of the facade:\n" + "\n".join(bad)
    assert (ERRORS in {name for name, _ in graph[CORE]}), "the scan missed the core's imports"


def _in_cli(name):
    return name == CLI or name.startswith(CLI + ".")


def test_nothing_imports_the_cli(graph):
    # the command's own modules, and `python -m csvbackup` (which runs it), may
    entry = {CLI, f"{PACKAGE}.__main__"}
    bad = [f"{module} imports {name} ({where})" for module, edges in sorted(graph.items())
           if not _in_cli(module) and module not in entry for name, where in edges
           if _in_cli(name)]
    assert not bad, f"nothing in the library may import {CLI}:\n" + "\n".join(bad)


def test_no_import_cycles(graph):
    cycles = import_cycles(graph)
    assert not cycles, "import cycles (function-level imports count):\n" + "\n".join(cycles)


def test_errors_imports_nothing_of_csvbackup(graph):
    bad = [f"{ERRORS} imports {name} ({where})" for name, where in graph[ERRORS] if name != CODES]
    assert not bad, f"{ERRORS} may import nothing of {PACKAGE} but {CODES}:\n" + "\n".join(bad)
    table = SRC / "_win32_errors.pyx"
    ours = [name for name, _ in cython_imports(table, set()) if _ours(name)]
    assert not ours, f"{table} imports {ours}"


# --- the scan itself, on a small made-up tree ------------------------------------------------

def _tree(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "src"


def test_scan_finds_hidden_cycles_and_core_imports(tmp_path):
    src = _tree(tmp_path, {
        "csvbackup/__init__.py": "from .a import A\nfrom . import errors\n",
        "csvbackup/errors.py": "",
        "csvbackup/a.py": "from .pkg.b import B\nA = 1\n",
        "csvbackup/pkg/__init__.py": "",
        "csvbackup/pkg/b.py": "def f():\n    from ..a import A\n    return A\nB = 2\n",
        "csvbackup/c.py": "import importlib\ncli = importlib.import_module('csvbackup.cli')\n",
        "csvbackup/cli.py": "from . import __version__\n",
        "_csvcore.pyx": ("from libc.stdint cimport uint8_t\nfrom csvbackup.errors import (\n"
                         "    X as _X,\n)\n"),
        "core/part.pxi": "cdef f():\n    from csvbackup import pkg\n    import csvbackup.a\n",
    })
    g = import_graph(src)
    assert g[CORE] == [("csvbackup.errors", "src/_csvcore.pyx:2"),
                       ("csvbackup.pkg", "src/core/part.pxi:2"),
                       ("csvbackup.a", "src/core/part.pxi:3")]
    assert ("csvbackup.cli", "src/csvbackup/c.py:2") in g["csvbackup.c"]
    assert g["csvbackup.cli"] == [("csvbackup", "src/csvbackup/cli.py:1")]
    assert import_cycles(g) == [
        "csvbackup.a -> csvbackup.pkg.b (src/csvbackup/a.py:1)"
        " -> csvbackup.a (src/csvbackup/pkg/b.py:2)"]
