/**
 * `npm run bench:train [-- --batch 256 --dim 64 ...]`: training steps per second of the EHR
 * encoder with the card's objective,
 *
 *   balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)
 *
 * on each TensorFlow.js backend, beside the same model, loss and Adam written by hand in PyTorch
 * (bench/train_torch.py, run by Debian's /usr/bin/python3) on the same batches from the same
 * initial parameters. It prints one table: ms per step (median, p90), steps/s, and the ratio
 * dflc seconds per step / PyTorch seconds per step for PyTorch on 1 and on 2 threads (target <= 1).
 *
 * How it measures: the batches (seeded PRNG) and the initial parameters are written as .npy into
 * a temporary folder that both sides read. One dflc step is one `executor.run` of the compiled
 * step program with everything the training loop does (upload of parameters, Adam moments and
 * batch; read-back of every output), as runtime/train/trainer.ts does. The PyTorch step is
 * zero_grad + forward + backward + Adam + loss.item(). Both start from the same state at step 1 and
 * cycle through the same batches; the first `--warmup` steps of each block are not timed. The
 * timed steps run in `--rounds` rounds that alternate dflc (wasm) and PyTorch, so a change of the
 * machine's load hits both; medians are over all rounds. `cpu` (pure JS, slow) and the native
 * backends run once per bench, with `--cpu-steps` timed steps for cpu.
 *
 * Numerics: the losses of steps 1..3 (the first step's loss is at the initial parameters; later
 * ones follow Adam's updates) from dflc on wasm against PyTorch float32 must agree within 1e-3
 * relative; PyTorch float64 is printed beside them as the reference. A disagreement sets exit code 1.
 *
 * `--profile-steps N` (default 3, 0 to skip) runs N more wasm steps through a copy of the
 * executor's loop that times every IR node, and prints where a step's time goes, by op and by node.
 */
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Float32Tensor } from '../compiler/backends/executor.ts';
import { BackendUnavailableError } from '../compiler/backends/executor.ts';
import { bindSizes } from '../compiler/backends/tfjs/bind-sizes.ts';
import type { ConcreteBackend } from '../compiler/backends/tfjs/load-backend.ts';
import { tfjsLowerings, type TfValue } from '../compiler/backends/tfjs/lowering.ts';
import { TfjsExecutor } from '../compiler/backends/tfjs/tfjs-executor.ts';
import { topoOrder, type Node, type Program } from '../compiler/ir/node.ts';
import { formatShape } from '../compiler/ir/shape.ts';
import { Rng } from '../runtime/data/prng.ts';
import { adamMName, adamVName, initParams, paramInputName } from '../runtime/model/params.ts';
import { dataInputName } from '../runtime/model/slot-embedding.ts';
import { buildTrainProgram } from '../runtime/model/train-program.ts';
import { DEFAULT_ADAM, EHR_FIELDS, type ModelConfig, type TrainProgram } from '../runtime/model/train-spec.ts';
import { checkObjective } from '../runtime/objective.ts';
import { formatNpy } from '../runtime/io/npy.ts';

/** The card's objective (examples/card.dfl). bench/train_torch.py writes exactly this by hand. */
const CARD_OBJECTIVE = 'balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)';
const PEER_PYTHON = '/usr/bin/python3';
const NUMERICS_STEPS = 3;
const NUMERICS_TOLERANCE = 1e-3;

const { values: flags } = parseArgs({
  options: {
    batch: { type: 'string', default: '256' },
    dim: { type: 'string', default: '64' },
    hidden: { type: 'string', default: '128' },
    'code-rows': { type: 'string', default: '4096' },
    'lab-features': { type: 'string', default: '32' },
    events: { type: 'string', default: '40' },
    batches: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '5' },
    steps: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '4' },
    'cpu-steps': { type: 'string', default: '3' },
    'torch-threads': { type: 'string', default: '1,2' },
    'profile-steps': { type: 'string', default: '3' },
    backends: { type: 'string', default: 'wasm,cpu,tensorflow,tensorflow-gpu' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

function int(name: keyof typeof flags, min = 1): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`--${name} must be an integer >= ${min}, got ${String(flags[name])}`);
  return value;
}

const config: ModelConfig = {
  modality: 'ehr',
  batch: int('batch'),
  dim: int('dim'),
  hidden: int('hidden'),
  codeRows: int('code-rows'),
  labFeatures: int('lab-features'),
  textRows: 1,
};
const EVENTS = int('events');
const BATCHES = int('batches');
const WARMUP = int('warmup', 0);
const STEPS = int('steps');
const ROUNDS = int('rounds');
const CPU_STEPS = int('cpu-steps', 0);
const PROFILE_STEPS = int('profile-steps', 0);
const SEED = int('seed', 0);
const LR = Number(flags.lr);
const TORCH_THREADS = flags['torch-threads']!.split(',').map((s) => Number(s.trim()));
const BACKENDS = flags.backends!.split(',').map((s) => s.trim()) as ConcreteBackend[];

// ---------------------------------------------------------------------------------------------
// Data: a fixed set of random batches and the initial state.

type Inputs = Map<string, Float32Tensor>;

/**
 * One slot's EHR fields: each window has about EVENTS events (uniform in [EVENTS/2, 3 EVENTS/2]),
 * code ids skewed towards frequent codes (id = floor(rows u²)), time-decay weights exp(-age/30 d)
 * for ages uniform in 90 days, normalised per row; about 30% of the lab features present, N(0, 1).
 */
function slotBatch(rng: Rng, slot: number, out: Inputs): void {
  const ids: number[] = [];
  const weights: number[] = [];
  const rows: number[] = [];
  for (let r = 0; r < config.batch; r++) {
    const count = Math.max(1, Math.round(EVENTS * (0.5 + rng.float())));
    const start = weights.length;
    let total = 0;
    for (let e = 0; e < count; e++) {
      ids.push(Math.floor(config.codeRows * rng.float() ** 2));
      const w = Math.exp(-rng.uniform(0, 90) / 30);
      weights.push(w);
      rows.push(r);
      total += w;
    }
    for (let e = start; e < weights.length; e++) weights[e] /= total;
  }
  const labs = new Float32Array(config.batch * config.labFeatures);
  for (let i = 0; i < labs.length; i++) labs[i] = rng.bernoulli(0.3) ? rng.normal() : 0;
  const list = (xs: number[]): Float32Tensor => ({ shape: [xs.length], data: Float32Array.from(xs) });
  out.set(dataInputName(slot, 'code_ids'), list(ids));
  out.set(dataInputName(slot, 'code_weights'), list(weights));
  out.set(dataInputName(slot, 'code_rows'), list(rows));
  out.set(dataInputName(slot, 'labs'), { shape: [config.batch, config.labFeatures], data: labs });
}

function makeBatches(train: TrainProgram): Inputs[] {
  return Array.from({ length: BATCHES }, (_, k) => {
    const out: Inputs = new Map();
    for (const slot of train.slots) slotBatch(Rng.from(SEED, 0xbe7c4, k, slot), slot, out);
    return out;
  });
}

function initialState(train: TrainProgram): Inputs {
  const values = initParams(train.params, SEED);
  const state: Inputs = new Map();
  for (const spec of train.params) {
    state.set(paramInputName(spec.name), { shape: [...spec.shape], data: values.get(spec.name)! });
    state.set(adamMName(spec.name), { shape: [...spec.shape], data: new Float32Array(values.get(spec.name)!.length) });
    state.set(adamVName(spec.name), { shape: [...spec.shape], data: new Float32Array(values.get(spec.name)!.length) });
  }
  return state;
}

/** Writes the initial parameters and the batches as .npy, and meta.json describing them, for the PyTorch side. */
function writeArrays(dir: string, train: TrainProgram, state: Inputs, batches: Inputs[]): void {
  mkdirSync(dir, { recursive: true });
  const save = (file: string, t: Float32Tensor) => writeFileSync(join(dir, file), formatNpy({ dtype: 'float32', shape: t.shape, data: t.data }));
  const params: Record<string, string> = {};
  for (const spec of train.params) {
    params[spec.name] = `param.${spec.name}.npy`;
    save(params[spec.name], state.get(paramInputName(spec.name))!);
  }
  const batchFiles = batches.map((batch, k) =>
    Object.fromEntries(
      train.slots.map((slot) => [
        String(slot),
        Object.fromEntries(
          EHR_FIELDS.map((field) => {
            const file = `batch${k}.slot${slot}.${field}.npy`;
            save(file, batch.get(dataInputName(slot, field))!);
            return [field, file];
          }),
        ),
      ]),
    ),
  );
  const meta = {
    objective: CARD_OBJECTIVE,
    config,
    slots: train.slots,
    params,
    batches: batchFiles,
    adam: DEFAULT_ADAM,
    lr: LR,
    numerics_steps: NUMERICS_STEPS,
  };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
}

// ---------------------------------------------------------------------------------------------
// Timing.

interface Block {
  /** Loss of every step of the block, from step 1. */
  readonly losses: number[];
  /** Wall ms of each timed step. */
  readonly ms: number[];
}

/** Runs `warmup + steps` training steps from the initial state; times the last `steps`. */
async function dflcBlock(executor: TfjsExecutor, train: TrainProgram, start: Inputs, batches: Inputs[], warmup: number, steps: number): Promise<Block> {
  const stateNames = train.params.flatMap((p) => [paramInputName(p.name), adamMName(p.name), adamVName(p.name)]);
  let state = new Map(start);
  const losses: number[] = [];
  const ms: number[] = [];
  for (let step = 1; step <= warmup + steps; step++) {
    const inputs: Inputs = new Map(state);
    inputs.set('step', { shape: [], data: Float32Array.of(step) });
    inputs.set('lr', { shape: [], data: Float32Array.of(LR) });
    for (const [name, t] of batches[(step - 1) % batches.length]) inputs.set(name, t);
    const t0 = performance.now();
    const outputs = await executor.run(train.program, inputs);
    const elapsed = performance.now() - t0;
    if (step > warmup) ms.push(elapsed);
    losses.push(outputs.get('loss')!.data[0]);
    state = new Map(stateNames.map((name) => [name, outputs.get(name)!]));
  }
  return { losses, ms };
}

interface TorchResult {
  readonly torch: string;
  readonly blas: string;
  /** By thread count. */
  readonly runs: Record<string, { losses: number[]; ms: number[]; terms: number[][] }>;
  readonly float64?: { losses: number[]; terms: number[][] };
}

function runTorch(dir: string, warmup: number, steps: number, numerics: boolean): TorchResult {
  const script = fileURLToPath(new URL('./train_torch.py', import.meta.url));
  const args = [script, dir, '--threads', TORCH_THREADS.join(','), '--warmup', String(warmup), '--steps', String(steps)];
  if (numerics) args.push('--float64');
  let output: string;
  try {
    output = execFileSync(PEER_PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (error) {
    throw new Error(`the PyTorch peer (${PEER_PYTHON} ${script}) failed: ${(error as Error).message.split('\n')[0]}`);
  }
  return JSON.parse(output) as TorchResult;
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

// ---------------------------------------------------------------------------------------------
// Profile: the executor's loop (compiler/backends/tfjs/run-program.ts) with a clock around every node.

interface NodeTime {
  readonly node: Node;
  ms: number;
}

function profileStep(program: Program, inputs: Inputs, times: Map<number, NodeTime>): { upload: number; run: number; readback: number } {
  const t0 = performance.now();
  const uploaded = new Map<string, tf.Tensor>();
  for (const [name, input] of inputs) uploaded.set(name, tf.tensor(input.data, [...input.shape], 'float32'));
  const t1 = performance.now();
  const sizes = bindSizes(program, new Map([...uploaded].map(([name, t]) => [name, t.shape])));
  const order = topoOrder(program.outputs.map((o) => o.node));
  const ctx = {
    dim: (dim: number | string) => (typeof dim === 'number' ? dim : sizes.get(dim)!),
    input: (name: string) => uploaded.get(name)!,
  };
  const values = new Map<number, TfValue>();
  const outputs = tf.tidy(() => {
    for (const node of order) {
      const args = node.inputs.map((input) => values.get(input.id)!);
      const start = performance.now();
      const value = tfjsLowerings[node.op].lower(args, node.attrs, ctx, node);
      const elapsed = performance.now() - start;
      const entry = times.get(node.id) ?? { node, ms: 0 };
      entry.ms += elapsed;
      times.set(node.id, entry);
      values.set(node.id, value);
    }
    return program.outputs.map((o) => values.get(o.node.id) as tf.Tensor);
  });
  const t2 = performance.now();
  for (const t of outputs) t.dataSync();
  const t3 = performance.now();
  tf.dispose([...uploaded.values()]);
  tf.dispose(outputs);
  return { upload: t1 - t0, run: t2 - t1, readback: t3 - t2 };
}

function printProfile(train: TrainProgram, start: Inputs, batches: Inputs[], steps: number, executorMs: number): void {
  const times = new Map<number, NodeTime>();
  const phases = { upload: 0, run: 0, readback: 0 };
  const stateNames = train.params.flatMap((p) => [paramInputName(p.name), adamMName(p.name), adamVName(p.name)]);
  // Two unprofiled-in-total steps first so that kernels and buffers are warm, then `steps` measured.
  for (let step = 1; step <= steps + 1; step++) {
    const inputs: Inputs = new Map(start);
    inputs.set('step', { shape: [], data: Float32Array.of(step) });
    inputs.set('lr', { shape: [], data: Float32Array.of(LR) });
    for (const [name, t] of batches[(step - 1) % batches.length]) inputs.set(name, t);
    for (const name of stateNames) if (!inputs.has(name)) throw new Error(`profile: no ${name}`);
    const stepTimes = step === 1 ? new Map<number, NodeTime>() : times;
    const p = profileStep(train.program, inputs, stepTimes);
    if (step > 1) {
      phases.upload += p.upload;
      phases.run += p.run;
      phases.readback += p.readback;
    }
  }
  const per = (ms: number) => ms / steps;
  const total = per(phases.upload + phases.run + phases.readback);
  console.log(
    `\nprofile (wasm, ${steps} steps, wall time per IR node; ${[...times.values()].length} nodes): ` +
      `${total.toFixed(1)} ms/step = upload ${per(phases.upload).toFixed(1)} + nodes ${per(phases.run).toFixed(1)} + read-back ${per(phases.readback).toFixed(1)} ` +
      `(executor.run median above: ${executorMs.toFixed(1)} ms)`,
  );
  const byOp = new Map<string, { ms: number; count: number }>();
  for (const { node, ms } of times.values()) {
    const entry = byOp.get(node.op) ?? { ms: 0, count: 0 };
    entry.ms += ms;
    entry.count++;
    byOp.set(node.op, entry);
  }
  const nodeTotal = per(phases.run);
  console.log('  by op:            ms/step   share   nodes');
  for (const [op, { ms, count }] of [...byOp].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
    console.log(`  ${op.padEnd(16)} ${per(ms).toFixed(2).padStart(8)} ${((100 * per(ms)) / nodeTotal).toFixed(1).padStart(6)}%  ${String(count).padStart(5)}`);
  }
  console.log('  top nodes:        ms/step   shape <- input shapes');
  for (const { node, ms } of [...times.values()].sort((a, b) => b.ms - a.ms).slice(0, 15)) {
    const ins = node.inputs.map((i) => formatShape(i.shape)).join(', ');
    console.log(`  ${node.op.padEnd(16)} ${per(ms).toFixed(2).padStart(8)}   ${formatShape(node.shape)} <- ${ins}`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`bench:train  objective: ${CARD_OBJECTIVE}`);
  console.log(
    `model: EHR encoder, batch ${config.batch}, dim ${config.dim}, hidden ${config.hidden}, codeRows ${config.codeRows}, ` +
      `labFeatures ${config.labFeatures}, ~${EVENTS} events per window; ${BATCHES} batches, lr ${LR}, seed ${SEED}`,
  );
  console.log(`load average at start (1, 5, 15 min): ${load()}`);

  const checked = checkObjective('card.dfl', CARD_OBJECTIVE);
  if (checked.program === undefined) throw new Error(`the card objective does not compile: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  const compileStart = performance.now();
  const train = buildTrainProgram({ program: checked.program, terms: checked.terms }, config);
  const compileMs = performance.now() - compileStart;
  const nodes = topoOrder(train.program.outputs.map((o) => o.node)).length;
  console.log(`compiled the step program in ${(compileMs / 1000).toFixed(2)} s: ${nodes} nodes, slots ${train.slots.join(', ')}`);

  const start = initialState(train);
  const batches = makeBatches(train);
  const events = batches.map((b) => b.get(dataInputName(0, 'code_ids'))!.shape[0]);
  const dir = flags.dir ?? mkdtempSync(join(tmpdir(), 'dflc-bench-train-'));
  writeArrays(dir, train, start, batches);
  console.log(`arrays for both sides in ${dir} (events per slot per batch ${Math.min(...events)}..${Math.max(...events)})`);

  const wasm = BACKENDS.includes('wasm') ? await TfjsExecutor.create('wasm') : undefined;
  const dflcMs = new Map<string, number[]>();
  const notes = new Map<string, string>();
  const torchMs = new Map<number, number[]>();
  let wasmLosses: number[] | undefined;
  let torchFirst: TorchResult | undefined;

  // Alternating rounds: dflc wasm, then PyTorch on every thread count.
  for (let round = 0; round < ROUNDS; round++) {
    if (wasm !== undefined) {
      const block = await dflcBlock(wasm, train, start, batches, Math.max(WARMUP, round === 0 ? NUMERICS_STEPS : 0), STEPS);
      wasmLosses ??= block.losses;
      dflcMs.set('wasm', [...(dflcMs.get('wasm') ?? []), ...block.ms]);
    }
    const torch = runTorch(dir, Math.max(WARMUP, NUMERICS_STEPS), STEPS, round === 0);
    torchFirst ??= torch;
    for (const threads of TORCH_THREADS) torchMs.set(threads, [...(torchMs.get(threads) ?? []), ...torch.runs[String(threads)].ms]);
    console.log(
      `round ${round + 1}/${ROUNDS}: ` +
        [
          wasm === undefined ? '' : `wasm ${quantile(dflcMs.get('wasm')!.slice(-STEPS), 0.5).toFixed(1)} ms`,
          ...TORCH_THREADS.map((t) => `torch ${t}T ${quantile(torch.runs[String(t)].ms, 0.5).toFixed(1)} ms`),
        ]
          .filter((s) => s !== '')
          .join(', ') +
        `  (load ${load()})`,
    );
  }

  for (const backend of BACKENDS.filter((b) => b !== 'wasm')) {
    if (backend === 'cpu' && CPU_STEPS === 0) {
      notes.set(backend, 'skipped (--cpu-steps 0)');
      continue;
    }
    let executor: TfjsExecutor;
    try {
      executor = await TfjsExecutor.create(backend);
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      notes.set(backend, `skipped: ${error.message.split(';')[0].replace(/^--backend \S+:? ?/, '')}`);
      continue;
    }
    const steps = backend === 'cpu' ? CPU_STEPS : STEPS * ROUNDS;
    const block = await dflcBlock(executor, train, start, batches, backend === 'cpu' ? 1 : WARMUP, steps);
    dflcMs.set(backend, block.ms);
    executor.dispose();
    if (backend === 'cpu') notes.set(backend, `${steps} timed steps after 1 warm-up (--cpu-steps)`);
  }

  // The table.
  const torchMedian = new Map(TORCH_THREADS.map((t) => [t, quantile(torchMs.get(t)!, 0.5)]));
  const busy = loadavg()[0] > availableParallelism();
  console.log(
    `\nload average at end (1, 5, 15 min): ${load()} on ${availableParallelism()} cores` +
      (busy ? ': the machine is busy, so every number below is noisy (PyTorch on 2 threads suffers most)' : ''),
  );
  console.log(`PyTorch ${torchFirst!.torch} (${torchFirst!.blas}), float32; dflc float32 (eigh on the host in float64)`);
  const head = ['backend', 'ms/step med', 'p90', 'steps/s', ...TORCH_THREADS.map((t) => `ratio vs torch ${t}T`), 'timed steps'];
  const rows: string[][] = [];
  for (const backend of BACKENDS) {
    const ms = dflcMs.get(backend);
    if (ms === undefined) {
      rows.push([`dflc ${backend}`, notes.get(backend) ?? 'not run']);
      continue;
    }
    const med = quantile(ms, 0.5);
    rows.push([
      `dflc ${backend}`,
      med.toFixed(1),
      quantile(ms, 0.9).toFixed(1),
      (1000 / med).toFixed(2),
      ...TORCH_THREADS.map((t) => (med / torchMedian.get(t)!).toFixed(2)),
      `${ms.length}${notes.has(backend) ? ` (${notes.get(backend)})` : ''}`,
    ]);
  }
  for (const t of TORCH_THREADS) {
    const ms = torchMs.get(t)!;
    const med = torchMedian.get(t)!;
    rows.push([`PyTorch ${t} thread${t === 1 ? '' : 's'}`, med.toFixed(1), quantile(ms, 0.9).toFixed(1), (1000 / med).toFixed(2), ...TORCH_THREADS.map((u) => (med / torchMedian.get(u)!).toFixed(2)), String(ms.length)]);
  }
  const table = rows.filter((r) => r.length > 2);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.length === 2
      ? `${cells[0].padEnd(widths[0])}  ${cells[1]}`
      : cells.map((c, i) => (i === cells.length - 1 ? c : i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  console.log('ratio = dflc seconds per step / PyTorch seconds per step (median over timed steps; lower is better, target <= 1.0)');
  const wasmMed = dflcMs.has('wasm') ? quantile(dflcMs.get('wasm')!, 0.5) : undefined;
  if (wasmMed !== undefined) {
    const best = Math.min(...[...dflcMs.values()].map((ms) => quantile(ms, 0.5)));
    const verdicts = TORCH_THREADS.map((t) => `${(best / torchMedian.get(t)!).toFixed(2)} vs ${t} thread${t === 1 ? '' : 's'}`);
    const met = TORCH_THREADS.every((t) => best <= torchMedian.get(t)!);
    console.log(`best dflc backend: ratio ${verdicts.join(', ')}: target ${met ? 'met' : 'NOT met'}`);
  }

  // Numerics.
  if (wasmLosses !== undefined) {
    const f32 = torchFirst!.runs[String(TORCH_THREADS[0])].losses;
    const f64 = torchFirst!.float64?.losses;
    console.log(`\nnumerics: loss at steps 1..${NUMERICS_STEPS}, dflc wasm vs PyTorch float32 (${TORCH_THREADS[0]} thread)${f64 ? ' and float64' : ''}`);
    let worst = 0;
    for (let i = 0; i < NUMERICS_STEPS; i++) {
      const rel = Math.abs(wasmLosses[i] - f32[i]) / Math.abs(f32[i]);
      worst = Math.max(worst, rel);
      const ref = f64 === undefined ? '' : `  torch f64 ${f64[i].toPrecision(8)} (dflc rel ${(Math.abs(wasmLosses[i] - f64[i]) / Math.abs(f64[i])).toExponential(1)}, torch f32 rel ${(Math.abs(f32[i] - f64[i]) / Math.abs(f64[i])).toExponential(1)})`;
      console.log(`  step ${i + 1}: dflc ${wasmLosses[i].toPrecision(8)}  torch f32 ${f32[i].toPrecision(8)}  rel diff ${rel.toExponential(2)}${ref}`);
    }
    const ok = worst <= NUMERICS_TOLERANCE;
    console.log(`  max relative difference ${worst.toExponential(2)} (tolerance ${NUMERICS_TOLERANCE}): ${ok ? 'agree' : 'DISAGREE'}`);
    if (!ok) process.exitCode = 1;
  }

  if (wasm !== undefined && PROFILE_STEPS > 0) {
    await TfjsExecutor.create('wasm');
    printProfile(train, start, batches, PROFILE_STEPS, quantile(dflcMs.get('wasm')!, 0.5));
  }

  if (flags.json !== undefined) {
    const summary = {
      config,
      events: EVENTS,
      loadavg: loadavg(),
      dflc: Object.fromEntries([...dflcMs].map(([b, ms]) => [b, { median_ms: quantile(ms, 0.5), p90_ms: quantile(ms, 0.9), steps: ms.length }])),
      torch: Object.fromEntries([...torchMs].map(([t, ms]) => [t, { median_ms: quantile(ms, 0.5), p90_ms: quantile(ms, 0.9), steps: ms.length }])),
      notes: Object.fromEntries(notes),
      losses: { dflc_wasm: wasmLosses?.slice(0, NUMERICS_STEPS), torch: torchFirst?.runs[String(TORCH_THREADS[0])].losses.slice(0, NUMERICS_STEPS), torch_f64: torchFirst?.float64?.losses },
    };
    writeFileSync(flags.json, JSON.stringify(summary, null, 2));
  }
  if (flags.dir === undefined && !flags.keep) rmSync(dir, { recursive: true, force: true });
}

await main();
