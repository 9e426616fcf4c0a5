"""Where the tests find the source tree, their data and the C programs they build."""
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
WMD = DATA / "wmd"  # real Writer Metadata Documents; provenance in data/wmd/SOURCES.md
C_SOURCES = TESTS / "c"
SRC = ROOT / "src"
BENCH = ROOT / "bench"
