#!/usr/bin/env bash
# The system LAPACK that hostEigh calls through koffi (runtime/executors/host/lapack-library.ts):
# OpenBLAS, with reference LAPACK as the generic liblapack.so.3. Without them the LAPACK rows of
# test/runtime/executors/host/host-eigh.test.ts and onnx/eigh-objectives-lapack.test.ts skip, and
# the JavaScript solver's rows still run.
set -uo pipefail
wanted=(libopenblas0-pthread liblapack3)
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "lapack.sh: no apt-get here; ${missing[*]} not installed, the LAPACK tests will skip"
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}"; }; then
  echo "lapack.sh: could not install ${missing[*]}; the LAPACK tests will skip"
fi
exit 0
