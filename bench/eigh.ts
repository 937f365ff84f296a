/**
 * `npm run bench:eigh [-- --sizes 32,64,128,256] [-- --min-ms 400] [-- --rounds 4]`: milliseconds
 * per symmetric eigendecomposition (values and vectors, float64) of dflc's host solver
 * (`hostEigh`, what tfjs, ONNX and generated modules run for `eigh` nodes: the platform's LAPACK
 * when one loads, named at the top) and of its JavaScript solver (`hostEigh` without LAPACK), beside ml-matrix's
 * EigenvalueDecomposition (what it replaced; still the reference backend's oracle) and, when
 * Debian's PyTorch is there, torch.linalg.eigh (LAPACK, float64, 1 thread) as the peer.
 *
 * Every solver gets the same matrices: Gram matrices ZᵀZ / n of a seeded random Z (n = 2k), like
 * the covariances of a training step. Each size is timed, after 250 ms of untimed calls per
 * solver (V8 optimises hot loops only after a while), in alternating rounds (hostEigh, its JavaScript
 * solver, then ml-matrix), each round repeating a solver for at least --min-ms / rounds; the median over all
 * calls is printed (torch: the same, in its own process afterwards). The largest |Δλ| against
 * ml-matrix, relative to the largest |λ|, is printed as a check.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { hostEigh, hostEighSolver } from '../runtime/executors/host/host-eigh.ts';
import { median, timeCalls } from './timing.ts';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '32,64,128,256' },
    'min-ms': { type: 'string', default: '400' },
    rounds: { type: 'string', default: '4' },
  },
});
const SIZES = flags.sizes.split(',').map(Number);
const MIN_MS = Number(flags['min-ms']);
const ROUNDS = Number(flags.rounds);
const WARMUP_MS = 250;
/** Debian's python with PyTorch 1.13 and OpenBLAS (the `python3` on PATH has no torch). */
const PEER_PYTHON = '/usr/bin/python3';

function gram(k: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const n = 2 * k;
  const z = Float64Array.from({ length: n * k }, next);
  const m = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      const zi = z[r * k + i] / n;
      for (let j = 0; j < k; j++) m[i * k + j] += zi * z[r * k + j];
    }
  }
  return m;
}

function mlMatrixEigh(m: Float64Array, k: number): number[] {
  const rows = Array.from({ length: k }, (_, i) => Array.from(m.subarray(i * k, (i + 1) * k)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  void evd.eigenvectorMatrix;
  return evd.realEigenvalues;
}

interface TorchResult {
  readonly torch: string;
  readonly ms: Record<string, number>;
}

const TORCH_SCRIPT = `
import json, sys, time
import torch
torch.set_num_threads(1)
job = json.load(sys.stdin)
out = {}
for k, data, min_ms in zip(job["sizes"], job["matrices"], job["min_ms"]):
    a = torch.tensor(data, dtype=torch.float64).reshape(k, k)
    for _ in range(3):
        torch.linalg.eigh(a)
    times = []
    for _ in range(job["rounds"]):
        start = now = time.perf_counter()
        calls = 0
        while (now - start) * 1000 < min_ms or calls < 3:
            torch.linalg.eigh(a)
            then = time.perf_counter()
            times.append((then - now) * 1000)
            now = then
            calls += 1
    times.sort()
    n = len(times)
    out[str(k)] = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
print(json.dumps({"torch": torch.__version__, "ms": out}))
`;

function torchPeer(matrices: readonly Float64Array[]): TorchResult | string {
  try {
    const job = { sizes: SIZES, matrices: matrices.map((m) => Array.from(m)), min_ms: SIZES.map(() => MIN_MS / ROUNDS), rounds: ROUNDS };
    const out = execFileSync(PEER_PYTHON, ['-c', TORCH_SCRIPT], {
      input: JSON.stringify(job),
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', OMP_WAIT_POLICY: 'PASSIVE' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return JSON.parse(out) as TorchResult;
  } catch (error) {
    const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `skipped: ${PEER_PYTHON} with torch did not run (${text})`;
  }
}

async function main(): Promise<void> {
  const matrices = SIZES.map((k, i) => gram(k, 1000 + i));
  const rows: { k: number; host: number; js: number; ml: number; dLambda: number }[] = [];
  for (const [i, k] of SIZES.entries()) {
    const m = matrices[i];
    const host: number[] = [];
    const js: number[] = [];
    const ml: number[] = [];
    // Untimed first: V8 optimises a function's loops only after it has run them for a while.
    await timeCalls(() => hostEigh(m, k), WARMUP_MS);
    await timeCalls(() => hostEigh(m, k, { lapack: null }), WARMUP_MS);
    await timeCalls(() => mlMatrixEigh(m, k), WARMUP_MS);
    for (let round = 0; round < ROUNDS; round++) {
      host.push(...(await timeCalls(() => hostEigh(m, k), MIN_MS / ROUNDS)));
      js.push(...(await timeCalls(() => hostEigh(m, k, { lapack: null }), MIN_MS / ROUNDS)));
      ml.push(...(await timeCalls(() => mlMatrixEigh(m, k), MIN_MS / ROUNDS)));
    }
    const mine = hostEigh(m, k).values;
    const theirs = mlMatrixEigh(m, k).sort((a, b) => b - a);
    let dLambda = 0;
    for (let j = 0; j < k; j++) dLambda = Math.max(dLambda, Math.abs(mine[j] - theirs[j]));
    rows.push({ k, host: median(host), js: median(js), ml: median(ml), dLambda: dLambda / Math.max(Math.abs(mine[0]), Math.abs(mine[k - 1])) });
  }
  const torch = torchPeer(matrices);

  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  const cores = availableParallelism();
  console.log(`hostEigh: ${hostEighSolver()}`);
  console.log(`load average at end (1, 5, 15 min): ${load} on ${cores} cores${loadavg()[0] > cores ? ' (busy: numbers are noisy)' : ''}`);
  console.log(
    typeof torch === 'string'
      ? `torch.linalg.eigh ${torch}`
      : `peer: torch.linalg.eigh, PyTorch ${torch.torch}, float64, 1 thread; Gram matrices ZᵀZ/n, n = 2k; median ms per call`,
  );
  const widths = [5, 13, 13, 13, 13, 13, 13, 16];
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('');
  console.log(line(['k', 'hostEigh ms', 'JS solver ms', 'ml-matrix ms', 'torch ms', 'host/ml', 'host/torch', 'max|Δλ|/|λ|max']));
  for (const r of rows) {
    const t = typeof torch === 'string' ? undefined : torch.ms[String(r.k)];
    console.log(
      line([
        String(r.k),
        r.host.toFixed(3),
        r.js.toFixed(3),
        r.ml.toFixed(3),
        t === undefined ? '-' : t.toFixed(3),
        (r.host / r.ml).toFixed(3),
        t === undefined ? '-' : (r.host / t).toFixed(2),
        r.dLambda.toExponential(1),
      ]),
    );
  }
  console.log('ratios: hostEigh seconds per call / the other solver\'s (lower is better)');
}

await main();
