/**
 * `npm run bench:train [-- --batch 256 --dim 64 ...]`: training steps per second of the EHR
 * encoder with the card's objective,
 *
 *   balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)
 *
 * on ONNX Runtime (1 and 2 threads; on a GPU with `--backends onnx-webgpu`) and each TensorFlow.js backend, beside the same model, loss and Adam written by hand in PyTorch
 * (bench/train_torch.py, run by Debian's /usr/bin/python3) on the same batches from the same
 * initial parameters. It prints one table: ms per step (median, p90), steps/s, and the ratio
 * dflc seconds per step / PyTorch seconds per step, for PyTorch on 1 and on 2 threads (target <= 1).
 *
 * How it measures. The batches (seeded PRNG) and the initial parameters are written as .npy into
 * a temporary folder that both sides read. dflc runs the compiled step program as the training
 * loop (runtime/train/loop/train-loop.ts) does: one `executor.loop` per block carries the parameters and
 * Adam moments from step to step on the executor (uploaded once, before the timed steps), and one
 * timed step is one `loop.step`: upload of the batch, step and learning rate, the program, read-back
 * of what the trainer reads every step: the loss, its terms and the per-parameter squared gradient
 * norms, a few scalars (it also reads the embedding every 10th step). One PyTorch step is zero_grad + forward + backward +
 * Adam + loss.item(). Both start from the same state at step 1 and cycle
 * through the same batches; the first `--warmup` steps of each block are not timed. The timed steps
 * run in `--rounds` rounds that alternate dflc (ONNX Runtime on each of `--onnx-threads`, through
 * each of `--onnx-ways`: its C API, then onnxruntime-node's binding; then wasm) and PyTorch
 * (1 thread, then 2; one peer process for the whole run, served a block of steps per request, so
 * that the two sides' blocks follow each other within a fraction of a second), so a change of
 * the machine's load hits both; medians are over all rounds. `cpu` (pure JS, slow) and the native
 * backends (when installed) run once, after the rounds; cpu for `--cpu-steps` timed steps.
 *
 * Numerics: the losses of steps 1..3 (step 1's at the initial parameters, later ones after Adam's
 * updates) from dflc on wasm against PyTorch in float32 must agree within 1e-3 relative; PyTorch in
 * float64 is printed beside them as the reference. A disagreement sets exit code 1.
 *
 * Width sweep (`--dims 64,128,256,512`): the whole bench once per width with hidden = dim, each in
 * its own process (train-width-sweep.ts), then one row per width with the ratio and the
 * eigendecomposition's share of dflc's step.
 *
 * Profile (`--profile-steps N`, default 3, 0 to skip): N more wasm steps through a copy of the
 * executor's loop (state kept in tensors, the loss read back) with a clock around every IR node
 * (wasm kernels run synchronously), by op and by node.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BackendUnavailableError, type Executor, type Float32Tensor } from '../runtime/executors/executor.ts';
import { bindSizes } from '../runtime/executors/bind-sizes.ts';
import type { ConcreteBackend } from '../runtime/executors/create-executor.ts';
import { ORT_WAYS, type OrtWay } from '../runtime/executors/onnx/load-ort.ts';
import { OnnxExecutor } from '../runtime/executors/onnx/onnx-executor.ts';
import type { TfjsBackend } from '../runtime/executors/tfjs/load-backend.ts';
import { tfjsLowerings, type TfValue } from '../runtime/executors/tfjs/lowering.ts';
import { TfjsExecutor } from '../runtime/executors/tfjs/tfjs-executor.ts';
import { topoOrder, type Node, type Program } from '../compiler/ir/node.ts';
import { formatShape } from '../compiler/ir/shape.ts';
import { Rng } from '../runtime/data/prng.ts';
import { formatNpy } from '../runtime/io/npy.ts';
import { adamMName, adamVName, initParams, paramInputName } from '../runtime/model/params.ts';
import { dataInputName } from '../runtime/model/slot-embedding.ts';
import { LR_INPUT, STEP_INPUT, buildTrainProgram } from '../runtime/model/train-program.ts';
import { DEFAULT_ADAM, EHR_FIELDS, labelInputName, VIEWS, type ModelConfig, type TrainProgram, type View } from '../runtime/model/train-spec.ts';
import { hostKernels, type HostKernel } from '../runtime/executors/host/host-kernels.ts';
import { checkObjective } from '../runtime/objective.ts';
import { widthSweep } from './train-width-sweep.ts';
import { JsonLinePeer } from './json-line-peer.ts';
import { mallocLine, mallocSettings, parseMallocMode, rerunWithFairMalloc } from './fair-malloc.ts';
import { hostEighSolver } from '../runtime/executors/host/host-eigh.ts';
import { float32EngineRoutine } from '../runtime/executors/host/lapack-eigh.ts';
import { median, quantile } from './timing.ts';

/**
 * The objectives `--objective` names: the file, its label bindings, and whether
 * bench/train_torch.py has it (the peer writes the card's objective, and only it, by hand).
 */
const OBJECTIVES: Record<string, { readonly file: string; readonly labels?: Record<string, string>; readonly peer: boolean }> = {
  card: { file: 'examples/card.dfl', peer: true },
  vicreg: { file: 'examples/baselines/vicreg.dfl', peer: false },
  supervised: { file: 'examples/baselines/supervised.dfl', labels: { Y: 'mortality_1y' }, peer: false },
};
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
    rounds: { type: 'string', default: '8' },
    'cpu-steps': { type: 'string', default: '3' },
    'torch-threads': { type: 'string', default: '1,2' },
    'profile-steps': { type: 'string', default: '3' },
    backends: { type: 'string', default: 'onnx,wasm,cpu,tensorflow,tensorflow-gpu' },
    'onnx-threads': { type: 'string', default: '1,2' },
    'onnx-ways': { type: 'string', default: 'c-api,binding' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string' },
    json: { type: 'string' },
    dims: { type: 'string' },
    objective: { type: 'string', default: 'card' },
    malloc: { type: 'string', default: 'fair' },
  },
});
rerunWithFairMalloc(parseMallocMode(flags.malloc));

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
const ONNX_THREADS = flags['onnx-threads']!.split(',').map((s) => Number(s.trim()));
if (ONNX_THREADS.some((t) => !Number.isInteger(t) || t < 1)) throw new RangeError(`--onnx-threads: a list of positive integers, got ${flags['onnx-threads']}`);
const ONNX_WAYS = flags['onnx-ways']!.split(',').map((s) => s.trim()) as OrtWay[];
if (ONNX_WAYS.some((w) => !ORT_WAYS.includes(w))) throw new RangeError(`--onnx-ways: a list of ${ORT_WAYS.join(', ')}, got ${flags['onnx-ways']}`);
if (TORCH_THREADS.some((t) => !Number.isInteger(t) || t < 1)) throw new RangeError(`--torch-threads: a list of positive integers, got ${flags['torch-threads']}`);
const OBJECTIVE_NAMES = flags.objective!.split(',').map((s) => s.trim());
const unknown = OBJECTIVE_NAMES.find((name) => !Object.hasOwn(OBJECTIVES, name));
if (unknown !== undefined) throw new RangeError(`--objective: a list of ${Object.keys(OBJECTIVES).join(', ')}, got ${unknown}`);
// One JSON summary per run (the width sweep reads it): one objective at a time there.
if (OBJECTIVE_NAMES.length > 1 && (flags.json !== undefined || flags.dims !== undefined)) throw new RangeError('--json and --dims take one --objective at a time');

type Inputs = Map<string, Float32Tensor>;

/** `onnx 2T` through the C API (the executor's default way), `onnx 2T binding` through onnxruntime-node's. */
function onnxName(threads: number, way: OrtWay): string {
  return `onnx ${threads}T${way === 'c-api' ? '' : ` ${way}`}`;
}

// ---------------------------------------------------------------------------------------------
// Data: a fixed set of random batches and the initial state.

/**
 * One slot's EHR fields: each window has about EVENTS events (uniform in [EVENTS/2, 3 EVENTS/2]),
 * code ids skewed towards frequent codes (id = floor(rows u²)), time-decay weights exp(-age / 30 d)
 * for ages uniform in 90 days, normalised per row; about 30% of the lab features present, N(0, 1).
 */
function slotBatch(rng: Rng, slot: number, view: View | undefined, out: Inputs): void {
  const ids: number[] = [];
  const weights: number[] = [];
  const rows: number[] = [];
  for (let r = 0; r < config.batch; r++) {
    const count = Math.max(1, Math.round(EVENTS * (0.5 + rng.float())));
    const first = weights.length;
    let total = 0;
    for (let e = 0; e < count; e++) {
      ids.push(Math.floor(config.codeRows * rng.float() ** 2));
      const w = Math.exp(-rng.uniform(0, 90) / 30);
      weights.push(w);
      rows.push(r);
      total += w;
    }
    for (let e = first; e < weights.length; e++) weights[e] /= total;
  }
  const labs = new Float32Array(config.batch * config.labFeatures);
  for (let i = 0; i < labs.length; i++) labs[i] = rng.bernoulli(0.3) ? rng.normal() : 0;
  const list = (xs: number[]): Float32Tensor => ({ shape: [xs.length], data: Float32Array.from(xs) });
  out.set(dataInputName(slot, 'code_ids', view), list(ids));
  out.set(dataInputName(slot, 'code_weights', view), list(weights));
  out.set(dataInputName(slot, 'code_rows', view), list(rows));
  out.set(dataInputName(slot, 'labs', view), { shape: [config.batch, config.labFeatures], data: labs });
}

/** Stream key of the bench's batches among the Rng's purposes. */
const BATCH_PURPOSE = 0xbe7c4;

/**
 * Every data source of the step (a view, `Z_a`, gets windows of its own, drawn like the others:
 * the time of a step does not depend on what the windows hold) and 0/1 labels for each label input.
 */
function makeBatches(train: TrainProgram): Inputs[] {
  return Array.from({ length: BATCHES }, (_, k) => {
    const out: Inputs = new Map();
    for (const { slot, view } of train.sources) {
      const keys = view === undefined ? [slot] : [slot, 1 + VIEWS.indexOf(view)];
      slotBatch(Rng.from(SEED, BATCH_PURPOSE, k, ...keys), slot, view, out);
    }
    train.labels.forEach(({ input }, i) => {
      const rng = Rng.from(SEED, BATCH_PURPOSE, k, LABEL_KEY, i);
      out.set(labelInputName(input), { shape: [config.batch], data: Float32Array.from({ length: config.batch }, () => (rng.bernoulli(0.5) ? 1 : 0)) });
    });
    return out;
  });
}

/** The label inputs' Rng key, apart from the slots' offsets. */
const LABEL_KEY = 0x1abe1;

/** Parameters from initParams(seed), Adam moments zero. */
function initialState(train: TrainProgram): Inputs {
  const values = initParams(train.params, SEED);
  const state: Inputs = new Map();
  for (const spec of train.params) {
    const data = values.get(spec.name)!;
    state.set(paramInputName(spec.name), { shape: [...spec.shape], data });
    state.set(adamMName(spec.name), { shape: [...spec.shape], data: new Float32Array(data.length) });
    state.set(adamVName(spec.name), { shape: [...spec.shape], data: new Float32Array(data.length) });
  }
  return state;
}

/** The initial parameters and the batches as .npy, and meta.json naming them, for the PyTorch side. */
function writeArrays(dir: string, train: TrainProgram, objective: string, state: Inputs, batches: Inputs[]): void {
  mkdirSync(dir, { recursive: true });
  const save = (file: string, t: Float32Tensor) => writeFileSync(join(dir, file), formatNpy({ dtype: 'float32', shape: t.shape, data: t.data }));
  const params: Record<string, string> = {};
  for (const spec of train.params) {
    params[spec.name] = `param.${spec.name}.npy`;
    save(params[spec.name], state.get(paramInputName(spec.name))!);
  }
  const batchFiles = batches.map((batch, k) =>
    Object.fromEntries(
      train.slots.map((slot) => {
        const fields = EHR_FIELDS.map((field) => {
          const file = `batch${k}.slot${slot}.${field}.npy`;
          save(file, batch.get(dataInputName(slot, field))!);
          return [field, file];
        });
        return [String(slot), Object.fromEntries(fields)];
      }),
    ),
  );
  const meta = { objective, config, slots: train.slots, params, batches: batchFiles, adam: DEFAULT_ADAM, lr: LR, numerics_steps: NUMERICS_STEPS };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
}

// ---------------------------------------------------------------------------------------------
// dflc steps.

/** What the trainer reads back every step: the loss, its terms, one squared gradient norm per parameter. */
const readEveryStep = (name: string): boolean => name === 'loss' || name.startsWith('term:') || name.startsWith('grad_sq:');

function stepInputs(state: Inputs, batches: Inputs[], step: number): Inputs {
  const inputs: Inputs = new Map(state);
  inputs.set(STEP_INPUT, { shape: [], data: Float32Array.of(step) });
  inputs.set(LR_INPUT, { shape: [], data: Float32Array.of(LR) });
  for (const [name, t] of batches[(step - 1) % batches.length]) inputs.set(name, t);
  return inputs;
}

interface Block {
  /** The loss of every step of the block, from step 1. */
  readonly losses: number[];
  /** Wall ms of each timed step. */
  readonly ms: number[];
  /** Process CPU ms (every thread) of each timed step: what a loaded machine inflates least. */
  readonly cpu: number[];
  /** Of the timed steps' wall time, the ms spent in eigendecompositions on the host (hostKernels.eigh). */
  readonly eighMs: number;
}

/**
 * `warmup + steps` training steps from the initial state in one executor loop that carries the
 * parameters and moments (as the trainer does), reading back the scalars the trainer reads each
 * step; times the last `steps`.
 */
async function dflcBlock(executor: Executor, train: TrainProgram, start: Inputs, batches: Inputs[], warmup: number, steps: number): Promise<Block> {
  const stateNames = train.params.flatMap((p) => [paramInputName(p.name), adamMName(p.name), adamVName(p.name)]);
  const loop = await executor.loop(train.program, {
    carry: new Map(stateNames.map((name) => [name, name])),
    initial: new Map(stateNames.map((name) => [name, start.get(name)!])),
  });
  const read = train.program.outputs.map((o) => o.name).filter(readEveryStep);
  const losses: number[] = [];
  const ms: number[] = [];
  const cpu: number[] = [];
  // The host's share of a step, for the per-stage split: every eigh call is timed (two clock reads).
  const kernels = hostKernels as Record<'eigh', HostKernel>;
  const eigh = kernels.eigh;
  let eighMs = 0;
  let timing = false;
  kernels.eigh = (operands) => {
    const t0 = performance.now();
    try {
      return eigh(operands);
    } finally {
      if (timing) eighMs += performance.now() - t0;
    }
  };
  try {
    for (let step = 1; step <= warmup + steps; step++) {
      const inputs = stepInputs(new Map(), batches, step);
      timing = step > warmup;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const outputs = await loop.step(inputs, read);
      const used = process.cpuUsage(cpu0);
      const elapsed = performance.now() - t0;
      if (step > warmup) {
        ms.push(elapsed);
        cpu.push((used.user + used.system) / 1000);
      }
      losses.push(outputs.get('loss')!.data[0]);
    }
  } finally {
    kernels.eigh = eigh;
    loop.dispose();
  }
  return { losses, ms, cpu, eighMs };
}

// ---------------------------------------------------------------------------------------------
// PyTorch.

interface TorchRun {
  readonly losses: number[];
  readonly ms: number[];
  readonly cpu_ms: number[];
  readonly terms: number[][];
}

/** The peer's first line: what it runs on. */
interface TorchHeader {
  readonly torch: string;
  readonly blas: string;
  readonly omp_wait_policy: string;
}

interface TorchResult extends TorchHeader {
  /** By thread count. */
  readonly runs: Record<string, TorchRun>;
  readonly float64?: { losses: number[]; terms: number[][] };
}

type TorchPeer = JsonLinePeer<TorchHeader>;

/** bench/train_torch.py serving runs on the arrays in `dir`, one process for the whole bench. */
function torchPeer(dir: string): TorchPeer {
  return new JsonLinePeer<TorchHeader>('train_torch.py', [dir, '--serve']);
}

/** One round of the peer: a run from step 1 on each thread count; with `numerics`, the float64 reference too. */
async function torchRound(peer: TorchPeer, warmup: number, steps: number, numerics: boolean): Promise<TorchResult> {
  const runs: Record<string, TorchRun> = {};
  for (const threads of TORCH_THREADS) runs[String(threads)] = await peer.ask<TorchRun>({ cmd: 'run', threads, warmup, steps });
  const float64 = numerics ? await peer.ask<{ losses: number[]; terms: number[][] }>({ cmd: 'float64' }) : undefined;
  return { ...(await peer.header), runs, ...(float64 === undefined ? {} : { float64 }) };
}

// ---------------------------------------------------------------------------------------------
// Profile: the executor's loop (runtime/executors/tfjs/run-program.ts) with a clock around every node.

interface Phases {
  upload: number;
  nodes: number;
  readback: number;
}

/**
 * One step as the executor's loop runs it: uploads the step's inputs (the state stays in tensors),
 * runs the nodes, reads back the loss, and returns the updated state (the old one is disposed);
 * adds each node's wall ms to `times`. Values are freed at the end (the executor frees them as it goes).
 */
function profileStep(program: Program, state: Map<string, tf.Tensor>, inputs: Inputs, times: Map<Node, number>): { phases: Phases; state: Map<string, tf.Tensor> } {
  const t0 = performance.now();
  const uploaded = new Map([...inputs].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape], 'float32')]));
  const t1 = performance.now();
  const all = new Map([...uploaded, ...state]);
  const sizes = bindSizes(program, new Map([...all].map(([name, t]) => [name, t.shape])));
  const ctx = {
    dim: (dim: number | string) => (typeof dim === 'number' ? dim : sizes.get(dim)!),
    input: (name: string) => all.get(name)!,
  };
  const values = new Map<number, TfValue>();
  const outputs = tf.tidy(() => {
    for (const node of topoOrder(program.outputs.map((o) => o.node))) {
      const args = node.inputs.map((input) => values.get(input.id)!);
      const start = performance.now();
      values.set(node.id, tfjsLowerings[node.op].lower(args, node.attrs, ctx, node));
      times.set(node, (times.get(node) ?? 0) + performance.now() - start);
    }
    return program.outputs.map((o) => tf.clone(values.get(o.node.id) as tf.Tensor));
  });
  const t2 = performance.now();
  const byName = new Map(program.outputs.map((o, i) => [o.name, outputs[i]]));
  byName.get('loss')!.dataSync();
  const t3 = performance.now();
  const next = new Map([...state.keys()].map((name) => [name, byName.get(name)!]));
  const kept = new Set(next.values());
  tf.dispose([...uploaded.values(), ...state.values(), ...outputs.filter((t) => !kept.has(t))]);
  return { phases: { upload: t1 - t0, nodes: t2 - t1, readback: t3 - t2 }, state: next };
}

function printProfile(program: Program, start: Inputs, batches: Inputs[], steps: number, topNodes: number): void {
  const times = new Map<Node, number>();
  const phases: Phases = { upload: 0, nodes: 0, readback: 0 };
  // The state (parameters and moments), uploaded once as the executor's loop does: not counted.
  let state = new Map([...start].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape], 'float32')]));
  ({ state } = profileStep(program, state, stepInputs(new Map(), batches, 1), new Map())); // warm, not counted
  for (let step = 2; step <= steps + 1; step++) {
    const p = profileStep(program, state, stepInputs(new Map(), batches, step), times);
    state = p.state;
    phases.upload += p.phases.upload;
    phases.nodes += p.phases.nodes;
    phases.readback += p.phases.readback;
  }
  tf.dispose([...state.values()]);
  const per = (ms: number) => ms / steps;
  const total = per(phases.upload + phases.nodes + phases.readback);
  console.log(
    `\nprofile, dflc on wasm (${steps} steps, wall time per IR node, ${times.size} nodes): ${total.toFixed(1)} ms/step = ` +
      `upload ${per(phases.upload).toFixed(1)} + nodes ${per(phases.nodes).toFixed(1)} + read-back ${per(phases.readback).toFixed(1)}`,
  );
  const byOp = new Map<string, { ms: number; count: number }>();
  for (const [node, ms] of times) {
    const entry = byOp.get(node.op) ?? { ms: 0, count: 0 };
    entry.ms += ms;
    entry.count++;
    byOp.set(node.op, entry);
  }
  const nodeTotal = per(phases.nodes);
  const attributed = per([...times.values()].reduce((a, b) => a + b, 0));
  console.log(`  (${(nodeTotal - attributed).toFixed(1)} ms/step of the nodes' time is between the nodes: the loop, freeing, garbage collection)`);
  console.log('  op                ms/step   share  nodes');
  for (const [op, { ms, count }] of [...byOp].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10)) {
    console.log(`  ${op.padEnd(16)} ${per(ms).toFixed(2).padStart(8)} ${((100 * per(ms)) / nodeTotal).toFixed(1).padStart(6)}%  ${String(count).padStart(5)}`);
  }
  if (topNodes === 0) return;
  console.log('  node              ms/step   shape <- input shapes');
  for (const [node, ms] of [...times].sort((a, b) => b[1] - a[1]).slice(0, topNodes)) {
    const ins = node.inputs.map((i) => formatShape(i.shape)).join(', ');
    console.log(`  ${node.op.padEnd(16)} ${per(ms).toFixed(2).padStart(8)}   ${formatShape(node.shape)} <- ${ins}`);
  }
}

// ---------------------------------------------------------------------------------------------

function printTable(rows: readonly (readonly string[])[], head: readonly string[]): void {
  const full = rows.filter((r) => r.length > 2);
  const widths = head.map((h, i) => Math.max(h.length, ...full.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.length === 2
      ? `${cells[0].padEnd(widths[0])}  ${cells[1]}`
      : cells.map((c, i) => (i === cells.length - 1 ? c : i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
}

/** One objective's line of the closing summary. */
interface ObjectiveSummary {
  readonly name: string;
  readonly best: { readonly backend: string; readonly ms: number } | undefined;
  /** PyTorch's median ms/step by thread count; empty without a peer. */
  readonly torch: ReadonlyMap<number, number>;
  readonly traffic: StepTraffic;
}

interface StepTraffic {
  readonly uploads: number;
  readonly uploadBytes: number;
  readonly reads: number;
  readonly readBytes: number;
  readonly stateTensors: number;
  readonly stateBytes: number;
}

/**
 * What crosses between the bench and the executor in one timed step, as dflcBlock calls
 * `loop.step`: the step's inputs (the largest batch) and the outputs it reads, beside the carried
 * state, which the loop keeps on the executor. Counted from the program's shapes: float32, 4 bytes.
 */
function stepTraffic(train: TrainProgram, start: Inputs, batches: Inputs[]): StepTraffic {
  const bytes = (ts: Iterable<Float32Tensor>) => [...ts].reduce((sum, t) => sum + 4 * t.data.length, 0);
  const uploads = batches.map((_, k) => stepInputs(new Map(), batches, k + 1));
  const largest = uploads.reduce((a, b) => (bytes(a.values()) >= bytes(b.values()) ? a : b));
  const read = train.program.outputs.filter((o) => readEveryStep(o.name));
  const size = (shape: readonly (number | string)[]) => shape.reduce<number>((n, d) => n * (typeof d === 'number' ? d : Number.NaN), 1);
  return {
    uploads: largest.size,
    uploadBytes: bytes(largest.values()),
    reads: read.length,
    readBytes: read.reduce((sum, o) => sum + 4 * size(o.node.shape), 0),
    stateTensors: start.size,
    stateBytes: bytes(start.values()),
  };
}

async function main(): Promise<void> {
  const summaries: ObjectiveSummary[] = [];
  for (const name of OBJECTIVE_NAMES) {
    summaries.push(await benchObjective(name));
    if (OBJECTIVE_NAMES.length > 1) console.log('');
  }
  if (summaries.length < 2) return;
  console.log(`summary (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${availableParallelism()} cores)`);
  printTable(
    summaries.map((s) => [
      s.name,
      s.best === undefined ? '-' : `${s.best.ms.toFixed(1)} (${s.best.backend})`,
      s.torch.size === 0 ? 'no PyTorch peer' : [...s.torch].map(([t, ms]) => `${ms.toFixed(1)} (${t}T)`).join(', '),
      String(s.traffic.uploadBytes),
      String(s.traffic.readBytes),
      String(s.traffic.stateBytes),
    ]),
    ['objective', 'dflc ms/step (best)', 'PyTorch ms/step', 'upload B/step', 'read-back B/step', 'state B (stays on executor)'],
  );
}

async function benchObjective(name: string): Promise<ObjectiveSummary> {
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  const spec = OBJECTIVES[name];
  const source = readFileSync(fileURLToPath(new URL(`../${spec.file}`, import.meta.url)), 'utf8');
  // Only the card has a hand-written peer: the other objectives' tables have no PyTorch rows.
  const threads = spec.peer ? TORCH_THREADS : [];
  console.log(`bench:train  objective ${name} (${spec.file})${spec.peer ? '' : ': no PyTorch peer'}`);
  console.log(
    `model: EHR encoder, batch ${config.batch}, dim ${config.dim}, hidden ${config.hidden}, codeRows ${config.codeRows}, ` +
      `labFeatures ${config.labFeatures}, ~${EVENTS} events per window; ${BATCHES} batches, lr ${LR}, seed ${SEED}`,
  );
  console.log(`load average at start (1, 5, 15 min): ${load()} on ${availableParallelism()} cores`);

  const checked = checkObjective(spec.file, source);
  if (checked.program === undefined) throw new Error(`${spec.file} does not compile: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  const compileStart = performance.now();
  const train = buildTrainProgram({ program: checked.program, terms: checked.terms, params: checked.params }, config, { labels: spec.labels });
  const compileMs = performance.now() - compileStart;
  const nodeCount = topoOrder(train.program.outputs.map((o) => o.node)).length;
  console.log(`compiled the step program in ${(compileMs / 1000).toFixed(2)} s: ${nodeCount} IR nodes, slots ${train.slots.join(', ')}`);

  const start = initialState(train);
  const batches = makeBatches(train);
  const events = batches.map((b) => b.get(dataInputName(train.sources[0].slot, 'code_ids', train.sources[0].view))!.shape[0]);
  const dir = flags.dir ?? mkdtempSync(join(tmpdir(), 'dflc-bench-train-'));
  if (spec.peer) {
    writeArrays(dir, train, source, start, batches);
    console.log(`arrays for both sides in ${dir} (events per slot per batch ${Math.min(...events)}..${Math.max(...events)})`);
  }
  // Started now, so that importing torch overlaps with building the executors.
  const peer = spec.peer ? torchPeer(dir) : undefined;
  const traffic = stepTraffic(train, start, batches);
  console.log(
    `per step: ${traffic.uploads} inputs uploaded (${traffic.uploadBytes} bytes: batch${train.labels.length > 0 ? ' with labels' : ''}, step, lr), ${traffic.reads} outputs read back (${traffic.readBytes} bytes); ` +
      `state on the executor, never copied per step: ${traffic.stateTensors} tensors (${traffic.stateBytes} bytes: ${train.params.length} parameters, ${checked.params.length} of them the objective's, and their Adam moments)`,
  );

  const dflcMs = new Map<string, number[]>();
  const eighMs = new Map<string, number>();
  const dflcCpu = new Map<string, number[]>();
  const torchCpu = new Map<number, number[]>(threads.map((t) => [t, []]));
  const notes = new Map<string, string>();
  const torchMs = new Map<number, number[]>(threads.map((t) => [t, []]));
  // The executors timed in rounds beside PyTorch: ONNX Runtime on each way and thread count, then wasm.
  const rounded: { name: string; executor: Executor }[] = [];
  if (BACKENDS.includes('onnx')) {
    for (const way of ONNX_WAYS) {
      for (const threads of ONNX_THREADS) {
        const name = onnxName(threads, way);
        try {
          rounded.push({ name, executor: await OnnxExecutor.create({ threads, way }) });
        } catch (error) {
          if (!(error instanceof BackendUnavailableError)) throw error;
          notes.set(name, `skipped: ${error.message.split(';')[0].replace(/^--backend \S+:? ?/, '')}`);
        }
      }
    }
  }
  if (BACKENDS.includes('onnx-webgpu')) {
    try {
      const executor = await OnnxExecutor.create({ provider: 'webgpu' });
      rounded.push({ name: 'onnx-webgpu', executor });
      console.log(`onnx-webgpu: ${executor.description}`);
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      notes.set('onnx-webgpu', `skipped: ${error.message.split(';')[0].replace(/^--backend \S+:? ?/, '')}`);
    }
  }
  const wasm = BACKENDS.includes('wasm') ? await TfjsExecutor.create('wasm') : undefined;
  if (wasm !== undefined) rounded.push({ name: 'wasm', executor: wasm });
  const losses = new Map<string, number[]>();
  let torchFirst: TorchResult | undefined;
  const warmup = Math.max(WARMUP, NUMERICS_STEPS);

  // Torch imported before the first timed block, so that the import does not share the cores with it.
  await peer?.header;
  for (let round = 0; round < ROUNDS; round++) {
    const parts: string[] = [];
    for (const { name, executor } of rounded) {
      const block = await dflcBlock(executor, train, start, batches, warmup, STEPS);
      if (!losses.has(name)) losses.set(name, block.losses);
      dflcMs.set(name, [...(dflcMs.get(name) ?? []), ...block.ms]);
      eighMs.set(name, (eighMs.get(name) ?? 0) + block.eighMs);
      dflcCpu.set(name, [...(dflcCpu.get(name) ?? []), ...block.cpu]);
      parts.push(`${name} ${median(block.ms).toFixed(1)} ms`);
    }
    const torch = peer === undefined ? undefined : await torchRound(peer, warmup, STEPS, round === 0);
    torchFirst ??= torch;
    for (const t of threads) {
      torchMs.get(t)!.push(...torch!.runs[String(t)].ms);
      torchCpu.get(t)!.push(...torch!.runs[String(t)].cpu_ms);
      parts.push(`torch ${t}T ${median(torch!.runs[String(t)].ms).toFixed(1)} ms`);
    }
    console.log(`round ${round + 1}/${ROUNDS}: ${parts.join(', ')}  (load ${load()})`);
  }
  peer?.close();
  for (const { name, executor } of rounded) if (name !== 'wasm') executor.dispose();

  for (const backend of BACKENDS.filter((b): b is TfjsBackend => b !== 'wasm' && b !== 'onnx' && b !== 'onnx-webgpu')) {
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
    const cpu = backend === 'cpu';
    const block = await dflcBlock(executor, train, start, batches, cpu ? 1 : warmup, cpu ? CPU_STEPS : STEPS * ROUNDS);
    dflcMs.set(backend, block.ms);
    losses.set(backend, block.losses);
    executor.dispose();
    if (cpu) notes.set(backend, 'after 1 warm-up step, once (--cpu-steps)');
  }

  // The table.
  const torchMedian = new Map(threads.map((t) => [t, median(torchMs.get(t)!)]));
  const busy = loadavg()[0] > availableParallelism();
  console.log(
    `\nload average at end (1, 5, 15 min): ${load()} on ${availableParallelism()} cores` +
      (busy ? ' (busy: other jobs share the cores, so all numbers are noisy)' : ''),
  );
  console.log(
    (torchFirst === undefined ? 'no PyTorch peer; ' : `PyTorch ${torchFirst.torch} (${torchFirst.blas}, OMP_WAIT_POLICY=${torchFirst.omp_wait_policy}), float32; `) +
      `dflc float32 through ONNX Runtime and TensorFlow.js (eigh on the host: ${hostEighSolver(float32EngineRoutine())})`,
  );
  console.log(mallocLine());
  const head = ['backend', 'ms/step med', 'p90', 'steps/s', ...threads.map((t) => `ratio vs torch ${t}T`), 'timed steps'];
  const rows: string[][] = [];
  const row = (name: string, ms: readonly number[], note?: string) => {
    const med = median(ms);
    rows.push([
      name,
      med.toFixed(1),
      quantile(ms, 0.9).toFixed(1),
      (1000 / med).toFixed(2),
      ...threads.map((t) => (med / torchMedian.get(t)!).toFixed(2)),
      `${ms.length}${note === undefined ? '' : ` ${note}`}`,
    ]);
  };
  const shown = BACKENDS.flatMap((b) => (b === 'onnx' ? ONNX_WAYS.flatMap((way) => ONNX_THREADS.map((t) => onnxName(t, way))) : [b]));
  for (const backend of shown) {
    const ms = dflcMs.get(backend);
    if (ms === undefined) rows.push([`dflc ${backend}`, notes.get(backend) ?? 'not run']);
    else row(`dflc ${backend}`, ms, notes.get(backend));
  }
  for (const t of threads) row(`PyTorch ${t} thread${t === 1 ? '' : 's'}`, torchMs.get(t)!);
  printTable(rows, head);
  if (spec.peer) console.log('ratio = dflc seconds per step / PyTorch seconds per step (medians; lower is better; target <= 1.0)');
  const dflcBackends = shown.filter((b) => dflcMs.has(b));
  const best = dflcBackends.length === 0 ? undefined : dflcBackends.reduce((a, b) => (median(dflcMs.get(a)!) <= median(dflcMs.get(b)!) ? a : b));
  if (best !== undefined && spec.peer) {
    const bestMs = median(dflcMs.get(best)!);
    const ratios = threads.map((t) => `${(bestMs / torchMedian.get(t)!).toFixed(2)} vs ${t} thread${t === 1 ? '' : 's'}`);
    const met = threads.every((t) => bestMs <= torchMedian.get(t)!);
    console.log(`best dflc backend: ${best}, ratio ${ratios.join(', ')}: target ${met ? 'met' : 'NOT met'}`);
  }

  // Numerics.
  const dflcLosses = losses.get('wasm') ?? losses.get(dflcBackends[0] ?? '');
  if (dflcLosses !== undefined && torchFirst !== undefined) {
    const which = losses.has('wasm') ? 'wasm' : dflcBackends[0];
    const f32 = torchFirst.runs[String(threads[0])].losses;
    const f64 = torchFirst.float64?.losses;
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    console.log(`\nnumerics: loss at steps 1..${NUMERICS_STEPS}, dflc ${which} vs PyTorch float32; PyTorch float64 as the reference`);
    let worst = 0;
    for (let i = 0; i < NUMERICS_STEPS; i++) {
      worst = Math.max(worst, rel(dflcLosses[i], f32[i]));
      const ref = f64 === undefined ? '' : `   torch f64 ${f64[i].toFixed(8)}: dflc off by ${rel(dflcLosses[i], f64[i]).toExponential(1)}, torch f32 by ${rel(f32[i], f64[i]).toExponential(1)}`;
      console.log(`  step ${i + 1}: dflc ${dflcLosses[i].toFixed(8)}  torch f32 ${f32[i].toFixed(8)}  rel diff ${rel(dflcLosses[i], f32[i]).toExponential(2)}${ref}`);
    }
    const ok = worst <= NUMERICS_TOLERANCE;
    console.log(`  max relative difference ${worst.toExponential(2)} (tolerance ${NUMERICS_TOLERANCE}): ${ok ? 'agree' : 'DISAGREE'}`);
    for (const [name, other] of losses) {
      if (name === which) continue;
      const diff = Math.max(...other.slice(0, NUMERICS_STEPS).map((l, i) => rel(l, dflcLosses[i])));
      console.log(`  ${name} vs ${which}: max relative difference ${diff.toExponential(2)}`);
    }
    if (!ok) process.exitCode = 1;
  }

  if (wasm !== undefined && PROFILE_STEPS > 0) {
    await TfjsExecutor.create('wasm');
    printProfile(train.program, start, batches, PROFILE_STEPS, 8);
  }

  if (flags.json !== undefined) {
    const stats = (ms: readonly number[]) => ({ median_ms: median(ms), p90_ms: quantile(ms, 0.9), steps: ms.length });
    const summary = {
      objective: source,
      config,
      events: EVENTS,
      loadavg_end: loadavg(),
      malloc: mallocSettings(),
      dflc: Object.fromEntries([...dflcMs].map(([b, ms]) => [b, { ...stats(ms), eigh_ms_per_step: (eighMs.get(b) ?? 0) / ms.length, mean_ms: ms.reduce((x, y) => x + y, 0) / ms.length, ...(dflcCpu.has(b) ? { cpu_median_ms: median(dflcCpu.get(b)!) } : {}) }])),
      torch: Object.fromEntries([...torchMs].map(([t, ms]) => [`${t} thread${t === 1 ? '' : 's'}`, { ...stats(ms), cpu_median_ms: median(torchCpu.get(t)!) }])),
      notes: Object.fromEntries(notes),
      losses: { dflc: dflcLosses?.slice(0, NUMERICS_STEPS), torch_f32: torchFirst?.runs[String(threads[0])].losses.slice(0, NUMERICS_STEPS), torch_f64: torchFirst?.float64?.losses },
    };
    writeFileSync(flags.json, JSON.stringify(summary, null, 2));
  }
  if (flags.dir === undefined) rmSync(dir, { recursive: true, force: true });
  return {
    name,
    best: best === undefined ? undefined : { backend: best, ms: median(dflcMs.get(best)!) },
    torch: new Map(threads.map((t) => [t, torchMedian.get(t)!])),
    traffic,
  };
}

if (flags.dims === undefined) await main();
else {
  // The width sweep: this script once per width, in a child process each (train-width-sweep.ts).
  const passThrough = process.argv.slice(2).filter((arg, i, all) => !(arg.startsWith('--dims') || all[i - 1] === '--dims'));
  widthSweep(fileURLToPath(import.meta.url), flags.dims.split(',').map(Number), passThrough);
}
