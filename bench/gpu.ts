/**
 * `npm run bench:gpu`: dflc on a GPU (`--backend onnx-webgpu`, ONNX Runtime's WebGPU provider)
 * beside dflc on the CPU (`onnx`, every core) and PyTorch, in one run of a few minutes (under 5 on
 * the 2-core development machine with Mesa's software Vulkan; a real GPU is faster), printing
 * what a reader needs: the machine, the adapters Vulkan lists and the one used, then
 *
 * 1. training steps (bench/train.ts): the EHR encoder with the card's objective and Adam, batch
 *    256, dim 64, ms per step for onnx-webgpu, onnx and PyTorch, with the losses compared;
 * 2. objectives (bench/objective.ts): ms per value-and-gradient of card and VICReg at n = 4096 for
 *    d = 64 and 256 (64 only on a software adapter), dflc on each backend beside PyTorch.
 *
 * Each part runs in its own process (as `npm run bench:train` / `bench:objective` would, with the
 * flags printed). Exit code 1 when onnx-webgpu cannot start here (the reason is printed) or a part
 * fails. Part 2 also writes its JSON and SVG into a temporary folder, named at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendUnavailableError } from '../runtime/executors/executor.ts';
import { listGpuAdapters } from '../runtime/executors/gpu/vulkan-adapters.ts';
import { OnnxExecutor } from '../runtime/executors/onnx/onnx-executor.ts';

const cores = availableParallelism();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

console.log(`bench:gpu  ${new Date().toISOString()}  node ${process.version}  ${process.platform}-${process.arch}`);
console.log(`cpu: ${cpus()[0]?.model ?? 'unknown'}, ${cores} cores; load average (1, 5, 15 min): ${load()}`);
const listing = await listGpuAdapters();
if ('reason' in listing) console.log(`Vulkan adapters: none listed (${listing.reason})`);
else console.log(`Vulkan adapters: ${listing.adapters.map((a) => `${a.name} (${a.type === 'cpu' ? 'software' : a.type})`).join('; ') || 'none'}`);

let software = false;
try {
  const executor = await OnnxExecutor.create({ provider: 'webgpu' });
  console.log(`GPU backend: ${executor.description}`);
  software = executor.adapter?.type === 'cpu';
  if (software) console.log('  (a software adapter: slower than the CPU backend, the numbers test the path, not a GPU; objectives at d = 64 only, to stay under 5 minutes)');
  executor.dispose();
} catch (error) {
  if (!(error instanceof BackendUnavailableError)) throw error;
  console.log(`GPU backend: cannot start here: ${error.message}`);
  process.exit(1);
}

/** Runs one bench script with `args`, its output shown as it comes. */
function part(title: string, script: string, args: readonly string[]): boolean {
  console.log(`\n== ${title}\n$ npx tsx ${script} ${args.join(' ')}`);
  const started = performance.now();
  try {
    execFileSync(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit' });
    return true;
  } catch {
    console.log(`${script} failed (see above)`);
    return false;
  } finally {
    console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s; load average ${load()})`);
  }
}

const threads = [...new Set([1, cores])].join(',');
const results = mkdtempSync(join(tmpdir(), 'dflc-bench-gpu-'));
const train = part('training steps: onnx-webgpu vs onnx (CPU) vs PyTorch', 'bench/train.ts', [
  '--backends', 'onnx-webgpu,onnx',
  '--onnx-ways', 'c-api',
  '--onnx-threads', threads,
  '--torch-threads', threads,
  '--rounds', '2',
  '--warmup', '5',
  '--steps', '8',
  '--profile-steps', '0',
  '--cpu-steps', '0',
]);
const objective = part('objectives, value and gradient: onnx-webgpu vs onnx (CPU) vs PyTorch', 'bench/objective.ts', [
  '--backends', 'onnx-webgpu,onnx',
  '--onnx-threads', String(cores),
  '--torch-threads', threads,
  '--objectives', 'card,vicreg',
  '--n', '4096',
  '--dims', software ? '64' : '64,256',
  '--n-dims', '',
  '--rounds', '2',
  '--min-ms', '200',
  '--json', join(results, 'gpu-objective.json'),
  '--svg', join(results, 'gpu-objective.svg'),
]);
if (!train || !objective) process.exitCode = 1;
