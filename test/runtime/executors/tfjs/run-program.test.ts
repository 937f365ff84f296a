import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import type { Node, Program } from '../../../../compiler/ir/node.ts';
import { tensor64 } from '../../../../compiler/ir/tensor.ts';
import type { OpName } from '../../../../compiler/ops/registry.ts';
import { InputShapeError } from '../../../../runtime/executors/bind-sizes.ts';
import { ensureActive } from '../../../../runtime/executors/tfjs/load-backend.ts';
import { tfjsLowerings, type TfjsLowering } from '../../../../runtime/executors/tfjs/lowering.ts';
import { runProgramTf } from '../../../../runtime/executors/tfjs/run-program.ts';
import type { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { loadExecutors, reference, relativeError, seeded, TEST_BACKENDS, TOLERANCE } from '../helpers.ts';

/** value = sum(square(Zᵀ Z)) + sum(eigvals(Zᵀ Z)) and its hand-written gradient 4 Z G + 2 Z. */
function gramProgram(): Program {
  const b = new IrBuilder();
  const z = b.make('input', [], { name: 'Z', shape: ['n', 'd'] });
  const g = b.make('matmul', [b.make('transpose', [z]), z]);
  const value = b.make('add', [b.make('sum', [b.make('square', [g])]), b.make('sum', [b.make('eigvals', [b.make('eigh', [g])])])]);
  const grad = b.make('add', [
    b.make('mul', [b.make('const', [], { value: 4, shape: [] }), b.make('matmul', [z, g])]),
    b.make('mul', [b.make('const', [], { value: 2, shape: [] }), z]),
  ]);
  return { inputs: [{ name: 'Z', shape: ['n', 'd'] }], outputs: [{ name: 'value', node: value }, { name: 'grad:Z', node: grad }] };
}

function randomZ(n: number, d: number, seed = 1) {
  const r = seeded(seed);
  return tensor64([n, d], Float32Array.from({ length: n * d }, () => r() * 2 - 1));
}

/** The standard table with every lowering wrapped by `spy`. */
function spiedTable(spy: (node: Node, lowering: TfjsLowering) => TfjsLowering['lower']): Record<OpName, TfjsLowering> {
  const table = {} as Record<OpName, TfjsLowering>;
  for (const [op, lowering] of Object.entries(tfjsLowerings) as [OpName, TfjsLowering][]) {
    table[op] = { kernels: lowering.kernels, lower: (inputs, attrs, ctx, node) => spy(node, lowering)(inputs, attrs, ctx, node) };
  }
  return table;
}

let executors: Map<string, TfjsExecutor>;
beforeAll(async () => {
  executors = await loadExecutors();
});
afterAll(() => executors?.forEach((e) => e.dispose()));

describe.each(TEST_BACKENDS)('running programs on %s', (backend) => {
  it('gives the value and gradient of a Gram objective with an eigendecomposition', async () => {
    const program = gramProgram();
    const inputs = new Map([['Z', randomZ(40, 6)]]);
    const want = reference(program, inputs);
    const got = await executors.get(backend)!.run(program, new Map([['Z', { shape: [40, 6], data: Float32Array.from(inputs.get('Z')!.data) }]]));
    expect(relativeError(got.get('value')!.data, want.get('value')!.data)).toBeLessThan(TOLERANCE);
    expect(relativeError(got.get('grad:Z')!.data, want.get('grad:Z')!.data)).toBeLessThan(TOLERANCE);
    expect(got.get('grad:Z')!.shape).toEqual([40, 6]);
    expect(got.get('value')!.shape).toEqual([]);
  });

  it('leaks no tensor through the executor, and none through runProgramTf beyond the outputs', async () => {
    const program = gramProgram();
    const data = Float32Array.from(randomZ(30, 5).data);
    const executor = executors.get(backend)!;
    await executor.run(program, new Map([['Z', { shape: [30, 5], data }]])); // warm-up
    const before = tf.memory().numTensors;
    await executor.run(program, new Map([['Z', { shape: [30, 5], data }]]));
    expect(tf.memory().numTensors).toBe(before);

    const z = tf.tensor(data, [30, 5]);
    const start = tf.memory().numTensors;
    const out = runProgramTf(program, new Map([['Z', z]]));
    expect(tf.memory().numTensors).toBe(start + 2); // exactly the two outputs
    expect(z.isDisposed).toBe(false); // the caller's input is untouched
    tf.dispose([...out.values()]);
    expect(tf.memory().numTensors).toBe(start);
    z.dispose();
  });

  it('computes every node exactly once and frees each intermediate after its last use', async () => {
    await ensureActive(backend);
    // A chain of 60 unary ops over a shared subexpression: without early disposal, 60+ tensors live.
    const b = new IrBuilder();
    const a = b.make('input', [], { name: 'A', shape: ['n', 'd'] });
    let x = b.make('mul', [a, a]);
    const shared = x;
    for (let i = 0; i < 30; i++) x = b.make(i % 2 === 0 ? 'sigmoid' : 'exp', [b.make('add', [x, shared])]);
    const program: Program = { inputs: [{ name: 'A', shape: ['n', 'd'] }], outputs: [{ name: 'value', node: b.make('sum', [x]) }] };
    const calls = new Map<number, number>();
    let peak = 0;
    const table = spiedTable((node, lowering) => (...args) => {
      calls.set(node.id, (calls.get(node.id) ?? 0) + 1);
      const out = lowering.lower(...args);
      peak = Math.max(peak, tf.memory().numTensors);
      return out;
    });
    const input = tf.tensor(Float32Array.from(randomZ(4, 3).data), [4, 3]);
    const start = tf.memory().numTensors;
    const out = runProgramTf(program, new Map([['A', input]]), { table });
    expect([...calls.values()].every((c) => c === 1)).toBe(true);
    expect(calls.size).toBe(63); // input, mul, 30 x (add, unary), sum
    expect(peak - start).toBeLessThanOrEqual(4); // shared, the chain's current value, add's result, and the new one
    tf.dispose([...out.values(), input]);
    expect(tf.memory().numTensors).toBe(start - 1);
  });

  it('frees everything it made when a lowering throws half-way', async () => {
    await ensureActive(backend);
    const program = gramProgram();
    const table = spiedTable((node, lowering) =>
      node.op === 'eigh' ? () => { throw new Error('boom'); } : lowering.lower,
    );
    const z = tf.tensor(Float32Array.from(randomZ(8, 3).data), [8, 3]);
    const start = tf.memory().numTensors;
    expect(() => runProgramTf(program, new Map([['Z', z]]), { table })).toThrow('boom');
    expect(tf.memory().numTensors).toBe(start);
    z.dispose();
  });

  it('returns distinct tensors for outputs that share a node or are an input', async () => {
    await ensureActive(backend);
    const b = new IrBuilder();
    const a = b.make('input', [], { name: 'A', shape: [2, 2] });
    const e = b.make('exp', [a]);
    const program: Program = {
      inputs: [{ name: 'A', shape: [2, 2] }],
      outputs: [{ name: 'value', node: e }, { name: 'again', node: e }, { name: 'same', node: b.make('stop_gradient', [a]) }],
    };
    const input = tf.tensor([[0, 1], [2, 3]]);
    const out = runProgramTf(program, new Map([['A', input]]));
    const tensors = [...out.values()];
    expect(new Set(tensors).size).toBe(3);
    expect(tensors.includes(input)).toBe(false);
    tf.dispose(tensors);
    expect(input.isDisposed).toBe(false);
    expect(Array.from(input.dataSync())).toEqual([0, 1, 2, 3]);
    input.dispose();
  });

  it('rejects missing, unknown and mis-shaped inputs before doing any work', async () => {
    const program = gramProgram();
    const executor = executors.get(backend)!;
    const before = tf.memory().numTensors;
    await expect(executor.run(program, new Map())).rejects.toThrow(InputShapeError);
    await expect(executor.run(program, new Map([['Z', { shape: [4], data: new Float32Array(4) }]]))).rejects.toThrow(
      /input 'Z' should be matrix\[n, d\], got an array of shape \[4\]/,
    );
    await expect(
      executor.run(program, new Map([['Z', { shape: [2, 2], data: new Float32Array(4) }], ['W', { shape: [2, 2], data: new Float32Array(4) }]])),
    ).rejects.toThrow(/unknown input 'W'/);
    await expect(executor.run(program, new Map([['Z', { shape: [2, 2], data: new Float32Array(3) }]]))).rejects.toThrow(/3 values/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('binds a symbolic dimension shared by two inputs and refuses disagreeing sizes', async () => {
    const b = new IrBuilder();
    const p = b.make('input', [], { name: 'Z_t', shape: ['n', 'd'] });
    const q = b.make('input', [], { name: 'Z_t+1', shape: ['n', 'd'] });
    const program: Program = {
      inputs: [{ name: 'Z_t', shape: ['n', 'd'] }, { name: 'Z_t+1', shape: ['n', 'd'] }],
      outputs: [{ name: 'value', node: b.make('sum', [b.make('mul', [p, q])]) }],
    };
    const executor = executors.get(backend)!;
    const ok = await executor.run(program, new Map([
      ['Z_t', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
      ['Z_t+1', { shape: [2, 3], data: Float32Array.from([1, 1, 1, 1, 1, 2]) }],
    ]));
    expect(ok.get('value')!.data[0]).toBe(27);
    await expect(executor.run(program, new Map([
      ['Z_t', { shape: [2, 3], data: new Float32Array(6) }],
      ['Z_t+1', { shape: [3, 2], data: new Float32Array(6) }],
    ]))).rejects.toThrow("input 'Z_t+1' gives n = 3, but n is 2 in input 'Z_t'");
  });

  it('does not modify the caller\'s arrays, and returns arrays the caller may keep', async () => {
    const b = new IrBuilder();
    const a = b.make('input', [], { name: 'A', shape: [3] });
    const program: Program = { inputs: [{ name: 'A', shape: [3] }], outputs: [{ name: 'value', node: a }, { name: 'neg', node: b.make('neg', [a]) }] };
    const data = Float32Array.from([1, 2, 3]);
    const out = await executors.get(backend)!.run(program, new Map([['A', { shape: [3], data }]]));
    expect(out.get('value')!.data).not.toBe(data);
    out.get('value')!.data[0] = 99;
    expect(Array.from(data)).toEqual([1, 2, 3]);
    expect(Array.from(out.get('neg')!.data)).toEqual([-1, -2, -3]);
  });
});
