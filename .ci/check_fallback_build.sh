#!/usr/bin/env bash
# CI: the fallback build (no OpenMP, baseline instruction set only) builds and decides the
# same as the oracle. Built from a fresh copy of the tree so no object of the main build is
# reused.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
git archive --format=tar HEAD | tar -x -C "$work"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --upgrade pip
(cd "$work" && CSVBACKUP_OPENMP=0 CSVBACKUP_MULTIVERSION=0 venv/bin/python -m pip install -q '.[test]')
(cd "$work" && venv/bin/python -c "
import csvbackup as cb
assert not cb.openmp_enabled() and cb.kernel_isa() == 'baseline', (cb.openmp_enabled(), cb.kernel_isa())
print('fallback build: OpenMP off, kernel', cb.kernel_isa())
" && venv/bin/python -m pytest -q -p no:cacheprovider tests/vss/test_classify_oracle.py \
    tests/vss/test_decide_rules.py tests/vss/test_classify_inputs.py tests/c/test_c_headers.py)
