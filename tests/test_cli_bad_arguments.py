"""Every command of the command line, driven with bad arguments and bad input as a careless
user would: each ends with exit status 2 and one to three lines on stderr that name what was
wrong, and never with a traceback."""
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import csvbackup as cb
import tree
from csvbackup import simulator
from csvbackup.cli import main

SIM = pytest.mark.skipif(not cb._csvcore.HAVE_SIMULATOR, reason="simulator not built")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A folder of bad and good inputs, and a simulated cluster; {name: path}."""
    d = tmp_path_factory.mktemp("bad")
    np.save(d / "one.npy", np.zeros(3, np.uint32))
    (d / "garbage.npz").write_bytes(b"garbage" * 10)
    np.savez(d / "objects.npz", masks=np.array([object()], dtype=object))
    np.savez(d / "badmask.npz", masks=np.array([0x12345678], np.uint32))
    np.savez(d / "len.npz", masks=np.array([1, 1], np.uint32), mtimes=np.array([1], np.int64))
    np.savez(d / "ok.npz", masks=np.array([0xF0F, 0x101], np.uint32),
             mtimes=np.array([1, 2], np.int64))
    np.savez(d / "nomask.npz", x=np.array([1]))
    np.savez(d / "badwriter.npz", masks=np.array([1], np.uint32), writer=np.array([3]),
             writer_schema=np.array([0], np.uint32))
    np.savez(d / "halfwriter.npz", masks=np.array([1], np.uint32), writer=np.array([0]))
    (d / "binary.toml").write_bytes(b"\x00\xff\x01garbage")
    (d / "dir.toml").mkdir()
    (d / "empty").mkdir()
    (d / "junk").write_bytes(b"junk")
    (d / "cut.bin").write_bytes((tree.DATA / "samba_node_props.bin").read_bytes()[:100])
    (d / "bad.json").write_text("{not json")
    paths = {p.name.replace(".", "_"): str(p) for p in d.iterdir()}
    paths["dir"] = str(d)
    paths["missing"] = str(d / "missing")
    if cb._csvcore.HAVE_SIMULATOR:
        paths["cluster"] = str(simulator.init(d / "c"))
        corrupt = simulator.init(d / "corrupt")
        (d / "corrupt" / "cluster.state").write_bytes(b"xx")
        paths["corrupt"] = str(corrupt)
    return paths


# (argv with {name} placeholders, text the error must contain)
CASES = [
    # classify: the catalog file and the generated one
    ("classify {missing}.npz", "No such file"),
    ("classify {dir}", "directory"),
    ("classify {garbage_npz}", "not an .npz catalog"),
    ("classify {one_npy}", ".npy array"),
    ("classify {objects_npz}", "Python objects"),
    ("classify {nomask_npz}", "'masks'"),
    ("classify {badmask_npz}", "masks[0] = 0x12345678"),
    ("classify {len_npz}", "mtimes has 1 rows"),
    ("classify {badwriter_npz}", "writer[0] = 3"),
    ("classify {halfwriter_npz}", "go together"),
    ("classify {ok_npz} --type incremental", "needs `since`"),
    ("classify {ok_npz} --type undefined", "one of full"),
    ("classify {ok_npz} --out {missing}/x.npy", "does not exist"),
    ("classify {ok_npz} --out {dir}", "is a folder"),
    ("classify {ok_npz} --since 1500-01-01", "FILETIME range"),
    ("classify {ok_npz} --since 99999999999999999999999", "FILETIME range"),
    ("classify {ok_npz} --since yesterday", "ISO 8601"),
    ("classify {ok_npz} --rows 5", "--rows applies to --demo"),
    ("classify --demo --threads 0", "--threads"),
    ("classify --demo --seed -1", "--seed"),
    ("classify --demo --rows -5", "--rows"),
    ("classify --demo --rows 100000000000000", "GiB"),
    ("classify", "required"),
    # writers
    ("writers {missing}.xml", "no such writer metadata file"),
    ("writers {junk}", "WRITER"),
    ("writers {empty}", "no .xml or .txt"),
    ("writers {empty} --env bad", "NAME=VALUE"),
    # proplist
    ("proplist decode {cut_bin}", "offset 0x"),
    ("proplist decode {missing}", "No such file"),
    ("proplist encode A=4294967296", "does not fit a DWORD"),
    ("proplist encode --from-json {bad_json}", "not JSON"),
    ("proplist bogus", "invalid choice"),
    # info, demo, plan, sim init
    ("info --bogus", "unrecognized"),
    ("demo {junk}", "not an empty folder"),
    ("plan", "required"),
    ("plan --type full --writers {missing}.xml --catalog {missing}.parquet", "missing"),
    ("sim init ''", "DIR is empty"),
    ("sim init /proc/csvbackup-test", "No such file"),
    ("nonsense", "invalid choice"),
]
SIM_CASES = [
    ("sim status {missing}.toml", "cannot read the cluster configuration"),
    ("sim status {dir_toml}", "not a regular file"),
    ("sim status {binary_toml}", "not UTF-8"),
    ("sim status {corrupt}", "ERROR_FILE_CORRUPT"),
    ("sim status {cluster} --cluster {missing}.toml", "once"),
    ("volumes --cluster {binary_toml}", "not UTF-8"),
    ("volumes --cluster {corrupt}", "truncated"),
    ("backup-mode get --cluster {cluster}", "VOLUME"),
    ("backup-mode get Nope --cluster {cluster}", "Nope"),
    ("backup-mode set Volume1 --cluster {cluster}", "--delay"),
    ("backup-mode set Volume1 --delay x --cluster {cluster}", "--delay"),
    ("backup-mode clear Volume1 --wait --cluster {cluster}", "apply to 'set'"),
    ("properties set --cluster {cluster}", "NAME=VALUE"),
    ("properties set Bogus=1 --cluster {cluster}", "Win32 error 87"),
    ("properties set BackupInProgress=yes --cluster {cluster}", "Win32 error 5895"),
    ("properties set BackupInProgress=7 --cluster {cluster}", "Win32 error 13"),
    ("properties set FixQuorum=1 --cluster {cluster}", "Win32 error 5089"),
    ("properties get Bogus --cluster {cluster}", "Bogus"),
    ("prepare --cluster {cluster}", "PATH"),
]


def _argv(text, files):
    import shlex
    return [a.format(**files) for a in shlex.split(text)]


def _check(capsys, argv, expected):
    code = main(argv, out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2, (argv, err)
    assert 1 <= len(err.strip().splitlines()) <= 3, err
    assert "Traceback" not in err and expected in err, (expected, err)
    assert err.startswith("csvbackup"), err


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_bad_arguments(capsys, files, text, expected):
    try:
        _check(capsys, _argv(text, files), expected)
    except SystemExit as e:  # argparse's own errors exit through SystemExit(2)
        err = capsys.readouterr().err
        assert e.code == 2 and 1 <= len(err.strip().splitlines()) <= 3 and expected in err, err


@SIM
@pytest.mark.parametrize(("text", "expected"), SIM_CASES, ids=[c[0][:40] for c in SIM_CASES])
def test_bad_arguments_on_a_cluster(capsys, files, text, expected):
    test_bad_arguments(capsys, files, text, expected)


SCRIPT = Path(sys.executable).parent / "csvbackup"  # the console script, when installed


@pytest.mark.parametrize("command", [[str(SCRIPT)], [sys.executable, "-m", "csvbackup"]],
                         ids=["script", "python -m"])
def test_a_bad_isa_override_is_one_line(command):
    if not Path(command[0]).exists():
        pytest.skip("the console script is not installed")
    env = dict(os.environ, CSVBACKUP_ISA="bogus")
    res = subprocess.run([*command, "info"], capture_output=True, text=True, env=env)
    assert res.returncode == 2 and "CSVBACKUP_ISA='bogus'" in res.stderr, res.stderr
    assert len(res.stderr.splitlines()) == 1 and "Traceback" not in res.stderr
    # a library import still fails loudly
    res = subprocess.run([sys.executable, "-c", "import csvbackup"], capture_output=True,
                         text=True, env=env)
    assert res.returncode == 1 and "ImportError: CSVBACKUP_ISA='bogus'" in res.stderr


def test_every_command_has_help_with_an_example(capsys):
    names = ["demo", "plan", "volumes", "prepare", "backup-mode", "properties", "proplist decode",
             "proplist encode", "writers", "classify", "info", "sim init", "sim status"]
    for name in names:
        with pytest.raises(SystemExit) as e:
            main([*name.split(), "--help"])
        out = capsys.readouterr().out
        assert e.value.code == 0 and "example" in out, name
        assert "--json" in out, name
