#!/usr/bin/env bash
# Python side of the tests: the --dry-run of every script that has one (training/tests/test_dry_runs.py lists
# them and fails on a script it does not run), shipped-model parity (PyTorch vs ONNX Runtime), manifests read
# back from the ONNX files, and every CARD.md rendered again from its template and records (test_cards.py).
# Uses Debian's python (torch/onnx come from apt, see .ci/run); pytest's own summary line is the result.
set -u
cd "$(dirname "$0")/../training" || exit 1
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
/usr/bin/python3 -m pytest -q -p no:cacheprovider tests "$@"
rc=$?
[ $rc -eq 5 ] && { echo "0 passed, 1 failed (pytest collected no tests)"; exit 1; }
exit $rc
