/**
 * Wall time of one value+gradient of a Gram objective, sum(square(Zᵀ Z)), at n=4096, d=256, on
 * the wasm and cpu tfjs backends: the program `differentiate` builds, run through the executor
 * (upload, run, read back). Prints; asserts nothing.
 *
 *   npx tsx test/runtime/executors/tfjs/gram-bench.ts [n] [d] [repeats]
 */
import { differentiate } from '../../../../compiler/autodiff.ts';
import { compileValueAndGrad } from '../../../../compiler/pipeline.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import { topoOrder, type Program } from '../../../../compiler/ir/node.ts';
import * as tf from '@tensorflow/tfjs-core';
import type { OpName } from '../../../../compiler/ops/registry.ts';
import { tfjsLowerings, type TfjsLowering } from '../../../../runtime/executors/tfjs/lowering.ts';
import { runProgramTf } from '../../../../runtime/executors/tfjs/run-program.ts';
import { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import type { TfjsBackend } from '../../../../runtime/executors/tfjs/load-backend.ts';

const [n, d, repeats] = [Number(process.argv[2] ?? 4096), Number(process.argv[3] ?? 256), Number(process.argv[4] ?? 5)];

function gramForward(): Program {
  const b = new IrBuilder();
  const z = b.make('input', [], { name: 'Z', shape: ['n', 'd'] });
  const value = b.make('sum', [b.make('square', [b.make('matmul', [b.make('transpose', [z]), z])])]);
  return { inputs: [{ name: 'Z', shape: ['n', 'd'] }], outputs: [{ name: 'value', node: value }] };
}

/** What an optimised program should come to: G = ZᵀZ, value = sum(G²), grad = Z (4G). */
function gramByHand(): Program {
  const b = new IrBuilder();
  const z = b.make('input', [], { name: 'Z', shape: ['n', 'd'] });
  const g = b.make('matmul', [b.make('transpose', [z]), z]);
  const value = b.make('sum', [b.make('square', [g])]);
  const grad = b.make('matmul', [z, b.make('mul', [g, b.make('const', [], { value: 4, shape: [] })])]);
  return { inputs: [{ name: 'Z', shape: ['n', 'd'] }], outputs: [{ name: 'value', node: value }, { name: 'grad:Z', node: grad }] };
}

const programs: [string, Program][] = [['differentiate (unoptimised)', differentiate(gramForward())]];
try {
  const sizes = new Map([['n', n], ['d', d]]);
  programs.push(['compileValueAndGrad (optimised)', compileValueAndGrad(gramForward(), { sizes }).program]);
} catch (error) {
  console.log(`compileValueAndGrad failed: ${String(error)}`);
}
programs.push(['hand-optimised IR', gramByHand()]);
for (const [label, program] of programs) {
  const nodes = topoOrder(program.outputs.map((o) => o.node));
  console.log(`${label}: ${nodes.length} nodes (${nodes.map((node) => node.op).join(' ')})`);
}
const data = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 12.9898) * 0.5);
const inputs = new Map([['Z', { shape: [n, d], data }]]);

for (const backend of ['wasm', 'cpu'] as TfjsBackend[]) {
  const executor = await TfjsExecutor.create(backend);
  console.log(executor.loaded.description);
  for (const [label, program] of programs) {
    const matmuls = topoOrder(program.outputs.map((o) => o.node)).filter((node) => node.op === 'matmul').length;
    const runs = backend === 'cpu' ? Math.min(repeats, 3) : repeats;
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const start = performance.now();
      await executor.run(program, inputs);
      if (i > 0) times.push(performance.now() - start); // the first run warms up
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const gflops = (matmuls * 2 * n * d * d) / 1e9 / (median / 1e3);
    // Where the time goes: every lowering timed (wasm and cpu kernels run synchronously).
    const perOp = new Map<string, number>();
    const table = {} as Record<OpName, TfjsLowering>;
    for (const [op, lowering] of Object.entries(tfjsLowerings) as [OpName, TfjsLowering][]) {
      table[op] = {
        kernels: lowering.kernels,
        lower: (...args) => {
          const t0 = performance.now();
          const out = lowering.lower(...args);
          const key = `${op}${args[3].shape.length === 2 ? `[${args[3].shape.map((dim) => (dim === 'n' ? n : dim === 'd' ? d : dim)).join('x')}]` : ''}`;
          perOp.set(key, (perOp.get(key) ?? 0) + performance.now() - t0);
          return out;
        },
      };
    }
    const z = tf.tensor(data, [n, d]);
    const t0 = performance.now();
    const outs = runProgramTf(program, new Map([['Z', z]]), { table });
    const computeMs = performance.now() - t0;
    const t1 = performance.now();
    for (const t of outs.values()) t.dataSync();
    const readMs = performance.now() - t1;
    tf.dispose([z, ...outs.values()]);
    const breakdown = [...perOp].sort((a, b) => b[1] - a[1]).map(([op, ms]) => `${op} ${ms.toFixed(1)}`).join(', ');
    console.log(`  ${label}: one run by op (ms): ${breakdown}; compute ${computeMs.toFixed(1)}, read-back ${readMs.toFixed(1)}`);
    console.log(
      `  ${label}: value+grad n=${n} d=${d}: median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} ms ` +
        `over ${times.length} runs (${matmuls} matmuls, ${gflops.toFixed(1)} GFLOP/s overall)`,
    );
  }
  executor.dispose();
}
