/**
 * `npm run bench:objective [-- flags]`: milliseconds per value-and-gradient of whole objectives
 * (stdlib forms, float32), dflc beside a PyTorch peer that writes the same objectives as a user
 * would (bench/objective_torch.py: one function per term, no shared covariances):
 *
 *   card    balance(spectrum(Z_t)) + 0.5*ortho(Z_t) + consistent(Z_t, Z_t+1)
 *   vicreg  25*invariance(Z_t, Z_t+1) + 25*(variance(Z_t) + variance(Z_t+1)) + covariance(Z_t) + covariance(Z_t+1)
 *   barlow  barlow(Z_t, Z_t+1)
 *
 * at n = --n (4096) over d in --dims (64..1024), and at each d of --n-dims (64, 256) over n in
 * --ns (1k..64k). Inputs are seeded normals (Z_t+1 = Z_t + 0.6 noise), written as .npy that both
 * sides read. The peer is one Python process for the whole run, served line by line, so rounds
 * alternate (--rounds, default 3): dflc on each --backends entry, then PyTorch on each of
 * --torch-threads; each round repeats a side for at least --min-ms. Medians are over all rounds;
 * the peer's time is the faster of its thread counts, so that a drifting machine does not bias
 * the ratio dflc / PyTorch (target <= 1). The ratio of the fastest single calls is printed beside
 * it, and the ratio of CPU time per call on one thread each (process CPU time, all threads), the
 * readings a loaded machine disturbs less. Values of the two sides must agree within 1e-3.
 *
 * dflc is timed two ways, alternating within each round: `fresh`, `run` as a caller without
 * options gets it, every output in a new array (on a busy VM the first write to a fresh n×d
 * gradient faults in every page, which can cost more than computing it); and `kept`,
 * `run(..., { into })` writing every output into arrays kept from call to call, which is what
 * PyTorch's caching of freed tensors gives its peer. Both columns and both ratios are printed; the
 * two ways' outputs must be identical.
 *
 * Where a row misses the target (by wall or by CPU time), a per-stage profile follows: the
 * eigendecompositions on the host (hostKernels.eigh, timed around each call) against the rest
 * (ONNX Runtime's graphs, transfers). Writes --json (bench/results/objective.json) and --svg
 * (bench/objective.svg: cost against d and against n, log-log) after every row, so that a run cut
 * short keeps what it measured.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { compileValueAndGrad } from '../compiler/pipeline.ts';
import { FLOAT32_EPSILON } from '../compiler/surface/guards.ts';
import type { Program } from '../compiler/ir/node.ts';
import { createExecutor, type ConcreteBackend } from '../runtime/executors/create-executor.ts';
import type { Executor, Float32Tensor } from '../runtime/executors/executor.ts';
import { hostEighSolver } from '../runtime/executors/host/host-eigh.ts';
import { float32EngineRoutine } from '../runtime/executors/host/lapack-eigh.ts';
import { mallocLine, mallocSettings, parseMallocMode, rerunWithFairMalloc } from './fair-malloc.ts';
import { hostKernels } from '../runtime/executors/host/host-kernels.ts';
import { atomicWrite } from '../runtime/io/atomic-write.ts';
import { formatNpy } from '../runtime/io/npy.ts';
import { Rng } from '../runtime/data/prng.ts';
import { checkObjective } from '../runtime/objective.ts';
import { JsonLinePeer } from './json-line-peer.ts';
import { logLogSvg, type Series } from './log-log-svg.ts';
import { median, timeCallsWithCpu } from './timing.ts';

const OBJECTIVES: Readonly<Record<string, string>> = {
  card: 'balance(spectrum(Z_t)) + 0.5*ortho(Z_t) + consistent(Z_t, Z_t+1)',
  vicreg: '25*invariance(Z_t, Z_t+1) + 25*(variance(Z_t) + variance(Z_t+1)) + covariance(Z_t) + covariance(Z_t+1)',
  barlow: 'barlow(Z_t, Z_t+1)',
};
const VALUE_TOLERANCE = 1e-3;

const { values: flags } = parseArgs({
  options: {
    objectives: { type: 'string', default: 'card,vicreg,barlow' },
    n: { type: 'string', default: '4096' },
    dims: { type: 'string', default: '64,128,256,512,1024' },
    'n-dims': { type: 'string', default: '64,256' },
    ns: { type: 'string', default: '1024,4096,16384,65536' },
    backends: { type: 'string', default: 'onnx' },
    'onnx-threads': { type: 'string', default: '1' },
    'torch-threads': { type: 'string', default: '1,2' },
    rounds: { type: 'string', default: '3' },
    'min-ms': { type: 'string', default: '300' },
    json: { type: 'string', default: 'bench/results/objective.json' },
    svg: { type: 'string', default: 'bench/objective.svg' },
    malloc: { type: 'string', default: 'fair' },
  },
});
rerunWithFairMalloc(parseMallocMode(flags.malloc));
const list = (text: string): string[] => text.split(',').filter((s) => s !== '');
const numbers = (text: string): number[] => list(text).map(Number);
const OBJECTIVE_NAMES = list(flags.objectives);
for (const name of OBJECTIVE_NAMES) if (!(name in OBJECTIVES)) throw new Error(`--objectives: unknown '${name}' (${Object.keys(OBJECTIVES).join(', ')})`);
const ROUNDS = Number(flags.rounds);
const MIN_MS = Number(flags['min-ms']);
const TORCH_THREADS = numbers(flags['torch-threads']);

interface Config {
  readonly n: number;
  readonly d: number;
  readonly sweep: 'd' | 'n';
}

function configs(): Config[] {
  const out: Config[] = numbers(flags.dims).map((d) => ({ n: Number(flags.n), d, sweep: 'd' as const }));
  for (const d of numbers(flags['n-dims'])) for (const n of numbers(flags.ns)) out.push({ n, d, sweep: 'n' });
  return out;
}

/** Z_t and Z_t+1 = Z_t + 0.6 noise, seeded normals. */
function inputs(n: number, d: number, seed: number): Map<string, Float32Tensor> {
  const rng = Rng.from(seed);
  const zt = Float32Array.from({ length: n * d }, () => rng.normal());
  const zt1 = zt.map((v) => v + 0.6 * rng.normal());
  return new Map([
    ['Z_t', { shape: [n, d], data: zt }],
    ['Z_t+1', { shape: [n, d], data: zt1 }],
  ]);
}

function compile(objective: string, n: number, d: number): Program {
  const checked = checkObjective(`${objective}.dfl`, OBJECTIVES[objective], FLOAT32_EPSILON);
  if (checked.program === undefined) throw new Error(checked.diagnostics.map((x) => x.message).join('; '));
  return compileValueAndGrad(checked.program, { sizes: new Map([['n', n], ['d', d]]) }).program;
}

/** How dflc's outputs reach the caller: new arrays every call, or arrays kept across calls (RunOptions.into). */
const WAYS = ['fresh', 'kept'] as const;
type Way = (typeof WAYS)[number];

/** Per-way readings of a row: dflc's medians by side label, and its ratios to PyTorch. */
interface WayReadings {
  dflc: Record<string, number>;
  /** CPU ms per call (medians) by side label. */
  cpu: Record<string, number>;
  ratio: number;
  /** The fastest single call of each side: less sensitive to a loaded machine than the medians. */
  ratioBest: number;
  /**
   * dflc's CPU ms per call on one ONNX Runtime thread over PyTorch's on one thread (medians): the
   * work each does, which a loaded machine inflates far less than the wall time.
   */
  ratioCpu1T?: number;
}

/** The host's eigendecompositions during `runs` calls, against the whole calls: a per-stage split. */
async function profile(run: () => Promise<unknown>, runs: number): Promise<{ totalMs: number; eighMs: number; eighCalls: number }> {
  const kernel = hostKernels.eigh;
  let eighMs = 0;
  let eighCalls = 0;
  (hostKernels as Record<'eigh', typeof kernel>).eigh = (operands) => {
    const start = performance.now();
    try {
      return kernel(operands);
    } finally {
      eighMs += performance.now() - start;
      eighCalls++;
    }
  };
  try {
    const start = performance.now();
    for (let i = 0; i < runs; i++) await run();
    return { totalMs: (performance.now() - start) / runs, eighMs: eighMs / runs, eighCalls: eighCalls / runs };
  } finally {
    (hostKernels as Record<'eigh', typeof kernel>).eigh = kernel;
  }
}

interface Row {
  objective: string;
  n: number;
  d: number;
  sweep: 'd' | 'n';
  /** dflc with fresh output arrays every call and with kept ones (WAYS). */
  ways: Record<Way, WayReadings>;
  torch: Record<string, number>;
  torchCpu: Record<string, number>;
  valueDflc: number;
  valueTorch: number;
  profile?: { totalMs: number; eighMs: number; eighCalls: number };
}

async function main(): Promise<void> {
  const peer = new JsonLinePeer<{ torch: string; blas: string }>('objective_torch.py');
  const header = await peer.header;
  const sides: { label: string; executor: Executor }[] = [];
  for (const backend of list(flags.backends)) {
    for (const threads of backend === 'onnx' ? numbers(flags['onnx-threads']) : [0]) {
      const { executor } = await createExecutor(backend as ConcreteBackend, threads > 0 ? { threads } : {});
      sides.push({ label: backend === 'onnx' ? `onnx ${threads}T` : backend, executor });
    }
  }
  const loadStart = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'dflc-objective-'));
  const rows: Row[] = [];
  const done = new Map<string, Row>();
  try {
    for (const config of configs()) {
      const key = (o: string) => `${o}:${config.n}:${config.d}`;
      if (OBJECTIVE_NAMES.every((o) => done.has(key(o)))) {
        for (const o of OBJECTIVE_NAMES) rows.push({ ...done.get(key(o))!, sweep: config.sweep });
        continue;
      }
      const data = inputs(config.n, config.d, config.n * 7919 + config.d);
      const files: Record<string, string> = {};
      for (const [name, t] of data) {
        files[name] = join(dir, `${name}.npy`);
        writeFileSync(files[name], formatNpy({ dtype: 'float32', shape: t.shape, data: t.data as Float32Array }));
      }
      await peer.ask({ cmd: 'load', inputs: files });
      const sizes = new Map([['n', config.n], ['d', config.d]]);
      for (const objective of OBJECTIVE_NAMES) {
        const program = compile(objective, config.n, config.d);
        const seriesKey = (way: Way, label: string) => `${way} ${label}`;
        const dflcMs = new Map<string, number[]>(WAYS.flatMap((way) => sides.map((s) => [seriesKey(way, s.label), []])));
        const torchMs = new Map<number, number[]>(TORCH_THREADS.map((t) => [t, []]));
        const dflcCpu = new Map<string, number[]>(WAYS.flatMap((way) => sides.map((s) => [seriesKey(way, s.label), []])));
        const torchCpu = new Map<number, number[]>(TORCH_THREADS.map((t) => [t, []]));
        let valueDflc = Number.NaN;
        let valueTorch = Number.NaN;
        // Per side, the arrays the `kept` way writes every output into, call after call.
        const kept = new Map<Executor, Map<string, Float32Array>>();
        const runOn = (executor: Executor, way: Way) => async () => {
          valueDflc = (await executor.run(program, data, sizes, way === 'kept' ? { into: kept.get(executor) } : {})).get('value')!.data[0];
        };
        for (const side of sides) {
          // Untimed: session creation, first runs; and the check that both ways give the same outputs.
          const fresh = await side.executor.run(program, data, sizes);
          const into = new Map([...fresh].map(([name, t]) => [name, new Float32Array(t.data.length)]));
          kept.set(side.executor, into);
          const viaInto = await side.executor.run(program, data, sizes, { into });
          for (const [name, t] of fresh) {
            if (viaInto.get(name)!.data !== into.get(name) || !t.data.every((v, i) => Object.is(v, into.get(name)![i]))) {
              throw new Error(`${side.label}, ${objective} n=${config.n} d=${config.d}: output '${name}' differs between fresh and kept arrays`);
            }
          }
        }
        for (let round = 0; round < ROUNDS; round++) {
          for (const side of sides) {
            // The two ways alternate which goes first, so that neither always follows the peer.
            for (const way of round % 2 === 0 ? WAYS : [...WAYS].reverse()) {
              const timed = await timeCallsWithCpu(runOn(side.executor, way), MIN_MS);
              dflcMs.get(seriesKey(way, side.label))!.push(...timed.ms);
              dflcCpu.get(seriesKey(way, side.label))!.push(...timed.cpu);
            }
          }
          for (const threads of TORCH_THREADS) {
            const reply = await peer.ask<{ value: number; ms: number[]; cpu_ms: number[] }>({ cmd: 'time', objective, threads, min_ms: MIN_MS, warmup: round === 0 ? 1 : 0 });
            torchMs.get(threads)!.push(...reply.ms);
            torchCpu.get(threads)!.push(...reply.cpu_ms);
            valueTorch = reply.value;
          }
        }
        const torch = Object.fromEntries([...torchMs].map(([threads, ms]) => [`${threads}T`, median(ms)]));
        const torchCpuMedians = Object.fromEntries([...torchCpu].map(([threads, ms]) => [`${threads}T`, median(ms)]));
        const fastest = (runs: Iterable<number[]>) => Math.min(...[...runs].flat());
        const readings = (way: Way): WayReadings => {
          const dflc = Object.fromEntries(sides.map((s) => [s.label, median(dflcMs.get(seriesKey(way, s.label))!)]));
          const cpu = Object.fromEntries(sides.map((s) => [s.label, median(dflcCpu.get(seriesKey(way, s.label))!)]));
          const ratioCpu1T = cpu['onnx 1T'] / torchCpuMedians['1T'];
          return {
            dflc,
            cpu,
            ratio: Math.min(...Object.values(dflc)) / Math.min(...Object.values(torch)),
            ratioBest: fastest(sides.map((s) => dflcMs.get(seriesKey(way, s.label))!)) / fastest(torchMs.values()),
            ...(Number.isFinite(ratioCpu1T) ? { ratioCpu1T } : {}),
          };
        };
        const ways = { fresh: readings('fresh'), kept: readings('kept') };
        const row: Row = { objective, ...config, ways, torch, torchCpu: torchCpuMedians, valueDflc, valueTorch };
        const missed = WAYS.some((way) => ways[way].ratio > 1 || (ways[way].ratioCpu1T ?? 0) > 1);
        if (missed && sides.length > 0) row.profile = await profile(runOn(sides[0].executor, 'kept'), 3);
        rows.push(row);
        done.set(key(objective), row);
        // After every row, so that a run cut short (a busy machine) leaves what it measured.
        await writeResults(rows, header, sides.map((s) => s.label), loadStart);
        console.error(`${objective} n=${config.n} d=${config.d}: ratio ${ways.fresh.ratio.toFixed(2)} fresh, ${ways.kept.ratio.toFixed(2)} kept (load ${loadavg()[0].toFixed(1)})`);
      }
    }
  } finally {
    peer.close();
    for (const side of sides) side.executor.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  report(rows, header, sides.map((s) => s.label), loadStart);
  await writeResults(rows, header, sides.map((s) => s.label), loadStart);
  console.log(`wrote ${flags.json} and ${flags.svg}`);
  if (rows.some((r) => Math.abs(r.valueDflc - r.valueTorch) > VALUE_TOLERANCE * Math.max(1, Math.abs(r.valueTorch)))) process.exitCode = 1;
}

async function writeResults(rows: readonly Row[], header: { torch: string; blas: string }, labels: readonly string[], loadStart: number): Promise<void> {
  const results = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), loadStart, loadEnd: loadavg() },
    malloc: mallocSettings(),
    torch: header,
    eigh: hostEighSolver(float32EngineRoutine()),
    objectives: Object.fromEntries(OBJECTIVE_NAMES.map((o) => [o, OBJECTIVES[o]])),
    rounds: ROUNDS,
    minMs: MIN_MS,
    rows,
  };
  mkdirSync(dirname(flags.json), { recursive: true });
  await atomicWrite(flags.json, `${JSON.stringify(results, null, 2)}\n`);
  const caption = `${results.date.slice(0, 10)}, ${results.machine.cores} cores, load ${loadStart.toFixed(1)} → ${loadavg()[0].toFixed(1)}; dflc ${labels[0] ?? ''} (fresh outputs) solid, PyTorch best of ${TORCH_THREADS.join('/')} threads dashed`;
  await atomicWrite(flags.svg, plot(rows, caption));
}

function report(rows: readonly Row[], header: { torch: string; blas: string }, labels: readonly string[], loadStart: number): void {
  const cores = availableParallelism();
  console.log(`load average: ${loadStart.toFixed(2)} at start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at end (1, 5, 15 min) on ${cores} cores`);
  console.log(`PyTorch ${header.torch} (${header.blas}), float32; dflc float32, eigh: ${hostEighSolver(float32EngineRoutine())}; median ms per value + gradient`);
  console.log(mallocLine());
  console.log('dflc is timed two ways: "fresh" = run() returns every output in new arrays each call; "kept" = run(..., { into }) writes them into arrays kept across calls');
  const perWay = (cell: string) => WAYS.map((way) => `${cell} ${way}`);
  const cells = ['objective', 'n', 'd', ...labels.flatMap((l) => perWay(`dflc ${l}`)), ...TORCH_THREADS.map((t) => `torch ${t}T`), ...perWay('ratio'), ...perWay('best ratio'), ...perWay('CPU ratio 1T'), 'values agree'];
  const widths = cells.map((c) => Math.max(c.length, 9) + 2);
  const line = (xs: readonly string[]) => xs.map((x, i) => x.padStart(widths[i])).join('');
  console.log(line(cells));
  for (const r of rows) {
    const agree = Math.abs(r.valueDflc - r.valueTorch) <= VALUE_TOLERANCE * Math.max(1, Math.abs(r.valueTorch));
    console.log(
      line([
        r.objective,
        String(r.n),
        String(r.d),
        ...labels.flatMap((l) => WAYS.map((way) => r.ways[way].dflc[l].toFixed(2))),
        ...TORCH_THREADS.map((t) => r.torch[`${t}T`].toFixed(2)),
        ...WAYS.map((way) => r.ways[way].ratio.toFixed(2)),
        ...WAYS.map((way) => r.ways[way].ratioBest.toFixed(2)),
        ...WAYS.map((way) => r.ways[way].ratioCpu1T?.toFixed(2) ?? '-'),
        agree ? 'yes' : `NO (${r.valueDflc} vs ${r.valueTorch})`,
      ]),
    );
  }
  console.log('ratio: the fastest dflc median / the fastest PyTorch median (target <= 1), per way; best ratio: fastest call / fastest call;');
  console.log('CPU ratio 1T: CPU ms per call, dflc on 1 ONNX Runtime thread / PyTorch on 1 thread (medians; the reading a loaded machine disturbs least)');
  const missed = rows.filter((r) => r.profile !== undefined);
  if (missed.length > 0) console.log('\nper-stage profile where a ratio is above 1 (dflc, kept outputs, 3 calls):');
  for (const r of missed) {
    const p = r.profile!;
    console.log(
      `  ${r.objective} n=${r.n} d=${r.d}: ${p.totalMs.toFixed(1)} ms = eigh on the host ${p.eighMs.toFixed(1)} ms (${p.eighCalls} calls, ${((100 * p.eighMs) / p.totalMs).toFixed(0)}%) + ONNX graphs and transfers ${(p.totalMs - p.eighMs).toFixed(1)} ms`,
    );
  }
}

const COLORS: Readonly<Record<string, string>> = { card: '#c0392b', vicreg: '#2471a3', barlow: '#1e8449' };

function plot(rows: readonly Row[], caption: string) {
  const series = (pick: (r: Row) => boolean, x: (r: Row) => number): Series[] =>
    OBJECTIVE_NAMES.flatMap((o) => {
      const mine = rows.filter((r) => r.objective === o && pick(r)).sort((a, b) => x(a) - x(b));
      return [
        { label: `${o} dflc`, color: COLORS[o], dashed: false, points: mine.map((r) => [x(r), Math.min(...Object.values(r.ways.fresh.dflc))] as const) },
        { label: `${o} PyTorch`, color: COLORS[o], dashed: true, points: mine.map((r) => [x(r), Math.min(...Object.values(r.torch))] as const) },
      ];
    });
  const panels = [{ title: `cost against d (n = ${flags.n})`, xLabel: 'd', yLabel: 'ms per value + gradient', series: series((r) => r.sweep === 'd', (r) => r.d) }];
  for (const d of numbers(flags['n-dims'])) {
    panels.push({ title: `cost against n (d = ${d})`, xLabel: 'n', yLabel: 'ms per value + gradient', series: series((r) => r.sweep === 'n' && r.d === d, (r) => r.n) });
  }
  return logLogSvg(panels, caption);
}

await main();
