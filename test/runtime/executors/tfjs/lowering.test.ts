import * as tf from '@tensorflow/tfjs-core';
import { alignColumns } from '../../../helpers/align-columns.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import type { Node, Program } from '../../../../compiler/ir/node.ts';
import type { Shape } from '../../../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../../../compiler/ir/tensor.ts';
import { OP_NAMES, type OpName } from '../../../../compiler/ops/registry.ts';
import { EXECUTOR_KERNELS } from '../../../../runtime/executors/tfjs/kernel-check.ts';
import { tfjsLowerings } from '../../../../runtime/executors/tfjs/lowering.ts';
import { runProgramTf } from '../../../../runtime/executors/tfjs/run-program.ts';
import type { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { ensureActive } from '../../../../runtime/executors/tfjs/load-backend.ts';
import { loadExecutors, reference, relativeError, seeded, TEST_BACKENDS, toFloat32, TOLERANCE } from './helpers.ts';

type Gen = 'any' | 'pos' | 'int' | 'spd' | 'ids';
interface Row {
  /** Program inputs: name -> [declared shape, concrete shape, values]. */
  readonly inputs: Readonly<Record<string, readonly [Shape, readonly number[], Gen]>>;
  readonly outputs: (b: IrBuilder, x: Readonly<Record<string, Node>>) => Readonly<Record<string, Node>>;
  /** Eigenvectors are unique only up to sign: compare columns after aligning their signs. */
  readonly signless?: readonly string[];
}

const M: readonly [Shape, readonly number[], Gen] = [['n', 'd'], [3, 4], 'any'];
const M2: readonly [Shape, readonly number[], Gen] = [['n', 'd'], [3, 4], 'any'];
const POS: readonly [Shape, readonly number[], Gen] = [['n', 'd'], [3, 4], 'pos'];
const SQ: readonly [Shape, readonly number[], Gen] = [['k', 'k'], [5, 5], 'any'];
const SPD: readonly [Shape, readonly number[], Gen] = [['k', 'k'], [5, 5], 'spd'];
const S: readonly [Shape, readonly number[], Gen] = [[], [], 'any'];
const vec = (len: number | string, concrete: number, gen: Gen = 'any') => [[len], [concrete], gen] as const;

const unary = (op: OpName, gen: Gen = 'any'): Row => ({
  inputs: { A: gen === 'pos' ? POS : M },
  outputs: (b, x) => ({ out: b.make(op, [x.A]) }),
});
const binary = (op: OpName, gen: Gen = 'any'): Row => ({
  inputs: { A: [M[0], M[1], gen], B: [M2[0], M2[1], gen] },
  outputs: (b, x) => ({ out: b.make(op, [x.A, x.B]) }),
});
const eighOf = (b: IrBuilder, x: Readonly<Record<string, Node>>) => b.make('eigh', [x.S]);

/** One row per IR op: the type checker fails when an op has no row. */
const rows = {
  input: { inputs: { A: M }, outputs: (_b, x) => ({ out: x.A }) },
  const: { inputs: { A: M }, outputs: (b) => ({ out: b.make('const', [], { value: 2.5, shape: ['n', 'd'] }) }) },
  eye: { inputs: { A: M }, outputs: (b) => ({ out: b.make('eye', [], { n: 'd' }) }) },
  dimsize: { inputs: { A: M }, outputs: (b) => ({ out: b.make('dimsize', [], { dim: 'n' }) }) },
  neg: unary('neg'),
  exp: unary('exp'),
  log: unary('log', 'pos'),
  sqrt: unary('sqrt', 'pos'),
  abs: unary('abs'),
  square: unary('square'),
  relu: unary('relu'),
  softplus: unary('softplus'),
  sigmoid: unary('sigmoid'),
  sign: { inputs: { A: [M[0], M[1], 'int'] }, outputs: (b, x) => ({ out: b.make('sign', [x.A]) }) },
  step: { inputs: { A: [M[0], M[1], 'int'] }, outputs: (b, x) => ({ out: b.make('step', [x.A]) }) },
  stop_gradient: unary('stop_gradient'),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div', 'pos'),
  pow: { inputs: { A: POS, p: S }, outputs: (b, x) => ({ out: b.make('pow', [x.A, x.p]) }) },
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  eq: binary('eq', 'int'),
  sum: unary('sum'),
  max: unary('max'),
  min: unary('min'),
  sum_rows: unary('sum_rows'),
  sum_cols: unary('sum_cols'),
  broadcast: { inputs: { s: S, A: M }, outputs: (b, x) => ({ out: b.make('broadcast', [x.s], { shape: ['n', 'd'] }) }) },
  bcast_rows: { inputs: { v: vec('d', 4), A: M }, outputs: (b, x) => ({ out: b.make('bcast_rows', [x.v], { rows: 'n' }) }) },
  bcast_cols: { inputs: { v: vec('n', 3), A: M }, outputs: (b, x) => ({ out: b.make('bcast_cols', [x.v], { cols: 'd' }) }) },
  matmul: {
    inputs: { A: M, B: [['d', 'm'], [4, 2], 'any'] },
    outputs: (b, x) => ({ out: b.make('matmul', [x.A, x.B]) }),
  },
  transpose: unary('transpose'),
  diag: { inputs: { A: SQ }, outputs: (b, x) => ({ out: b.make('diag', [x.A]) }) },
  diag_embed: { inputs: { v: vec('k', 5) }, outputs: (b, x) => ({ out: b.make('diag_embed', [x.v]) }) },
  eigh: {
    inputs: { S: SPD },
    outputs: (b, x) => ({ values: b.make('eigvals', [eighOf(b, x)]), vectors: b.make('eigvecs', [eighOf(b, x)]) }),
    signless: ['vectors'],
  },
  eigvals: { inputs: { S: SPD }, outputs: (b, x) => ({ out: b.make('eigvals', [eighOf(b, x)]) }) },
  eigvecs: { inputs: { S: SPD }, outputs: (b, x) => ({ out: b.make('eigvecs', [eighOf(b, x)]) }), signless: ['out'] },
  pad: { inputs: { v: vec('k', 3) }, outputs: (b, x) => ({ out: b.make('pad', [x.v], { length: 5 }) }) },
  slice: { inputs: { v: vec('k', 5) }, outputs: (b, x) => ({ out: b.make('slice', [x.v], { length: 3 }) }) },
  gather: {
    inputs: { T: [['V', 'e'], [5, 3], 'any'], ids: [['m'], [6], 'ids'] },
    outputs: (b, x) => ({ out: b.make('gather', [x.T, x.ids]) }),
  },
  scatter_add: {
    inputs: { X: [['m', 'e'], [6, 3], 'any'], ids: [['m'], [6], 'ids'] },
    outputs: (b, x) => ({ out: b.make('scatter_add', [x.X, x.ids], { rows: 5 }) }),
  },
  segment_pool: {
    inputs: { T: [['V', 'e'], [6, 3], 'any'], ids: [['m'], [7], 'ids'], w: [['m'], [7], 'any'], rows: [['m'], [7], 'ids'] },
    outputs: (b, x) => ({ out: b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 5 }) }),
  },
} satisfies Record<OpName, Row>;

/** Variants the one-row-per-op table does not cover: scalar operands, negative bases, symbolic attrs. */
const extraRows: Record<string, Row> = {
  'add scalar+matrix': { inputs: { s: S, A: M }, outputs: (b, x) => ({ out: b.make('add', [x.s, x.A]) }) },
  'sub matrix-scalar': { inputs: { s: S, A: M }, outputs: (b, x) => ({ out: b.make('sub', [x.A, x.s]) }) },
  'div scalar/matrix': { inputs: { s: S, A: POS }, outputs: (b, x) => ({ out: b.make('div', [x.s, x.A]) }) },
  'mul vector*scalar': { inputs: { s: S, v: vec('d', 4) }, outputs: (b, x) => ({ out: b.make('mul', [x.v, x.s]) }) },
  'maximum matrix,scalar': { inputs: { s: S, A: M }, outputs: (b, x) => ({ out: b.make('maximum', [x.A, x.s]) }) },
  'eq matrix,scalar max': {
    inputs: { A: [M[0], M[1], 'int'] },
    outputs: (b, x) => ({ out: b.make('eq', [x.A, b.make('max', [x.A])]) }),
  },
  'pow negative base, integer exponent': {
    inputs: { A: M },
    outputs: (b, x) => ({ out: b.make('pow', [x.A, b.make('const', [], { value: 3, shape: [] })]) }),
  },
  'pad vector to symbolic length': {
    inputs: { v: vec('k', 3), A: [['m', 'm'], [6, 6], 'any'] },
    outputs: (b, x) => ({ out: b.make('pad', [x.v], { length: 'm' }) }),
  },
  'segment_pool into a symbolic number of rows': {
    inputs: { T: [['V', 'e'], [5, 3], 'any'], ids: [['m'], [7], 'ids'], w: [['m'], [7], 'any'], rows: [['m'], [7], 'ids'] },
    outputs: (b, x) => ({ out: b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 'V' }) }),
  },
  'segment_pool of no entries': {
    inputs: { T: [['V', 'e'], [5, 3], 'any'], ids: [['m'], [0], 'ids'], w: [['m'], [0], 'any'], rows: [['m'], [0], 'ids'] },
    outputs: (b, x) => ({ out: b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 4 }) }),
  },
  'scalar const': { inputs: {}, outputs: (b) => ({ out: b.make('const', [], { value: -1.25, shape: [] }) }) },
  'softplus of large magnitudes': {
    inputs: { A: M },
    outputs: (b, x) => ({ out: b.make('softplus', [b.make('mul', [x.A, b.make('const', [], { value: 40, shape: [] })])]) }),
  },
  'one node used as two outputs and as an input': {
    inputs: { A: M },
    outputs: (b, x) => ({ first: b.make('exp', [x.A]), second: b.make('exp', [x.A]), inputItself: x.A }),
  },
};

function makeInput(shape: readonly number[], gen: Gen, random: () => number): Tensor64 {
  const size = shape.reduce((a, b) => a * b, 1);
  const t = tensor64(shape);
  if (gen === 'spd') {
    const k = shape[0];
    const a = Array.from({ length: k * k }, () => random() * 2 - 1);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * a[j * k + p];
        t.data[i * k + j] = s + (i === j ? 2 * (i + 1) : 0); // distinct, well-separated eigenvalues
      }
    }
  } else {
    for (let i = 0; i < size; i++) {
      const u = random();
      t.data[i] = gen === 'pos' ? 0.5 + 2.5 * u : gen === 'int' ? Math.floor(u * 3) - 1 : gen === 'ids' ? Math.floor(u * 5) : 4 * u - 2;
    }
  }
  return tensor64(shape, Float32Array.from(t.data)); // float32 values: both sides see the same inputs
}

function buildCase(row: Row, seed: number) {
  const b = new IrBuilder();
  const random = seeded(seed);
  const nodes: Record<string, Node> = {};
  const values = new Map<string, Tensor64>();
  for (const [name, [shape, concrete, gen]] of Object.entries(row.inputs)) {
    nodes[name] = b.make('input', [], { name, shape });
    values.set(name, makeInput(concrete, gen, random));
  }
  const outs = row.outputs(b, nodes);
  const program: Program = {
    inputs: Object.entries(row.inputs).map(([name, [shape]]) => ({ name, shape })),
    outputs: Object.entries(outs).map(([name, node]) => ({ name, node })),
  };
  return { program, values };
}


const allRows: [string, Row][] = [...Object.entries(rows as Record<string, Row>), ...Object.entries(extraRows)];

let executors: Map<string, TfjsExecutor>;
beforeAll(async () => {
  executors = await loadExecutors();
});
afterAll(() => executors?.forEach((e) => e.dispose()));

describe.each(TEST_BACKENDS)('tfjs lowering on %s matches the float64 reference', (backend) => {
  it('covers every IR op', () => {
    expect(Object.keys(rows).sort()).toEqual([...OP_NAMES].sort());
  });

  it.each(allRows)('%s', async (_name, row) => {
    const { program, values } = buildCase(row, 7);
    const want = reference(program, values);
    const got = await executors.get(backend)!.run(program, toFloat32(values));
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [name, w] of want) {
      const g = got.get(name)!;
      expect(g.shape, name).toEqual(w.shape);
      const data = row.signless?.includes(name) ? alignColumns(g.data, w) : g.data;
      expect(relativeError(data, w.data), name).toBeLessThan(TOLERANCE);
    }
  });

  it.each(allRows)('%s runs only the kernels its lowering declares', async (_name, row) => {
    const { program, values } = buildCase(row, 7);
    await ensureActive(backend);
    const declared = new Set<string>(EXECUTOR_KERNELS);
    const ops = new Set<string>();
    for (const { node } of program.outputs) {
      const stack = [node];
      while (stack.length > 0) {
        const n = stack.pop()!;
        ops.add(n.op);
        stack.push(...n.inputs);
      }
    }
    for (const op of ops) for (const k of tfjsLowerings[op as OpName].kernels) declared.add(k);
    const inputs = new Map([...toFloat32(values)].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape], 'float32')]));
    const info = await tf.profile(() => {
      const out = runProgramTf(program, inputs);
      tf.dispose([...out.values()]);
    });
    tf.dispose([...inputs.values()]);
    const undeclared = info.kernelNames.filter((k) => !declared.has(k));
    expect(undeclared, `ops ${[...ops].join(', ')}`).toEqual([]);
  });
});
