import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitModule } from '../../../../compiler/backends/typescript/emit-module.ts';
import { tsLowering } from '../../../../compiler/backends/typescript/ts-lowering.ts';
import type { Program } from '../../../../compiler/ir/node.ts';
import type { Tensor64 } from '../../../../compiler/ir/tensor.ts';
import { OP_NAMES } from '../../../../compiler/ops/registry.ts';
import { ALL_ROWS, buildCase, OP_ROWS, outputError, type Row } from '../../../helpers/op-rows.ts';
import { importModule, makeTempDir, reference, STRICTER, toTensors, typeCheck, useCpuBackend, writeModule } from './helpers.ts';

/**
 * Every row of the per-op table (test/helpers/op-rows.ts), each output of it run through a
 * generated module against the float64 reference, at the op's float32 tolerance. A case's program
 * has the output `value` (the row's output, of any shape: the module's `tf.Scalar` type is a cast,
 * which this test ignores) and `grad:<input>` = the input itself, which also exercises the clone of
 * an output that is an input.
 */
interface Case {
  readonly program: Program;
  readonly values: Map<string, Tensor64>;
  readonly signless: boolean;
}

function casesOf(name: string, row: Row): [string, Case][] {
  const { program, values, inputs } = buildCase(row, 7);
  return program.outputs.map(({ name: output, node }) => [
    program.outputs.length === 1 ? name : `${name} (${output})`,
    {
      program: { inputs: program.inputs, outputs: [{ name: 'value', node }, ...Object.entries(inputs).map(([input, n]) => ({ name: `grad:${input}`, node: n }))] },
      values,
      signless: row.signless?.includes(output) === true,
    },
  ]);
}

/**
 * Non-finite constants, for the module only: tfjs-wasm's Maximum returns -Infinity for
 * maximum(-Infinity, NaN) where the reference (and ONNX, and tfjs-cpu) give NaN.
 */
const NON_FINITE: Row = {
  inputs: { A: [['n', 'd'], [3, 4], 'any'] },
  outputs: (b, x) => ({
    out: b.make('add', [
      b.make('mul', [x.A, b.make('const', [], { value: -0, shape: [] })]),
      b.make('maximum', [b.make('const', [], { value: Number.NEGATIVE_INFINITY, shape: [] }), b.make('const', [], { value: Number.NaN, shape: ['n', 'd'] })]),
    ]),
  }),
};

const allCases: [string, Case][] = [...ALL_ROWS, ['const NaN, Infinity and -0', NON_FINITE] as [string, Row]].flatMap(([name, row]) => casesOf(name, row));
const temp = makeTempDir();
const paths = new Map<string, string>();

beforeAll(async () => {
  for (const [i, [name, { program }]] of allCases.entries()) {
    paths.set(name, writeModule(temp.dir, `op${i}`, emitModule(program, { source: `# ${name}` })));
  }
  await useCpuBackend();
});
afterAll(() => temp.remove());

describe('the TypeScript backend, op by op', () => {
  it('has a lowering for every IR op', () => {
    expect(Object.keys(tsLowering).sort()).toEqual([...OP_NAMES].sort());
  });

  it('writes code that type-checks for every row', () => {
    expect(typeCheck([...paths.values()], STRICTER)).toEqual([]);
  });

  it.each(allCases)('%s matches the float64 reference within float32 rounding', async (name, { program, values, signless }) => {
    const want = reference(program, values);
    const module = await importModule(paths.get(name)!);
    const tensors = toTensors(values);
    const result = module.valueAndGrad(tensors);
    const w = want.get('value')!;
    expect(result.value.shape).toEqual(w.shape);
    const { error, tolerance } = outputError('value', program.outputs[0].node.op, { shape: result.value.shape, data: result.value.dataSync() }, w, signless);
    expect(error).toBeLessThanOrEqual(tolerance);
    // Every output is a tensor of its own, never the caller's input.
    for (const [input, t] of Object.entries(tensors)) {
      expect(result.grads[input]).not.toBe(t);
      expect(Array.from(result.grads[input].dataSync())).toEqual(Array.from(t.dataSync()));
    }
    tf.dispose([result.value, ...Object.values(result.grads), ...Object.values(tensors)]);
  });

  it.each(['gather', 'scatter_add'] as const)('%s rejects an id that names no row, before any work', async (op) => {
    const module = await importModule(paths.get(op)!);
    const { values } = buildCase(OP_ROWS[op], 7);
    const ids = values.get('ids')!;
    ids.data[2] = 5;
    const tensors = toTensors(values);
    const before = tf.memory().numTensors;
    expect(() => module.valueAndGrad(tensors)).toThrow(`${op}: id 5 (entry 2) is not a row of a table with 5 rows (0..4)`);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(tensors));
  });

  // The row pools a table of 6 rows into 5.
  it.each([['ids', 6], ['rows', 5]] as const)('segment_pool rejects an entry of its %s that names no row, before any work', async (list, rows) => {
    const module = await importModule(paths.get('segment_pool')!);
    const { values } = buildCase(OP_ROWS.segment_pool, 7);
    values.get(list)!.data[2] = rows;
    const tensors = toTensors(values);
    const before = tf.memory().numTensors;
    expect(() => module.valueAndGrad(tensors)).toThrow(`segment_pool (${list}): id ${rows} (entry 2) is not a row of a table with ${rows} rows (0..${rows - 1})`);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(tensors));
  });
});
