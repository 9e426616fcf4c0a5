#!/usr/bin/env bash
# Run one C fuzzer for longer than the tests do, under AddressSanitizer and UBSan:
#   tests/c/fuzz.sh {clusprop,specset,clussim} ROUNDS SEED [-D MACRO ...]
# clusprop: ROUNDS mutants of the captured property lists through every reader entry point;
# specset: ROUNDS rounds of random spec sets and catalogs (add -D CSVB_NO_SSE2 for the portable
# loops); clussim: ROUNDS rounds of the simulator's calls on a scratch state file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 3 ]; then
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
exec "${PYTHON:-python3}" "$here/../fuzzers.py" "$@"
