#!/usr/bin/env bash
# Python side of the tests: training dry-runs, shipped-model parity (PyTorch vs ONNX Runtime), cards.
# Uses Debian's python (torch/onnx come from apt, see .ci/run); pytest's own summary line is the result.
set -u
cd "$(dirname "$0")/../training" || exit 1
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
/usr/bin/python3 -m pytest -q -p no:cacheprovider tests "$@"
rc=$?
[ $rc -eq 5 ] && { echo "0 passed, 1 failed (pytest collected no tests)"; exit 1; }
exit $rc
