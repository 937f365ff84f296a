import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import { evaluate, inferSizes } from '../../../compiler/backends/reference/evaluate.ts';
import { tfjsLowerings } from '../../../runtime/executors/tfjs/lowering.ts';
import type { Executor } from '../../../runtime/executors/executor.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { IrError } from '../../../compiler/ir/ir-error.ts';
import type { Node, Program } from '../../../compiler/ir/node.ts';
import type { Shape } from '../../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { nodeFlops } from '../../../compiler/cost.ts';
import { opDef } from '../../../compiler/ops/registry.ts';
import { compareGradients, seededUniform } from '../../helpers/finite-diff.ts';
import { expectMatchesReference, programOf, run, type Case } from './op-case.ts';
import { EXECUTOR_BACKENDS, loadAllExecutors, undeclaredKernels, loadExecutors, toFloat32 } from '../../runtime/executors/helpers.ts';

/**
 * gather (rows of a table) and scatter_add (rows summed into buckets), each other's transpose:
 * values against hand formulas, gradients against finite differences, duplicates, empty id
 * lists, out-of-range ids, and the tfjs lowering on wasm and cpu against the reference.
 */

const TABLE = tensor64([4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const VALUES = tensor64([5, 2], [1, -2, 0.5, 3, -1, 4, 2, 2, 0.25, -0.5]);

const gatherCase = (ids: number[]): Case => ({
  inputs: { table: [['V', 'e'], TABLE], ids: [['m'], tensor64([ids.length], ids)] },
  build: (b, x) => b.make('gather', [x.table, x.ids]),
});
const scatterCase = (ids: number[], values = VALUES, rows: number | string = 3): Case => ({
  inputs: { values: [['m', 'e'], values], ids: [['m'], tensor64([ids.length], ids)] },
  build: (b, x) => b.make('scatter_add', [x.values, x.ids], { rows }),
});

/** sum(op(...) ⊙ W) for a random W: a scalar whose gradient reaches every differentiable input. */
function weighted(c: Case, outShape: Shape, w: Tensor64): Program {
  const { program } = programOf({ ...c, inputs: { ...c.inputs, W: [outShape, w] } });
  const b = new IrBuilder();
  const x: Record<string, Node> = {};
  for (const input of program.inputs) x[input.name] = b.make('input', [], { name: input.name, shape: input.shape });
  return { inputs: program.inputs, outputs: [{ name: 'value', node: b.make('sum', [b.make('mul', [c.build(b, x), x.W])]) }] };
}

describe('gather', () => {
  it('takes rows of the table in id order, rounding ids and repeating duplicates', () => {
    const out = run(gatherCase([2, 0, 2.0000001, 3]));
    expect(out.shape).toEqual([4, 3]);
    expect(Array.from(out.data)).toEqual([7, 8, 9, 1, 2, 3, 7, 8, 9, 10, 11, 12]);
  });

  it('gives a matrix[m, e] of a table[V, e] and ids[m], and refuses other ranks', () => {
    const b = new IrBuilder();
    const table = b.make('input', [], { name: 'T', shape: ['V', 'e'] });
    const ids = b.make('input', [], { name: 'i', shape: ['m'] });
    expect(b.make('gather', [table, ids]).shape).toEqual(['m', 'e']);
    expect(() => b.make('gather', [ids, ids])).toThrow('gather takes a table matrix[V, e] and ids vector[m], got vector[m] and vector[m]');
    expect(() => b.make('gather', [table, table])).toThrow(IrError);
  });

  it('gives an empty matrix for no ids', () => {
    const out = run(gatherCase([]));
    expect(out.shape).toEqual([0, 3]);
    expect(out.data.length).toBe(0);
  });

  it('names an id that is not a row', () => {
    expect(() => run(gatherCase([1, 4]))).toThrow('gather: id 4 (entry 1) is not a row of a table with 4 rows (0..3)');
    expect(() => run(gatherCase([-1]))).toThrow('gather: id -1 (entry 0)');
    expect(() => run(gatherCase([Number.NaN]))).toThrow('gather: id NaN');
  });

  it('has the gradient scatter_add to the table and none to the ids (finite differences)', () => {
    const ids = [2, 0, 2, 3, 2];
    const w = tensor64([5, 3], Array.from({ length: 15 }, (_, i) => Math.sin(i + 1)));
    const program = weighted(gatherCase(ids), ['m', 'e'], w);
    const values = new Map<string, Tensor64>([
      ['table', TABLE],
      ['ids', tensor64([5], ids)],
      ['W', w],
    ]);
    const sizes = inferSizes(program, values);
    const result = compareGradients(program, values, sizes, { directions: 2, entries: true, uniform: seededUniform(3) });
    expect(result.worst, result.where).toBeLessThan(1e-6);
    // Row 2, read three times, receives W's rows 0, 2 and 4; row 1, never read, zeros; the ids nothing.
    const grads = evaluate(differentiate(program), values, sizes);
    const row = (t: Tensor64, i: number) => Array.from(t.data.subarray(i * 3, i * 3 + 3));
    const sum3 = row(w, 0).map((x, j) => x + row(w, 2)[j] + row(w, 4)[j]);
    row(grads.get('grad:table')!, 2).forEach((x, j) => expect(x).toBeCloseTo(sum3[j], 14));
    expect(row(grads.get('grad:table')!, 1)).toEqual([0, 0, 0]);
    expect(row(grads.get('grad:table')!, 0)).toEqual(row(w, 1));
    expect(Array.from(grads.get('grad:ids')!.data)).toEqual([0, 0, 0, 0, 0]);
  });

  it('costs nothing (data movement)', () => {
    const b = new IrBuilder();
    const node = b.make('gather', [b.make('input', [], { name: 'T', shape: [4, 3] }), b.make('input', [], { name: 'i', shape: ['m'] })]);
    expect(nodeFlops(node).toString()).toBe('0');
  });
});

describe('scatter_add', () => {
  it('sums value rows into the rows their ids name, duplicates summed, untouched rows zero', () => {
    const out = run(scatterCase([2, 0, 2, 2, 0], VALUES, 4));
    // row 0: v1 + v4 = [0.5 + 0.25, 3 - 0.5]; row 2: v0 + v2 + v3 = [1 - 1 + 2, -2 + 4 + 2]
    expect(out.shape).toEqual([4, 2]);
    expect(Array.from(out.data)).toEqual([0.75, 2.5, 0, 0, 2, 4, 0, 0]);
  });

  it('gives a matrix[rows, e], rows a number or a symbol, and needs one id per value row', () => {
    const b = new IrBuilder();
    const values = b.make('input', [], { name: 'v', shape: ['m', 'e'] });
    const ids = b.make('input', [], { name: 'i', shape: ['m'] });
    const other = b.make('input', [], { name: 'j', shape: ['k'] });
    expect(b.make('scatter_add', [values, ids], { rows: 7 }).shape).toEqual([7, 'e']);
    expect(b.make('scatter_add', [values, ids], { rows: 'n' }).shape).toEqual(['n', 'e']);
    expect(() => b.make('scatter_add', [values, other], { rows: 7 })).toThrow('scatter_add needs one id per row of values, got matrix[m, e] and vector[k]');
    expect(() => b.make('scatter_add', [values, ids], {})).toThrow("attribute 'rows'");
    const symbolic = scatterCase([1, 1, 0, 1, 0], VALUES, 'n');
    const { program, values: arrays } = programOf(symbolic);
    expect(evaluate(program, arrays, new Map([...inferSizes(program, arrays), ['n', 2]])).get('out')!.shape).toEqual([2, 2]);
  });

  it('gives zeros for no values', () => {
    const out = run(scatterCase([], tensor64([0, 2]), 3));
    expect(out.shape).toEqual([3, 2]);
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('names an id that is not a row', () => {
    expect(() => run(scatterCase([0, 1, 3, 0, 0], VALUES, 3))).toThrow('scatter_add: id 3 (entry 2) is not a row of a table with 3 rows (0..2)');
  });

  it('has the gradient gather to the values and none to the ids (finite differences)', () => {
    const ids = [2, 0, 2, 2, 0];
    const w = tensor64([3, 2], [0.3, -1.1, 2, 0.7, -0.4, 1.9]);
    const program = weighted(scatterCase(ids), [3, 'e'], w);
    const values = new Map<string, Tensor64>([
      ['values', VALUES],
      ['ids', tensor64([5], ids)],
      ['W', w],
    ]);
    const result = compareGradients(program, values, inferSizes(program, values), { directions: 2, entries: true, uniform: seededUniform(5) });
    expect(result.worst, result.where).toBeLessThan(1e-6);
  });

  it('is the transpose of gather: <gather(T, ids), G> = <T, scatter_add(G, ids)>', () => {
    const ids = tensor64([5], [3, 1, 3, 0, 1]);
    const g = tensor64([5, 3], Array.from({ length: 15 }, (_, i) => Math.cos(i)));
    const gathered = opDef('gather').evaluate([TABLE, ids], {}, new Map()) as Tensor64;
    const scattered = opDef('scatter_add').evaluate([g, ids], { rows: 4 }, new Map()) as Tensor64;
    const left = gathered.data.reduce((s, x, i) => s + x * g.data[i], 0);
    const right = TABLE.data.reduce((s, x, i) => s + x * scattered.data[i], 0);
    expect(left).toBeCloseTo(right, 12);
  });

  it('costs one addition per value', () => {
    const b = new IrBuilder();
    const node = b.make('scatter_add', [b.make('input', [], { name: 'v', shape: ['m', 8] }), b.make('input', [], { name: 'i', shape: ['m'] })], { rows: 4 });
    expect(nodeFlops(node).toString()).toBe('8·m');
  });
});

describe.each(EXECUTOR_BACKENDS)('gather and scatter_add on %s', (backend) => {
  let executors: Map<string, Executor>;
  beforeAll(async () => {
    executors = await loadAllExecutors();
  });
  afterAll(() => executors?.forEach((e) => e.dispose()));

  const cases: [string, Case][] = [
    ['gather with duplicates', gatherCase([2, 0, 2, 3, 2])],
    ['gather of no ids', gatherCase([])],
    ['scatter_add with duplicates', scatterCase([2, 0, 2, 2, 0], VALUES, 4)],
    ['scatter_add of no values', scatterCase([], tensor64([0, 2]), 3)],
    [
      'gather then scatter_add (pooling)',
      {
        inputs: { table: [['V', 'e'], TABLE], ids: [['m'], tensor64([6], [3, 1, 3, 0, 1, 1])], rows: [['m'], tensor64([6], [0, 0, 1, 2, 2, 2])] },
        build: (b, x) => b.make('scatter_add', [b.make('gather', [x.table, x.ids]), x.rows], { rows: 3 }),
      },
    ],
  ];

  it.each(cases)('%s matches the reference', async (_name, c) => {
    const { got, want } = await expectMatchesReference(executors.get(backend)!, c);
    if (want.data.length > 0) expect(Array.from(got.data)).toEqual(Array.from(want.data)); // exact: sums of a few float32 values
  });

  // tfjs's kernel registry; ONNX Runtime has no such declarations to check.
  if (backend !== 'onnx') {
    it.each(cases)('%s runs only the kernels its lowering declares, all of which the backend has', async (_name, c) => {
      const { program, values } = programOf(c);
      expect(await undeclaredKernels(program, values, backend, [...tfjsLowerings.gather.kernels, ...tfjsLowerings.scatter_add.kernels])).toEqual([]);
    });
  }

  it('refuses an id that is not a row before any kernel can write out of bounds', async () => {
    const { program, values } = programOf(scatterCase([0, 1, 3, 0, 0], VALUES, 3));
    await expect(executors.get(backend)!.run(program, toFloat32(values))).rejects.toThrow('scatter_add: id 3 (entry 2) is not a row of a table with 3 rows (0..2)');
    const g = programOf(gatherCase([1, 4]));
    await expect(executors.get(backend)!.run(g.program, toFloat32(g.values))).rejects.toThrow('gather: id 4 (entry 1)');
  });
});

describe('kernel declarations', () => {
  it('need neither UnsortedSegmentSum (absent on wasm) nor anything wasm lacks', async () => {
    await loadExecutors();
    for (const op of ['gather', 'scatter_add'] as const) {
      expect(tfjsLowerings[op].kernels).not.toContain(tf.UnsortedSegmentSum);
      for (const kernel of tfjsLowerings[op].kernels) expect(tf.getKernel(kernel, 'wasm'), `${op}: ${kernel}`).toBeDefined();
    }
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBeUndefined();
  });
});
