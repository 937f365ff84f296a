import * as tf from '@tensorflow/tfjs-core';
import { alignColumns } from '../../../helpers/align-columns.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitModule } from '../../../../compiler/backends/typescript/emit-module.ts';
import { tsLowering } from '../../../../compiler/backends/typescript/ts-lowering.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import type { Node, Program } from '../../../../compiler/ir/node.ts';
import type { Shape } from '../../../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../../../compiler/ir/tensor.ts';
import { OP_NAMES, type OpName } from '../../../../compiler/ops/registry.ts';
import {
  importModule,
  makeTempDir,
  reference,
  relativeError,
  seeded,
  STRICTER,
  toTensors,
  TOLERANCE,
  typeCheck,
  useCpuBackend,
  writeModule,
} from './helpers.ts';

/**
 * One row per IR op, each run through a generated module against the float64 reference. A row's
 * program has the output `value` (the op's result, of any shape: the module's `tf.Scalar` type is
 * a cast, which this test ignores) and `grad:<input>` = the input itself, which also exercises the
 * clone of an output that is an input.
 */
/** Values: uniform, positive, in {-1, 0, 1}, symmetric positive definite, or row ids 0..4 (repeats included). */
type Gen = 'any' | 'pos' | 'int' | 'spd' | 'ids';
interface Row {
  /** name -> [declared shape, concrete shape, values] */
  readonly inputs: Readonly<Record<string, readonly [Shape, readonly number[], Gen]>>;
  readonly value: (b: IrBuilder, x: Readonly<Record<string, Node>>) => Node;
  /** Eigenvectors are unique up to sign: compare columns after aligning their signs. */
  readonly signless?: boolean;
}

const M = [['n', 'd'], [3, 4], 'any'] as const;
const POS = [['n', 'd'], [3, 4], 'pos'] as const;
const INT = [['n', 'd'], [3, 4], 'int'] as const;
const SQ = [['k', 'k'], [5, 5], 'any'] as const;
const SPD = [['k', 'k'], [5, 5], 'spd'] as const;
const S = [[], [], 'any'] as const;
const vec = (len: number | string, concrete: number) => [[len], [concrete], 'any'] as const;
const TABLE = [['V', 'e'], [5, 3], 'any'] as const;
const IDS = [['m'], [6], 'ids'] as const;

const unary = (op: OpName, input: Row['inputs'][string] = M): Row => ({ inputs: { A: input }, value: (b, x) => b.make(op, [x.A]) });
const binary = (op: OpName, input: Row['inputs'][string] = M): Row => ({
  inputs: { A: input, B: input },
  value: (b, x) => b.make(op, [x.A, x.B]),
});
const eighOf = (b: IrBuilder, x: Readonly<Record<string, Node>>) => b.make('eigh', [x.S]);

const rows = {
  input: { inputs: { A: M }, value: (_b, x) => x.A },
  const: { inputs: { A: M }, value: (b) => b.make('const', [], { value: 2.5, shape: ['n', 'd'] }) },
  eye: { inputs: { A: M }, value: (b) => b.make('eye', [], { n: 'd' }) },
  dimsize: { inputs: { A: M }, value: (b) => b.make('dimsize', [], { dim: 'n' }) },
  neg: unary('neg'),
  exp: unary('exp'),
  log: unary('log', POS),
  sqrt: unary('sqrt', POS),
  abs: unary('abs'),
  square: unary('square'),
  relu: unary('relu'),
  softplus: unary('softplus'),
  sigmoid: unary('sigmoid'),
  sign: unary('sign', INT),
  step: unary('step', INT),
  stop_gradient: unary('stop_gradient'),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div', POS),
  pow: { inputs: { A: POS, p: S }, value: (b, x) => b.make('pow', [x.A, x.p]) },
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  eq: binary('eq', INT),
  sum: unary('sum'),
  max: unary('max'),
  min: unary('min'),
  sum_rows: unary('sum_rows'),
  sum_cols: unary('sum_cols'),
  broadcast: { inputs: { s: S, A: M }, value: (b, x) => b.make('broadcast', [x.s], { shape: ['n', 'd'] }) },
  bcast_rows: { inputs: { v: vec('d', 4), A: M }, value: (b, x) => b.make('bcast_rows', [x.v], { rows: 'n' }) },
  bcast_cols: { inputs: { v: vec('n', 3), A: M }, value: (b, x) => b.make('bcast_cols', [x.v], { cols: 'd' }) },
  matmul: { inputs: { A: M, B: [['d', 'm'], [4, 2], 'any'] }, value: (b, x) => b.make('matmul', [x.A, x.B]) },
  transpose: unary('transpose'),
  diag: unary('diag', SQ),
  diag_embed: { inputs: { v: vec('k', 5) }, value: (b, x) => b.make('diag_embed', [x.v]) },
  eigh: { inputs: { S: SPD }, value: (b, x) => b.make('eigvals', [eighOf(b, x)]) },
  eigvals: { inputs: { S: SPD }, value: (b, x) => b.make('max', [b.make('eigvals', [eighOf(b, x)])]) },
  eigvecs: { inputs: { S: SPD }, value: (b, x) => b.make('eigvecs', [eighOf(b, x)]), signless: true },
  pad: { inputs: { v: vec('k', 3) }, value: (b, x) => b.make('pad', [x.v], { length: 5 }) },
  slice: { inputs: { v: vec('k', 5) }, value: (b, x) => b.make('slice', [x.v], { length: 3 }) },
  gather: { inputs: { T: TABLE, ids: IDS }, value: (b, x) => b.make('gather', [x.T, x.ids]) },
  scatter_add: {
    inputs: { X: [['m', 'e'], [6, 3], 'any'], ids: IDS },
    value: (b, x) => b.make('scatter_add', [x.X, x.ids], { rows: 5 }),
  },
  segment_pool: {
    inputs: { T: TABLE, ids: IDS, w: vec('m', 6), rows: IDS },
    value: (b, x) => b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 5 }),
  },
} satisfies Record<OpName, Row>;

/** What the one-row-per-op table leaves out: scalar operands, fixed and symbolic attributes, aliases. */
const extraRows: Record<string, Row> = {
  'add scalar+matrix': { inputs: { s: S, A: M }, value: (b, x) => b.make('add', [x.s, x.A]) },
  'div scalar/matrix': { inputs: { s: S, A: POS }, value: (b, x) => b.make('div', [x.s, x.A]) },
  'eq matrix,scalar max': { inputs: { A: INT }, value: (b, x) => b.make('eq', [x.A, b.make('max', [x.A])]) },
  'pow negative base, integer exponent': {
    inputs: { A: M },
    value: (b, x) => b.make('pow', [x.A, b.make('const', [], { value: 3, shape: [] })]),
  },
  'pad to a symbolic length': {
    inputs: { v: vec('k', 3), A: [['m', 'm'], [6, 6], 'any'] },
    value: (b, x) => b.make('pad', [x.v], { length: 'm' }),
  },
  'slice to a symbolic length': {
    inputs: { v: vec(7, 7), A: [['m', 'm'], [4, 4], 'any'] },
    value: (b, x) => b.make('slice', [x.v], { length: 'm' }),
  },
  'scatter_add into a symbolic number of rows': {
    inputs: { X: [['m', 'e'], [6, 3], 'any'], ids: IDS, T: TABLE },
    value: (b, x) => b.make('scatter_add', [x.X, x.ids], { rows: 'V' }),
  },
  'segment_pool into a symbolic number of rows': {
    inputs: { T: TABLE, ids: IDS, w: vec('m', 6), rows: IDS },
    value: (b, x) => b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 'V' }),
  },
  'diag of a fixed-size matrix': { inputs: { A: [[4, 4], [4, 4], 'any'] }, value: (b, x) => b.make('diag', [x.A]) },
  'scalar broadcast (an alias)': { inputs: { s: S }, value: (b, x) => b.make('exp', [b.make('broadcast', [x.s], { shape: [] })]) },
  'stop_gradient of a computed tensor, read twice': {
    inputs: { A: M },
    value: (b, x) => {
      const held = b.make('stop_gradient', [b.make('exp', [x.A])]);
      return b.make('add', [held, b.make('square', [held])]);
    },
  },
  'const NaN, Infinity and -0': {
    inputs: { A: M },
    value: (b, x) =>
      b.make('add', [
        b.make('mul', [x.A, b.make('const', [], { value: -0, shape: [] })]),
        b.make('maximum', [b.make('const', [], { value: Number.NEGATIVE_INFINITY, shape: [] }), b.make('const', [], { value: Number.NaN, shape: ['n', 'd'] })]),
      ]),
  },
};

function makeInput(shape: readonly number[], gen: Gen, random: () => number): Tensor64 {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  if (gen === 'spd') {
    const k = shape[0];
    const a = Array.from({ length: k * k }, () => random() * 2 - 1);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * a[j * k + p];
        data[i * k + j] = s + (i === j ? 2 * (i + 1) : 0); // distinct, well-separated eigenvalues
      }
    }
  } else if (gen === 'ids') {
    for (let i = 0; i < size; i++) data[i] = i === 1 ? data[0] : Math.floor(random() * 5);
  } else {
    for (let i = 0; i < size; i++) {
      const u = random();
      data[i] = gen === 'pos' ? 0.5 + 2.5 * u : gen === 'int' ? Math.floor(u * 3) - 1 : 4 * u - 2;
    }
  }
  return tensor64(shape, Float32Array.from(data)); // float32 values: both sides see the same inputs
}

function buildCase(row: Row, seed: number): { program: Program; values: Map<string, Tensor64> } {
  const b = new IrBuilder();
  const random = seeded(seed);
  const nodes: Record<string, Node> = {};
  const values = new Map<string, Tensor64>();
  for (const [name, [shape, concrete, gen]] of Object.entries(row.inputs)) {
    nodes[name] = b.make('input', [], { name, shape });
    values.set(name, makeInput(concrete, gen, random));
  }
  const program: Program = {
    inputs: Object.entries(row.inputs).map(([name, [shape]]) => ({ name, shape })),
    outputs: [{ name: 'value', node: row.value(b, nodes) }, ...Object.keys(row.inputs).map((name) => ({ name: `grad:${name}`, node: nodes[name] }))],
  };
  return { program, values };
}


const allRows: [string, Row][] = [...Object.entries(rows as Record<string, Row>), ...Object.entries(extraRows)];
const temp = makeTempDir();
const paths = new Map<string, string>();

beforeAll(async () => {
  for (const [i, [name, row]] of allRows.entries()) {
    const { program } = buildCase(row, 7);
    paths.set(name, writeModule(temp.dir, `op${i}`, emitModule(program, { source: `# ${name}` })));
  }
  await useCpuBackend();
});
afterAll(() => temp.remove());

describe('the TypeScript backend, op by op', () => {
  it('has a lowering and a row for every IR op', () => {
    expect(Object.keys(tsLowering).sort()).toEqual([...OP_NAMES].sort());
    expect(Object.keys(rows).sort()).toEqual([...OP_NAMES].sort());
  });

  it('writes code that type-checks for every row', () => {
    expect(typeCheck([...paths.values()], STRICTER)).toEqual([]);
  });

  it.each(allRows)('%s matches the float64 reference', async (name, row) => {
    const { program, values } = buildCase(row, 7);
    const want = reference(program, values);
    const module = await importModule(paths.get(name)!);
    const tensors = toTensors(values);
    const result = module.valueAndGrad(tensors);
    const w = want.get('value')!;
    expect(result.value.shape).toEqual(w.shape);
    const got = result.value.dataSync();
    expect(relativeError(row.signless === true ? alignColumns(got, w) : got, w.data)).toBeLessThan(TOLERANCE);
    // Every output is a tensor of its own, never the caller's input.
    for (const [input, t] of Object.entries(tensors)) {
      expect(result.grads[input]).not.toBe(t);
      expect(Array.from(result.grads[input].dataSync())).toEqual(Array.from(t.dataSync()));
    }
    tf.dispose([result.value, ...Object.values(result.grads), ...Object.values(tensors)]);
  });

  it.each(['gather', 'scatter_add'] as const)('%s rejects an id that names no row, before any work', async (op) => {
    const module = await importModule(paths.get(op)!);
    const { values } = buildCase(rows[op], 7);
    const ids = values.get('ids')!;
    ids.data[2] = 5;
    const tensors = toTensors(values);
    const before = tf.memory().numTensors;
    expect(() => module.valueAndGrad(tensors)).toThrow(`${op}: id 5 (entry 2) is not a row of a table with 5 rows (0..4)`);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(tensors));
  });

  it.each(['ids', 'rows'] as const)('segment_pool rejects an entry of its %s that names no row, before any work', async (list) => {
    const module = await importModule(paths.get('segment_pool')!);
    const { values } = buildCase(rows.segment_pool, 7);
    values.get(list)!.data[2] = 5;
    const tensors = toTensors(values);
    const before = tf.memory().numTensors;
    expect(() => module.valueAndGrad(tensors)).toThrow(`segment_pool (${list}): id 5 (entry 2) is not a row of a table with 5 rows (0..4)`);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(tensors));
  });
});
