/**
 * `npm run bench:eigh [-- --sizes 64,128,256,512,1024] [-- --min-ms 400] [-- --rounds 4]
 * [-- --js-max 512] [-- --ml-max 256] [-- --warm-max 256] [-- --jacobi-max 128] [-- --step 1e-3]`: milliseconds per
 * symmetric eigendecomposition (values and vectors) of every way dflc has or could have:
 *
 * - `hostEigh dsyevd`: hostEigh with the platform's LAPACK `dsyevd` (float64; its default, and what
 *   the eval metrics and generated modules run), named at the top; every ratio is to this row;
 * - `hostEigh ssyevd`: the float32 routine, what ONNX and tfjs run (FLOAT32_ENGINE_ROUTINE);
 * - `hostEigh dsyevr`: LAPACK's MRRR solver, float64;
 * - `ssyevd alone`: lapackEigh's ssyevd call without hostEigh's symmetrising, scaling, sorting and
 *   sign fixing (what those and their float64 <-> float32 copies cost);
 * - `dsyevd no reuse`: dsyevd with a fresh workspace each call (a new library object), as before
 *   workspaces were kept;
 * - `dsyevd 2 threads`: OpenBLAS with 2 threads instead of the 1 that dflc sets;
 * - `ref LAPACK dsyevd`: Debian's reference liblapack.so.3 (whose BLAS is the libblas.so.3 the
 *   alternatives name), when it loads;
 * - `warm start`: the previous step's eigenvectors as a start (bench/eigh-warm-start.ts: two dgemm
 *   rotations, cyclic Jacobi sweeps in JavaScript, one dgemm back), up to --warm-max;
 * - `JS solver`: hostEigh without LAPACK (Householder + QL), up to --js-max;
 * - `Jacobi JS` and `Jacobi wasm`: cyclic Jacobi from scratch (jacobi-eigen.ts, hostEigh's last
 *   fallback) and the same algorithm compiled to WebAssembly (bench/eigh-wasm/, built with nightly
 *   rustc when it can be; a line says why not), up to --jacobi-max: what WebAssembly gains over
 *   JavaScript for one solver, all else equal;
 * - `ml-matrix`: EigenvalueDecomposition (the reference backend's oracle), up to --ml-max;
 * - and, when Debian's PyTorch is there, torch.linalg.eigh (LAPACK, float64, 1 thread) as the peer.
 *
 * The matrices are those of two consecutive training steps: covariances ZᵀZ / n of a seeded
 * random Z (n = 2k), and of Z moved by --step times a fresh normal-ish draw per entry (the order of
 * an Adam step with learning rate 1e-3 on unit-scale embeddings). Every way decomposes the second;
 * the warm start begins from the first's eigenvectors. Each size is timed in alternating rounds
 * (every way once per round, each repeated for at least --min-ms / rounds and 3 calls), after
 * untimed calls (250 ms for the JavaScript ways, which V8 optimises only after a while; one call
 * for the others); the median over all calls is printed, with the ratio to `hostEigh dsyevd`
 * (same run: the machine's speed drifts, ratios much less) and the largest eigenvalue difference
 * from it relative to the largest |λ| (torch: the same timing, in its own process afterwards).
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { hostEigh, hostEighSolver } from '../runtime/executors/host/host-eigh.ts';
import { lapackEigh } from '../runtime/executors/host/lapack-eigh.ts';
import { lapackLibrary, loadLapack, type LapackLibrary } from '../runtime/executors/host/lapack-library.ts';
import { jacobiEigen } from '../runtime/executors/host/jacobi-eigen.ts';
import { wasmJacobi } from './eigh-wasm.ts';
import { sweepsNeeded, warmStartEigh } from './eigh-warm-start.ts';
import { median, timeCalls } from './timing.ts';
import { PEER_PYTHON } from './json-line-peer.ts';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,128,256,512,1024' },
    'min-ms': { type: 'string', default: '400' },
    rounds: { type: 'string', default: '4' },
    'js-max': { type: 'string', default: '512' },
    'ml-max': { type: 'string', default: '256' },
    'warm-max': { type: 'string', default: '256' },
    'jacobi-max': { type: 'string', default: '128' },
    step: { type: 'string', default: '1e-3' },
  },
});
const SIZES = flags.sizes.split(',').map(Number);
const MIN_MS = Number(flags['min-ms']);
const ROUNDS = Number(flags.rounds);
const STEP = Number(flags.step);
/** Jacobi sweeps the warm start and the cold Jacobi rows may take before they count as failed. */
const WARM_SWEEPS = 30;
/** Debian's reference LAPACK, beside OpenBLAS's. */
const REFERENCE_LAPACK = `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/lapack/liblapack.so.3`;
const WARMUP_MS = 250;

/** Covariances ZᵀZ / n (n = 2k) of two consecutive steps: Z, then Z + step * noise. */
function consecutive(k: number, seed: number, step: number): [Float64Array, Float64Array] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const n = 2 * k;
  const z = Float64Array.from({ length: n * k }, next);
  const first = covariance(z, n, k);
  for (let i = 0; i < z.length; i++) z[i] += step * next();
  return [first, covariance(z, n, k)];
}

function covariance(z: Float64Array, n: number, k: number): Float64Array {
  const m = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      const zi = z[r * k + i] / n;
      for (let j = 0; j < k; j++) m[i * k + j] += zi * z[r * k + j];
    }
  }
  return m;
}

function mlMatrixEigh(m: Float64Array, k: number): ArrayLike<number> {
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

/** One way of decomposing the step's matrix; eigenvalues back, in any order. */
interface Way {
  readonly name: string;
  readonly maxK: number;
  /** Whether V8 must warm it up (JavaScript loops) before it is timed. */
  readonly javascript: boolean;
  readonly run: (m: Float64Array, k: number, previous: Float64Array) => ArrayLike<number>;
}

function ways(lapack: LapackLibrary | null): { ways: Way[]; notes: string[] } {
  const notes: string[] = [];
  const all: Way[] = [];
  const every = Infinity;
  if (lapack === null) {
    notes.push(`no LAPACK rows: ${hostEighSolver()}`);
  } else {
    all.push({ name: 'hostEigh dsyevd', maxK: every, javascript: false, run: (m, k) => hostEigh(m, k, { lapack }).values });
    for (const routine of ['ssyevd', 'dsyevr'] as const) {
      if (lapack[routine] === undefined) notes.push(`no ${routine} in this LAPACK`);
      else all.push({ name: `hostEigh ${routine}`, maxK: every, javascript: false, run: (m, k) => hostEigh(m, k, { lapack, routine }).values });
    }
    if (lapack.ssyevd !== undefined) {
      all.push({ name: 'ssyevd alone', maxK: every, javascript: false, run: (m, k) => lapackEigh(lapack, m, k, 'ssyevd')!.lambda });
    }
    // A new object each call: lapackEigh keeps workspaces per library object.
    all.push({ name: 'dsyevd no reuse', maxK: every, javascript: false, run: (m, k) => hostEigh(m, k, { lapack: { ...lapack } }).values });
    const setThreads = lapack.setThreads;
    if (setThreads === undefined) notes.push('no thread count to set (not OpenBLAS)');
    else {
      all.push({
        name: 'dsyevd 2 threads',
        maxK: every,
        javascript: false,
        run: (m, k) => {
          setThreads(2);
          try {
            return hostEigh(m, k, { lapack }).values;
          } finally {
            setThreads(1);
          }
        },
      });
    }
    const reference = loadLapack(REFERENCE_LAPACK);
    if ('dsyevd' in reference) all.push({ name: 'ref LAPACK dsyevd', maxK: every, javascript: false, run: (m, k) => hostEigh(m, k, { lapack: reference }).values });
    else notes.push(`no reference LAPACK row: ${reference.reason}`);
    const dgemm = lapack.dgemm;
    if (dgemm === undefined) notes.push('no warm start row: this LAPACK has no dgemm');
    else {
      all.push({
        name: 'warm start',
        maxK: Number(flags['warm-max']),
        javascript: true,
        run: (m, k, previous) => warmStartEigh(dgemm, m, previous, k, WARM_SWEEPS)?.lambda ?? new Float64Array(k).fill(Number.NaN),
      });
    }
  }
  const jacobiMax = Number(flags['jacobi-max']);
  all.push({
    name: 'Jacobi JS',
    maxK: jacobiMax,
    javascript: true,
    run: (m, k) => {
      const a = Float64Array.from(m);
      return jacobiEigen(a, new Float64Array(k * k), k, WARM_SWEEPS) ? Float64Array.from({ length: k }, (_, i) => a[i * k + i]) : new Float64Array(k).fill(Number.NaN);
    },
  });
  const wasm = wasmJacobi();
  if (typeof wasm === 'string') notes.push(`no Jacobi wasm row: ${wasm}`);
  else all.push({ name: 'Jacobi wasm', maxK: jacobiMax, javascript: true, run: (m, k) => wasm(m, k, WARM_SWEEPS) ?? new Float64Array(k).fill(Number.NaN) });
  all.push({ name: 'JS solver', maxK: Number(flags['js-max']), javascript: true, run: (m, k) => hostEigh(m, k, { lapack: null }).values });
  all.push({ name: 'ml-matrix', maxK: Number(flags['ml-max']), javascript: true, run: mlMatrixEigh });
  return { ways: all, notes };
}

interface Row {
  readonly k: number;
  readonly way: string;
  readonly ms: number;
  readonly dLambda: number;
}

/** max |Δλ| / max |λ| between two eigenvalue lists, each sorted first. */
function eigenvalueGap(mine: ArrayLike<number>, theirs: ArrayLike<number>): number {
  const a = Array.from(mine).sort((x, y) => x - y);
  const b = Array.from(theirs).sort((x, y) => x - y);
  let gap = 0;
  let top = 0;
  for (let i = 0; i < a.length; i++) {
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
    top = Math.max(top, Math.abs(b[i]));
  }
  return Number.isNaN(gap) ? Number.NaN : gap / top;
}

/** The previous step's eigenvectors, as the warm start takes them (row-major, as columns). */
function eigenvectors(m: Float64Array, k: number, lapack: LapackLibrary | null): Float64Array {
  return hostEigh(m, k, { lapack }).vectors;
}

async function main(): Promise<void> {
  const platform = lapackLibrary();
  const lapack = 'dsyevd' in platform ? platform : null;
  const { ways: all, notes } = ways(lapack);
  const pairs = SIZES.map((k, i) => consecutive(k, 1000 + i, STEP));
  const rows: Row[] = [];
  const sweeps: string[] = [];
  for (const [i, k] of SIZES.entries()) {
    const [before, m] = pairs[i];
    const previous = eigenvectors(before, k, lapack);
    const here = all.filter((w) => k <= w.maxK);
    const times = new Map(here.map((w) => [w.name, [] as number[]]));
    for (const way of here) {
      if (way.javascript) await timeCalls(() => way.run(m, k, previous), WARMUP_MS);
      else way.run(m, k, previous);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const way of here) times.get(way.name)!.push(...(await timeCalls(() => way.run(m, k, previous), MIN_MS / ROUNDS)));
    }
    const baseline = here[0].run(m, k, previous);
    for (const way of here) rows.push({ k, way: way.name, ms: median(times.get(way.name)!), dLambda: eigenvalueGap(way.run(m, k, previous), baseline) });
    if (lapack?.dgemm !== undefined && here.some((w) => w.name === 'warm start')) {
      sweeps.push(`k=${k}: ${sweepsNeeded(lapack.dgemm, m, previous, k, WARM_SWEEPS) ?? `> ${WARM_SWEEPS}`}`);
    }
  }
  const torch = torchPeer(pairs.map(([, m]) => m));

  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  const cores = availableParallelism();
  console.log(`hostEigh: ${hostEighSolver()}; float32 engines: ${hostEighSolver('ssyevd')}`);
  for (const note of notes) console.log(note);
  console.log(`load average at end (1, 5, 15 min): ${load} on ${cores} cores${loadavg()[0] > cores ? ' (busy: numbers are noisy, ratios less so)' : ''}`);
  console.log(`matrices: ZᵀZ/n of the step after Z (n = 2k), Z moved by ${STEP} x noise; warm start Jacobi sweeps needed: ${sweeps.join(', ') || 'not run'}`);
  console.log(
    typeof torch === 'string'
      ? `torch.linalg.eigh ${torch}`
      : `peer: torch.linalg.eigh, PyTorch ${torch.torch}, float64, 1 thread`,
  );
  const widths = [6, 20, 12, 14, 16];
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
  console.log(line(['k', 'way', 'median ms', 'ratio', 'max|Δλ|/|λ|max']));
  for (const k of SIZES) {
    const here = rows.filter((r) => r.k === k);
    const base = here[0].ms;
    for (const r of here) console.log(line([String(k), r.way, r.ms.toFixed(3), (r.ms / base).toFixed(2), r.dLambda.toExponential(1)]));
    const t = typeof torch === 'string' ? undefined : torch.ms[String(k)];
    if (t !== undefined) console.log(line([String(k), 'torch.linalg.eigh', t.toFixed(3), (t / base).toFixed(2), '-']));
  }
  console.log(`ratio: median seconds per call / ${all[0].name}'s at the same k, same run (lower is better); Δλ against it too`);
}

await main();
