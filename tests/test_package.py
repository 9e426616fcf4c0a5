"""The package as installed: public names, docstrings, version, stubs, build facts."""
import re
from pathlib import Path

import csvbackup as cb


def test_public_names_have_docstrings():
    for name in cb.__all__:
        obj = getattr(cb, name)
        if callable(obj) or isinstance(obj, type):
            assert obj.__doc__, f"{name} has no docstring"


def test_version_matches_pyproject():
    pyproject = Path(__file__).parent.parent / "pyproject.toml"
    if pyproject.is_file():
        assert f'version = "{cb.__version__}"' in pyproject.read_text()


def test_typing_files_are_installed():
    pkg = Path(cb.__file__).parent
    assert (pkg / "py.typed").is_file() and (pkg / "_csvcore.pyi").is_file()


def test_stub_names_match_extension():
    from csvbackup import _csvcore
    stub = (Path(cb.__file__).parent / "_csvcore.pyi").read_text()
    declared = set(re.findall(r"^(?:def|class) (\w+)", stub, re.M)) | set(
        re.findall(r"^(\w+):", stub, re.M))
    public = {n for n in dir(_csvcore) if not n.startswith("_")}
    assert declared == public


def test_code_table_stub_matches_extension():
    from csvbackup import _win32_errors
    stub = (Path(cb.__file__).parent / "_win32_errors.pyi").read_text()
    assert set(re.findall(r"^def (\w+)", stub, re.M)) == {
        n for n in dir(_win32_errors) if not n.startswith("_")}


def test_build_facts():
    assert cb.kernel_isa() in {"baseline", "x86-64-v2", "x86-64-v3", "x86-64-v4"}
    assert isinstance(cb.openmp_enabled(), bool)
