"""Running the csvbackup command in the test process, for the command tests: its exit
status, stdout and stderr; its JSON; and the checks every bad input must pass."""
import json

from csvbackup.cli import main


def run(capsys, *argv):
    """(exit status, stdout, stderr) of ``csvbackup ARGV`` (arguments str()-ed)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    """The parsed stdout of ``csvbackup ARGV --json``, which must succeed."""
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def bad(capsys, *argv):
    """stderr of ``csvbackup ARGV``, which must fail as bad input: exit status 2, one to
    three lines, no traceback."""
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert 1 <= len(err.strip().splitlines()) <= 3 and "Traceback" not in err, err
    return err
