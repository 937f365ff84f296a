"""The PyTorch peer of `npm run bench:train`: the EHR encoder, the card's objective and Adam, written
by hand, on the arrays bench/train.ts wrote into DIR (meta.json, the initial parameters and the
batches as .npy).

    /usr/bin/python3 bench/train_torch.py DIR [--threads 1,2] [--warmup 3] [--steps 10] [--float64]
    /usr/bin/python3 -u bench/train_torch.py DIR --serve

Model (runtime/model/ehr-encoder.ts, mlp.ts, pool.ts), per time slot:
    x = index_add(rows, codes[ids] * weights) + labs @ W_labs      pooled code embeddings + labs
    Z = relu(x @ w1 + b1) @ w2 + b2
Objective (stdlib/*.dfl), with Z = Z_t the embedding of slot t and Z_t+1 that of slot t+1:
    balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)
    spectrum(Z) = eigvalsh(cov(Z)), cov(Z) = center(Z)^T center(Z) / (n - 1)
    balance(s)  = 1 - entropy(s / sum(s)) / log(len(s)),  entropy(p) = -sum(p log p)
    ortho(Z)    = fro2(offdiag(corr(Z))) / (d (d - 1))
    consistent(A, B) = 1 - fro2(cB^T cA) / (norm(cA^T cA) norm(cB^T cB)),  cX = center(X)
dflc's numerical guards (compiler/surface/guards.ts) are kept where they can fire: log(p) in the
entropy, and the square roots in corr and norm, take max(x, 1e-12 max|x| + 1e-24). On healthy
batches they do not fire (values and gradients equal the plain formula); with --batch < --dim the
spectrum has zero eigenvalues and they keep the loss finite, as in dflc. Divisions by quantities
that are positive here (sum(s), the norms, constants) are written plainly.
Adam: torch.optim.Adam with dflc's betas and eps (runtime/model/adam.ts: the same update,
p -= lr/(1-b1^t) * m / (sqrt(v/(1-b2^t)) + eps), which dflc computes in the equal form
p -= a m / (sqrt(v) + e) with a = lr sqrt(1-b2^t)/(1-b1^t), e = eps sqrt(1-b2^t)), constant learning rate.

Prints one JSON object: the torch version and BLAS, and per thread count the loss of every step
(from step 1), the three terms of the first steps and the wall ms and process CPU ms of each timed step. With
--float64, also the losses of the first steps in float64 (the numerics reference).

With --serve it loads DIR once and serves bench/train.ts over stdin/stdout, one JSON object a line
each way, so that the bench's rounds alternate with dflc at the scale of a block of steps instead of
a process start: a first line with the torch version and BLAS, then for each request
{"cmd": "run", "threads": T, "warmup": W, "steps": S} one run as above (from step 1), for
{"cmd": "float64"} the float64 reference, until {"cmd": "quit"} or the end of stdin.
"""

import argparse
import ctypes
import json
import math
import os
import sys
import time

import numpy as np
import torch


def load(directory):
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    read = lambda name: np.load(os.path.join(directory, name))
    params = {name: read(file) for name, file in meta["params"].items()}
    batches = [
        {int(slot): {field: read(file) for field, file in fields.items()} for slot, fields in batch.items()}
        for batch in meta["batches"]
    ]
    return meta, params, batches


def to_torch(batches, dtype):
    """ids and rows as int64 indices (done once, as a data loader would), the rest as `dtype`."""
    out = []
    for batch in batches:
        slots = {}
        for slot, f in batch.items():
            slots[slot] = {
                "ids": torch.from_numpy(f["code_ids"].astype(np.int64)),
                "rows": torch.from_numpy(f["code_rows"].astype(np.int64)),
                "weights": torch.from_numpy(f["code_weights"]).to(dtype),
                "labs": torch.from_numpy(f["labs"]).to(dtype),
            }
        out.append(slots)
    return out


def encode(p, data, batch):
    """The EHR encoder of one slot: [batch, dim]."""
    looked = p["ehr.codes"].index_select(0, data["ids"]) * data["weights"][:, None]
    pooled = torch.zeros(batch, looked.shape[1], dtype=looked.dtype).index_add(0, data["rows"], looked)
    x = pooled + data["labs"] @ p["ehr.labs"]
    hidden = torch.relu(x @ p["ehr.w1"] + p["ehr.b1"])
    return hidden @ p["ehr.w2"] + p["ehr.b2"]


def center(z):
    return z - z.mean(0, keepdim=True)


def cov(z):
    c = center(z)
    return c.T @ c / (z.shape[0] - 1)


EPSILON = 1e-12


def guard_positive(x):
    """guards.ts: max(x, eps * max|x| + eps^2)."""
    return torch.maximum(x, EPSILON * x.abs().max() + EPSILON * EPSILON)


def balance(s):
    p = s / s.sum()
    return 1 - (-(p * torch.log(guard_positive(p))).sum()) / math.log(s.shape[0])


def ortho(z):
    c = cov(z)
    sd = torch.sqrt(guard_positive(torch.diagonal(c)))
    r = c / (sd[:, None] * sd[None, :])
    off = r - torch.diag(torch.diagonal(r))
    d = z.shape[1]
    return (off * off).sum() / (d * (d - 1))


def consistent(a, b):
    ca, cb = center(a), center(b)
    cross = cb.T @ ca
    norm = lambda m: torch.sqrt(guard_positive((m * m).sum()))
    cka = (cross * cross).sum() / (norm(ca.T @ ca) * norm(cb.T @ cb))
    return 1 - cka


def objective(z_t, z_t1):
    terms = [balance(torch.linalg.eigvalsh(cov(z_t))), 0.5 * ortho(z_t), consistent(z_t, z_t1)]
    return terms[0] + terms[1] + terms[2], terms


def run(meta, params, batches, dtype, warmup, steps, keep_terms):
    """warmup + steps training steps from the initial parameters; wall ms of the last `steps`."""
    torch.manual_seed(0)
    batch = meta["config"]["batch"]
    p = {name: torch.tensor(value, dtype=dtype, requires_grad=True) for name, value in params.items()}
    adam = meta["adam"]
    optimiser = torch.optim.Adam(
        list(p.values()), lr=meta["lr"], betas=(adam["beta1"], adam["beta2"]), eps=adam["epsilon"]
    )
    data = to_torch(batches, dtype)
    slots = meta["slots"]
    losses, ms, cpu_ms, terms_seen = [], [], [], []
    for step in range(1, warmup + steps + 1):
        b = data[(step - 1) % len(data)]
        start = time.perf_counter()
        cpu_start = time.process_time()
        optimiser.zero_grad(set_to_none=True)
        z = [encode(p, b[slot], batch) for slot in slots]
        loss, terms = objective(z[0], z[1])
        loss.backward()
        optimiser.step()
        value = loss.item()
        elapsed = (time.perf_counter() - start) * 1000
        if step > warmup:
            ms.append(elapsed)
            cpu_ms.append((time.process_time() - cpu_start) * 1000)
        losses.append(value)
        if step <= keep_terms:
            terms_seen.append([t.item() for t in terms])
    return {"losses": losses, "ms": ms, "cpu_ms": cpu_ms, "terms": terms_seen}


def blas_library():
    """The BLAS shared library this process loaded (Debian's torch links the generic libblas.so.3)."""
    torch.ones(8, 8) @ torch.ones(8, 8)
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "blas" in os.path.basename(line.split()[-1]).lower()}
    # OpenBLAS's own library (libopenblasp-*.so) first: it is what openblas_set_num_threads is in.
    return min(paths, key=lambda path: ("openblas" not in os.path.basename(path), path)) if paths else None


def set_threads(threads, blas):
    """torch's intra-op threads, and OpenBLAS's own pool, which torch.set_num_threads leaves alone here."""
    torch.set_num_threads(threads)
    if blas is not None and "openblas" in blas:
        ctypes.CDLL(blas).openblas_set_num_threads(threads)


def header(blas):
    return {
        "torch": torch.__version__,
        "blas": os.path.basename(blas) if blas else "unknown BLAS",
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
    }


def float64_reference(meta, params, batches, blas):
    keep = meta["numerics_steps"]
    set_threads(1, blas)
    reference = run(meta, params, batches, torch.float64, keep, 0, keep)
    return {"losses": reference["losses"][:keep], "terms": reference["terms"]}


def serve(meta, params, batches, blas):
    print(json.dumps(header(blas)), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        if job["cmd"] == "quit":
            break
        if job["cmd"] == "float64":
            print(json.dumps(float64_reference(meta, params, batches, blas)), flush=True)
            continue
        if job["cmd"] != "run":
            raise ValueError(f"unknown request {line.strip()}")
        set_threads(job["threads"], blas)
        result = run(meta, params, batches, torch.float32, job["warmup"], job["steps"], meta["numerics_steps"])
        print(json.dumps(result), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--float64", action="store_true")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    meta, params, batches = load(args.dir)
    blas = blas_library()
    if args.serve:
        serve(meta, params, batches, blas)
        return
    out = {**header(blas), "runs": {}}
    for threads in [int(t) for t in args.threads.split(",")]:
        set_threads(threads, blas)
        out["runs"][str(threads)] = run(meta, params, batches, torch.float32, args.warmup, args.steps, meta["numerics_steps"])
    if args.float64:
        out["float64"] = float64_reference(meta, params, batches, blas)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
