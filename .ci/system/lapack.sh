#!/usr/bin/env bash
# The system LAPACK that hostEigh calls through koffi (runtime/executors/host/lapack-library.ts):
# OpenBLAS, with reference LAPACK as the generic liblapack.so.3. Without them the LAPACK rows of
# test/runtime/executors/host/host-eigh.test.ts and onnx/eigh-objectives-lapack.test.ts skip, and
# the JavaScript solver's rows still run.
set -uo pipefail
who=lapack.sh
skips="the LAPACK tests will skip"
source "$(dirname "$0")/../apt-missing" libopenblas0-pthread liblapack3
exit 0
