import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import { evaluate, inferSizes } from '../../../compiler/backends/reference/evaluate.ts';
import { tfjsLowerings } from '../../../runtime/executors/tfjs/lowering.ts';
import type { Executor } from '../../../runtime/executors/executor.ts';
import { nodeFlops } from '../../../compiler/cost.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { IrError } from '../../../compiler/ir/ir-error.ts';
import { topoOrder, type Node, type Program } from '../../../compiler/ir/node.ts';
import type { Shape } from '../../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { compareGradients, seededUniform } from '../../helpers/finite-diff.ts';
import { expectMatchesReference, programOf, run, type Case } from './op-case.ts';
import { EXECUTOR_BACKENDS, loadAllExecutors, undeclaredKernels, relativeError, toFloat32, TOLERANCE } from '../../runtime/executors/helpers.ts';

/**
 * segment_pool (out[rows[i]] += weights[i] · table[ids[i]]): values against the hand formula and
 * against the composition it fuses, scatter_add(gather(table, ids) ⊙ weights, rows); gradients to
 * the table and the weights against finite differences and against hand formulas; duplicates,
 * empty lists, ids and rows out of range; the tfjs lowering on wasm and cpu against the reference.
 */

const TABLE = tensor64([4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const IDS = [2, 0, 2, 3, 2.0000001, 1];
const WEIGHTS = [0.5, -1.25, 2, 0.75, -0.5, 1.5];
const ROWS = [1, 1, 0, 2, 1, 0];

const list = (xs: readonly number[]): Tensor64 => tensor64([xs.length], xs);

function poolCase(ids = IDS, weights = WEIGHTS, rows = ROWS, buckets: number | string = 3, table = TABLE): Case {
  return {
    inputs: { table: [['V', 'e'], table], ids: [['m'], list(ids)], w: [['m'], list(weights)], rows: [['m'], list(rows)] },
    build: (b, x) => b.make('segment_pool', [x.table, x.ids, x.w, x.rows], { rows: buckets }),
  };
}

/** The composition segment_pool fuses, on the same inputs. */
function composedCase(buckets = 3): Case {
  return {
    ...poolCase(IDS, WEIGHTS, ROWS, buckets),
    build: (b, x) =>
      b.make('scatter_add', [b.make('mul', [b.make('gather', [x.table, x.ids]), b.make('bcast_cols', [x.w], { cols: 'e' })]), x.rows], {
        rows: buckets,
      }),
  };
}

/** sum(op(...) ⊙ W) for a given W: a scalar whose gradient reaches every differentiable input. */
function weighted(c: Case, outShape: Shape, w: Tensor64): { program: Program; values: Map<string, Tensor64> } {
  const withW: Case = { ...c, inputs: { ...c.inputs, W: [outShape, w] } };
  const { program, values } = programOf(withW);
  const b = new IrBuilder();
  const x: Record<string, Node> = {};
  for (const input of program.inputs) x[input.name] = b.make('input', [], { name: input.name, shape: input.shape });
  return { program: { inputs: program.inputs, outputs: [{ name: 'value', node: b.make('sum', [b.make('mul', [c.build(b, x), x.W])]) }] }, values };
}

const row = (t: Tensor64, i: number): number[] => Array.from(t.data.subarray(i * t.shape[1], (i + 1) * t.shape[1]));

describe('segment_pool', () => {
  it('adds weights[i] · table[ids[i]] into row rows[i]: ids rounded, duplicates in ids and rows summed, untouched rows zero', () => {
    const out = run(poolCase(IDS, WEIGHTS, ROWS, 4));
    expect(out.shape).toEqual([4, 3]);
    const t = (i: number) => row(TABLE, i);
    const expected = [
      t(2).map((x, j) => 2 * x + 1.5 * t(1)[j]), // entries 2 and 5
      t(2).map((x, j) => 0.5 * x - 1.25 * t(0)[j] - 0.5 * x), // entries 0, 1 and 4 (id 2.0000001 is row 2)
      t(3).map((x) => 0.75 * x), // entry 3
      [0, 0, 0],
    ];
    expected.forEach((want, r) => row(out, r).forEach((x, j) => expect(x).toBeCloseTo(want[j], 14)));
  });

  it('equals scatter_add(gather(table, ids) ⊙ weights, rows)', () => {
    const fused = run(poolCase());
    const composed = run(composedCase());
    expect(fused.shape).toEqual(composed.shape);
    fused.data.forEach((x, i) => expect(x).toBeCloseTo(composed.data[i], 14));
  });

  it('gives a matrix[rows, e], rows a number or a symbol, and refuses other ranks and lengths', () => {
    const b = new IrBuilder();
    const table = b.make('input', [], { name: 'T', shape: ['V', 'e'] });
    const ids = b.make('input', [], { name: 'i', shape: ['m'] });
    const w = b.make('input', [], { name: 'w', shape: ['m'] });
    const rows = b.make('input', [], { name: 'r', shape: ['m'] });
    const other = b.make('input', [], { name: 'k', shape: ['k'] });
    expect(b.make('segment_pool', [table, ids, w, rows], { rows: 7 }).shape).toEqual([7, 'e']);
    expect(b.make('segment_pool', [table, ids, w, rows], { rows: 'n' }).shape).toEqual(['n', 'e']);
    expect(() => b.make('segment_pool', [ids, ids, w, rows], { rows: 7 })).toThrow(
      'segment_pool takes a table matrix[V, e] and vectors ids[m], weights[m], rows[m], got vector[m], vector[m], vector[m] and vector[m]',
    );
    expect(() => b.make('segment_pool', [table, table, w, rows], { rows: 7 })).toThrow(IrError);
    expect(() => b.make('segment_pool', [table, ids, other, rows], { rows: 7 })).toThrow(
      'segment_pool needs one weight and one row per id, got matrix[V, e], vector[m], vector[k] and vector[m]',
    );
    expect(() => b.make('segment_pool', [table, ids, w, other], { rows: 7 })).toThrow('segment_pool needs one weight and one row per id');
    expect(() => b.make('segment_pool', [table, ids, w, rows], {})).toThrow("attribute 'rows'");
    expect(() => b.make('segment_pool', [table, ids, w], { rows: 7 })).toThrow('segment_pool takes 4 inputs, got 3');
  });

  it('gives zeros for no entries', () => {
    const out = run(poolCase([], [], [], 3));
    expect(out.shape).toEqual([3, 3]);
    expect(Array.from(out.data)).toEqual(new Array(9).fill(0));
  });

  it('names an id or a row out of range, and which list it is in', () => {
    expect(() => run(poolCase([1, 4], [1, 1], [0, 0]))).toThrow('segment_pool (ids): id 4 (entry 1) is not a row of a table with 4 rows (0..3)');
    expect(() => run(poolCase([-1], [1], [0]))).toThrow('segment_pool (ids): id -1 (entry 0)');
    expect(() => run(poolCase([Number.NaN], [1], [0]))).toThrow('segment_pool (ids): id NaN');
    expect(() => run(poolCase([1, 2, 3], [1, 1, 1], [0, 2, 3], 3))).toThrow('segment_pool (rows): id 3 (entry 2) is not a row of a table with 3 rows (0..2)');
  });

  it('has gradients to the table and the weights (finite differences) and none to ids and rows', () => {
    const w = tensor64([3, 3], Array.from({ length: 9 }, (_, i) => Math.sin(i + 1)));
    const { program, values } = weighted(poolCase(), [3, 'e'], w);
    const sizes = inferSizes(program, values);
    const result = compareGradients(program, values, sizes, { directions: 2, entries: true, uniform: seededUniform(11) });
    expect(result.worst, result.where).toBeLessThan(1e-6);
    const grads = evaluate(differentiate(program), values, sizes);
    // Table row v receives Σ over entries i with ids[i] = v of weights[i] · W[rows[i]].
    const table = grads.get('grad:table')!;
    const want = [0, 1, 2, 3].map((v) =>
      [0, 1, 2].map((j) => IDS.reduce((acc, id, i) => acc + (Math.round(id) === v ? WEIGHTS[i] * w.data[ROWS[i] * 3 + j] : 0), 0)),
    );
    want.forEach((r, v) => row(table, v).forEach((x, j) => expect(x).toBeCloseTo(r[j], 14)));
    // Weight i receives <table[ids[i]], W[rows[i]]>.
    const gw = grads.get('grad:w')!;
    IDS.forEach((id, i) => {
      const dot = row(TABLE, Math.round(id)).reduce((acc, x, j) => acc + x * w.data[ROWS[i] * 3 + j], 0);
      expect(gw.data[i]).toBeCloseTo(dot, 13);
    });
    expect(Array.from(grads.get('grad:ids')!.data)).toEqual(new Array(IDS.length).fill(0));
    expect(Array.from(grads.get('grad:rows')!.data)).toEqual(new Array(ROWS.length).fill(0));
  });

  it('gives the table gradient as one segment_pool with the roles of ids and rows swapped', () => {
    const w = tensor64([3, 3], Array.from({ length: 9 }, (_, i) => Math.cos(i)));
    const { program } = weighted(poolCase(), [3, 'e'], w);
    const grad = differentiate(program, { wrt: ['table'] }).outputs.find((o) => o.name === 'grad:table')!.node;
    const pools = topoOrder([grad]).filter((n) => n.op === 'segment_pool');
    expect(pools).toHaveLength(1);
    const [g, ids, weights, rows] = pools[0].inputs;
    expect(g.shape).toEqual([3, 'e']); // the cotangent of the output
    expect([ids.attrs.name, weights.attrs.name, rows.attrs.name]).toEqual(['rows', 'w', 'ids']);
    expect(pools[0].attrs).toEqual({ rows: 'V' });
    expect(topoOrder([grad]).some((n) => n.op === 'gather' || n.op === 'scatter_add')).toBe(false);
  });

  it('has an empty gradient for no entries', () => {
    const w = tensor64([3, 3], Array.from({ length: 9 }, (_, i) => i));
    const { program, values } = weighted(poolCase([], [], []), [3, 'e'], w);
    const grads = evaluate(differentiate(program), values, inferSizes(program, values));
    expect(Array.from(grads.get('grad:table')!.data)).toEqual(new Array(12).fill(0));
    expect(grads.get('grad:w')!.shape).toEqual([0]);
  });

  it('costs a multiply and an add per looked-up value', () => {
    const b = new IrBuilder();
    const vec = (name: string) => b.make('input', [], { name, shape: ['m'] });
    const node = b.make('segment_pool', [b.make('input', [], { name: 'T', shape: ['V', 8] }), vec('i'), vec('w'), vec('r')], { rows: 4 });
    expect(nodeFlops(node).toString()).toBe('16·m');
  });
});

describe.each(EXECUTOR_BACKENDS)('segment_pool on %s', (backend) => {
  let executors: Map<string, Executor>;
  beforeAll(async () => {
    executors = await loadAllExecutors();
  });
  afterAll(() => executors?.forEach((e) => e.dispose()));

  const cases: [string, Case][] = [
    ['duplicates in ids and rows', poolCase(IDS, WEIGHTS, ROWS, 4)],
    ['into a symbolic number of rows', poolCase(IDS, WEIGHTS, ROWS, 'V')],
    ['no entries', poolCase([], [], [], 3)],
    // 11 columns: the host loop's unrolled part (8) and its tail (3)
    ['rows of 11 columns', poolCase(IDS, WEIGHTS, ROWS, 3, tensor64([4, 11], Array.from({ length: 44 }, (_, i) => Math.sin(i) * 3)))],
  ];

  it.each(cases)('%s matches the reference', async (_name, c) => {
    await expectMatchesReference(executors.get(backend)!, c);
  });

  it('matches the reference on the gradients to the table and the weights', async () => {
    const w = tensor64([3, 3], Array.from({ length: 9 }, (_, i) => Math.sin(2 * i + 1)));
    const { program, values } = weighted(poolCase(), [3, 'e'], w);
    const grads = differentiate(program, { wrt: ['table', 'w'] });
    const want = evaluate(grads, values, inferSizes(grads, values));
    const got = await executors.get(backend)!.run(grads, toFloat32(values));
    for (const name of ['value', 'grad:table', 'grad:w']) expect(relativeError(got.get(name)!.data, want.get(name)!.data), name).toBeLessThan(TOLERANCE);
  });

  // tfjs's kernel registry; ONNX Runtime has no such declarations to check.
  if (backend !== 'onnx') {
    it.each(cases)('%s runs only the kernels its lowering declares, all of which the backend has', async (_name, c) => {
      const { program, values } = programOf(c);
      expect(await undeclaredKernels(program, values, backend, tfjsLowerings.segment_pool.kernels)).toEqual([]);
    });
  }

  it('refuses an id or a row out of range before any kernel runs', async () => {
    const ids = programOf(poolCase([1, 4], [1, 1], [0, 0]));
    await expect(executors.get(backend)!.run(ids.program, toFloat32(ids.values))).rejects.toThrow('segment_pool (ids): id 4 (entry 1) is not a row of a table with 4 rows (0..3)');
    const rows = programOf(poolCase([1, 2, 3], [1, 1, 1], [0, 2, 3], 3));
    await expect(executors.get(backend)!.run(rows.program, toFloat32(rows.values))).rejects.toThrow('segment_pool (rows): id 3 (entry 2) is not a row of a table with 3 rows (0..2)');
  });
});
