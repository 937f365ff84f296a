"""The PyTorch peer of `npm run bench:objective`: the card, VICReg and Barlow objectives written as a
user would (one function per term, each computing its own covariance), value and gradient.

    /usr/bin/python3 bench/objective_torch.py

It serves bench/objective.ts over stdin/stdout, one JSON object a line each way, so that the two
alternate rounds within one run:

    {"cmd": "load", "inputs": {"Z_t": "/tmp/.../Z_t.npy", ...}}   -> {"ok": true}
    {"cmd": "time", "objective": "card", "threads": 1, "min_ms": 300, "warmup": 1}
                                                                -> {"value": v, "ms": [...], "cpu_ms": [...]}
    {"cmd": "quit"}

cpu_ms is the process's CPU time per call (all its threads), which other jobs on the machine
inflate far less than wall time. One timed call is: inputs marked as leaves, forward, torch.autograd.grad for every input, and
loss.item(). The terms (stdlib/*.dfl; the card's as in bench/train_torch.py, whose functions this
reuses):
    card    balance(spectrum(Z_t)) + 0.5*ortho(Z_t) + consistent(Z_t, Z_t+1)
    vicreg  25*invariance(Z_t, Z_t+1) + 25*(variance(Z_t) + variance(Z_t+1)) + covariance(Z_t) + covariance(Z_t+1)
    barlow  barlow(Z_t, Z_t+1, lambda=0.005)
with variance(Z) = mean(relu(1 - sqrt(diag(cov(Z)) + 1e-4))), covariance(Z) = fro2(offdiag(cov(Z))) / d,
invariance(A, B) = mean((A - B)^2), barlow(A, B) = sum((1 - diag(C))^2) + lambda fro2(offdiag(C)) with
C = xcorr(A, B), the cross-correlation of the columns.
"""
import json
import sys
import time

import numpy as np
import torch

from train_torch import balance, blas_library, center, consistent, cov, ortho, set_threads


def offdiag(m):
    return m - torch.diag(torch.diagonal(m))


def variance(z, gamma=1.0):
    return torch.relu(gamma - torch.sqrt(torch.diagonal(cov(z)) + 1e-4)).mean()


def covariance(z):
    return (offdiag(cov(z)) ** 2).sum() / z.shape[1]


def invariance(a, b):
    return ((a - b) ** 2).mean()


def xcorr(a, b):
    ca, cb = center(a), center(b)
    c = ca.T @ cb / (a.shape[0] - 1)
    sa = torch.sqrt(torch.diagonal(cov(a)))
    sb = torch.sqrt(torch.diagonal(cov(b)))
    return c / (sa[:, None] * sb[None, :])


def barlow(a, b, lam=0.005):
    c = xcorr(a, b)
    return ((1 - torch.diagonal(c)) ** 2).sum() + lam * (offdiag(c) ** 2).sum()


OBJECTIVES = {
    "card": lambda zt, zt1: balance(torch.linalg.eigvalsh(cov(zt))) + 0.5 * ortho(zt) + consistent(zt, zt1),
    "vicreg": lambda zt, zt1: 25 * invariance(zt, zt1)
    + 25 * (variance(zt) + variance(zt1))
    + (covariance(zt) + covariance(zt1)),
    "barlow": lambda zt, zt1: barlow(zt, zt1),
}


def value_and_grad(objective, inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    loss = objective(*leaves)
    torch.autograd.grad(loss, leaves)
    return loss.item()


def main():
    blas = blas_library()
    inputs = []
    print(json.dumps({"torch": torch.__version__, "blas": blas.split("/")[-1] if blas else "unknown BLAS"}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        if job["cmd"] == "quit":
            break
        if job["cmd"] == "load":
            inputs = [torch.from_numpy(np.load(path)) for path in job["inputs"].values()]
            print(json.dumps({"ok": True}), flush=True)
            continue
        set_threads(job["threads"], blas)
        objective = OBJECTIVES[job["objective"]]
        for _ in range(job["warmup"]):
            value_and_grad(objective, inputs)
        times, cpu = [], []
        start = now = time.perf_counter()
        while (now - start) * 1000 < job["min_ms"] or len(times) < job.get("min_calls", 3):
            cpu_start = time.process_time()
            value = value_and_grad(objective, inputs)
            then = time.perf_counter()
            cpu.append((time.process_time() - cpu_start) * 1000)
            times.append((then - now) * 1000)
            now = then
        print(json.dumps({"value": value, "ms": times, "cpu_ms": cpu}), flush=True)


if __name__ == "__main__":
    main()
