"""The text and XML parsers run in linear time on any line: every regular expression they use,
anchored at the start of a line as they use it (``match``), and both parsers whole, on 1 MB
adversarial lines (long runs of the characters each pattern
repeats, with the prefixes that reach them, and an ending that fails the match).

A backtracking pattern turns such a line into hours of work (a line of "-a", 10,000 spaces and
"!" took 2.7 s, 1 MB would take days), so each check runs in a child process that must finish
in a minute: a guard against a hang, a thousand times what linear work needs, not a speed
target."""
import re
import subprocess
import sys

import pytest

from csvbackup.wmd import text as wmd_text
from csvbackup.wmd import xml as wmd_xml

pytestmark = pytest.mark.slow

MB = 1 << 20
HANG = 60  # seconds

PATTERNS = sorted(f"{m.__name__}.{name}" for m in (wmd_text, wmd_xml)
                  for name, value in vars(m).items() if isinstance(value, re.Pattern))

CHECK_PATTERN = r"""
import importlib, itertools, sys
module, name = sys.argv[1].rsplit(".", 1)
pattern = getattr(importlib.import_module(module), name)
prefixes = ["", "-", "-a", "- a", "* WRITER ", "*WRITER'", '- Component "', "Path", "Path =",
            "a", "0", "{"]
runs = [" ", "a", "a ", " a", "0", "0-", "-", "\"", "'", "\t", "=", ":", "[0", "%"]
for prefix, run in itertools.product(prefixes, runs):
    line = prefix + run * (MB // len(run)) + "!"
    pattern.match(line)
print("ok")
""".replace("MB", str(MB))


def test_the_parsers_have_patterns():
    assert len(PATTERNS) >= 6, PATTERNS


@pytest.mark.parametrize("pattern", PATTERNS)
def test_pattern_is_linear_on_adversarial_lines(pattern):
    res = subprocess.run([sys.executable, "-c", CHECK_PATTERN, pattern], capture_output=True,
                         text=True, timeout=HANG)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-2000:]


CHECK_PARSERS = r"""
import csvbackup as cb
MB = 1 << 20
head = ('* WRITER "w"\n - Writer ID = {d76f5a28-3092-4589-ba48-2958fb88ce29}\n'
        " - Writer Instance ID = {07ae58e5-6977-4e34-9dfe-399bbd2cbe40}\n")
lines = ["-a" + " " * MB + "!", "- " + "a " * (MB // 2) + "!", "* WRITER " + " " * MB,
         "- Component " + '"' * MB, "-" + " " * MB, " - Exclude: Path = " + " " * MB + "x",
         " - Type: " + "a" * MB + " [", " - Caption: '" + "a" * MB]
for line in lines:
    for text in (line + "\n", head + line + "\n"):
        try:
            cb.WriterMetadata.from_vshadow_text(text)
        except cb.WriterMetadataError:
            pass
attribute = "a" * MB
for doc in ("<WRITER_METADATA " + " " * MB + "/>",
            '<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="' + "9" * MB + '"/>',
            "<" + "a" * MB + ">", '<IDENTIFICATION writerId="' + attribute + '"/>'):
    try:
        cb.WriterMetadata.from_xml(doc)
    except cb.WriterMetadataError:
        pass
print("ok")
"""


def test_parsers_are_linear_on_adversarial_lines():
    res = subprocess.run([sys.executable, "-c", CHECK_PARSERS], capture_output=True, text=True,
                         timeout=HANG)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-2000:]
