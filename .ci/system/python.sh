#!/usr/bin/env bash
# Debian's PyTorch and onnx for /usr/bin/python3, with which test/package/readme-python.test.ts
# runs README.md's torch.autograd.Function snippet over an emitted .onnx (Debian has no
# python3-onnxruntime; the test runs the model with onnxruntime-node). OpenBLAS is torch's BLAS.
# scikit-learn is the independent implementation the eval metrics are cross-checked against
# (test/runtime/eval/sklearn-crosscheck.test.ts). Without them those tests skip, saying so.
set -uo pipefail
who=python.sh
skips="the Python cross-check tests will skip"
apt_options=--no-install-recommends
source "$(dirname "$0")/../apt-missing" python3-torch python3-onnx python3-sklearn libopenblas0-pthread
exit 0
