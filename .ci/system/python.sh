#!/usr/bin/env bash
# Debian's PyTorch and onnx for /usr/bin/python3, with which test/package/readme-python.test.ts
# runs README.md's torch.autograd.Function snippet over an emitted .onnx (Debian has no
# python3-onnxruntime; the test runs the model with onnxruntime-node). OpenBLAS is torch's BLAS.
# scikit-learn is the independent implementation the eval metrics are cross-checked against
# (test/runtime/eval/sklearn-crosscheck.test.ts). Without them those tests skip, saying so.
set -uo pipefail
wanted=(python3-torch python3-onnx python3-sklearn libopenblas0-pthread)
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "python.sh: no apt-get here; ${missing[*]} not installed, the Python cross-check tests will skip"
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; }; then
  echo "python.sh: could not install ${missing[*]}; the Python cross-check tests will skip"
fi
exit 0
