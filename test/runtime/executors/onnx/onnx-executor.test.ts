import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { InputShapeError } from '../../../../runtime/executors/bind-sizes.ts';
import { evaluate, inferSizes } from '../../../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import { tensor64 } from '../../../../compiler/ir/tensor.ts';
import type { Program } from '../../../../compiler/ir/node.ts';
import { describeLoopLaws } from '../loop-laws.ts';
import { describeIntoLaws } from '../into-laws.ts';
import { momentumInitial, momentumProgram, momentumStep } from '../loop-program.ts';

/** The ONNX Runtime executor's own behaviour; its numerics are in the shared executor tests (../helpers.ts and the suites beside it). */

const program = momentumProgram();

let executor: OnnxExecutor;
beforeAll(async () => {
  executor = await OnnxExecutor.create({ threads: 1 });
});
afterAll(() => executor?.dispose());

describeLoopLaws('the onnx loop', () => executor, () => (p, o) => executor.loop(p, o));
describeIntoLaws('onnx', () => executor);

describe('onnx runs', () => {
  it('hand back outputs that are inputs, or repeat another output, as arrays of their own', async () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'x', shape: ['n'] });
    const doubled = b.make('add', [x, x]);
    const p: Program = {
      inputs: [{ name: 'x', shape: ['n'] }],
      outputs: [
        { name: 'same', node: x },
        { name: 'a', node: doubled },
        { name: 'b', node: doubled },
      ],
    };
    const input = { shape: [3], data: Float32Array.of(1, 2, 3) };
    const out = await executor.run(p, new Map([['x', input]]));
    expect(Array.from(out.get('same')!.data)).toEqual([1, 2, 3]);
    expect(out.get('same')!.data).not.toBe(input.data);
    expect(Array.from(out.get('a')!.data)).toEqual([2, 4, 6]);
    expect(out.get('a')!.data.buffer).not.toBe(out.get('b')!.data.buffer);
  });

  it('name a wrongly shaped or missing input, and an id that is not a row, before running', async () => {
    await expect(executor.run(program, new Map([...momentumInitial(), ...momentumStep(1)].filter(([name]) => name !== 'lr')))).rejects.toThrow(InputShapeError);
    const b = new IrBuilder();
    const table = b.make('input', [], { name: 'table', shape: [4, 2] });
    const ids = b.make('input', [], { name: 'ids', shape: ['m'] });
    const p: Program = { inputs: [{ name: 'table', shape: [4, 2] }, { name: 'ids', shape: ['m'] }], outputs: [{ name: 'out', node: b.make('gather', [table, ids]) }] };
    const inputs = new Map([
      ['table', { shape: [4, 2], data: new Float32Array(8) }],
      ['ids', { shape: [2], data: Float32Array.of(1, 4) }],
    ]);
    await expect(executor.run(p, inputs)).rejects.toThrow('gather: id 4 (entry 1) is not a row of a table with 4 rows (0..3)');
    // Ids round half up, as the reference's Math.round does (ONNX's Round would give row 2 for 2.5).
    const rows = Float32Array.from({ length: 8 }, (_, i) => i);
    const rounded = await executor.run(p, new Map([['table', { shape: [4, 2], data: rows }], ['ids', { shape: [3], data: Float32Array.of(2.5, 0.49, -0.5) }]]));
    expect(Array.from(rounded.get('out')!.data)).toEqual([6, 7, 0, 1, 0, 1]);
  });

  it('scatter into the other side of a sum, and only where the scatter has no other use', async () => {
    const b = new IrBuilder();
    const table = b.make('input', [], { name: 'table', shape: [5, 3] });
    const ids = b.make('input', [], { name: 'ids', shape: ['m'] });
    const weights = b.make('input', [], { name: 'w', shape: ['m'] });
    const rows = b.make('input', [], { name: 'rows', shape: ['m'] });
    const base = b.make('input', [], { name: 'base', shape: [4, 3] });
    const pooled = b.make('segment_pool', [table, ids, weights, rows], { rows: 4 });
    const values = b.make('gather', [table, ids]);
    const scattered = b.make('scatter_add', [values, rows], { rows: 4 });
    const twice = b.make('scatter_add', [b.make('mul', [values, values]), ids], { rows: 5 });
    const p: Program = {
      inputs: ['table', 'ids', 'w', 'rows', 'base'].map((name) => ({ name, shape: name === 'table' ? [5, 3] : name === 'base' ? [4, 3] : ['m'] })),
      outputs: [
        { name: 'pool+base', node: b.make('add', [pooled, base]) },
        { name: 'base+scatter', node: b.make('add', [base, scattered]) },
        { name: 'pool+scatter', node: b.make('add', [b.make('segment_pool', [base, rows, weights, ids], { rows: 5 }), twice]) },
        { name: 'twice', node: twice },
      ],
    };
    const inputs = new Map([
      ['table', tensor64([5, 3], Array.from({ length: 15 }, (_, i) => i - 7))],
      ['ids', tensor64([6], [4, 0, 4, 2, 1, 3])],
      ['w', tensor64([6], [0.5, -1, 2, 0.25, 1, 3])],
      ['rows', tensor64([6], [0, 0, 1, 3, 3, 3])],
      ['base', tensor64([4, 3], Array.from({ length: 12 }, (_, i) => 10 * i))],
    ]);
    const want = evaluate(p, inputs, inferSizes(p, inputs));
    const got = await executor.run(p, new Map([...inputs].map(([name, t]) => [name, { shape: [...t.shape], data: Float32Array.from(t.data) }])));
    for (const [name, w] of want) expect(Array.from(got.get(name)!.data), name).toEqual(Array.from(w.data));
  });

  it('add a scatter computed before an eigh to a value after it (the scatter arrives as a value there)', async () => {
    const b = new IrBuilder();
    const values = b.make('input', [], { name: 'values', shape: ['m', 3] });
    const ids = b.make('input', [], { name: 'ids', shape: ['m'] });
    const scattered = b.make('scatter_add', [values, ids], { rows: 3 });
    const eigen = b.make('eigh', [b.make('add', [scattered, b.make('transpose', [scattered])])]);
    const v = b.make('eigvecs', [eigen]);
    // V diag(λ) Vᵀ: the symmetric matrix back, whatever signs the eigenvectors come with.
    const vectors = b.make('matmul', [b.make('matmul', [v, b.make('diag_embed', [b.make('eigvals', [eigen])])]), b.make('transpose', [v])]);
    const p: Program = {
      inputs: [
        { name: 'values', shape: ['m', 3] },
        { name: 'ids', shape: ['m'] },
      ],
      outputs: [{ name: 'out', node: b.make('sum', [b.make('mul', [b.make('add', [scattered, vectors]), b.make('add', [scattered, vectors])])]) }],
    };
    const inputs = new Map([
      ['values', tensor64([4, 3], [1, 2, 0.5, -1, 3, 2, 0.25, 4, -2, 1.5, 0, 1])],
      ['ids', tensor64([4], [0, 2, 1, 2])],
    ]);
    const want = evaluate(p, inputs, inferSizes(p, inputs)).get('out')!.data[0];
    const got = await executor.run(p, new Map([...inputs].map(([name, t]) => [name, { shape: [...t.shape], data: Float32Array.from(t.data) }])));
    expect(got.get('out')!.data[0]).toBeCloseTo(want, 4);
  });

  it('keep each run its own outputs while the values between its stages reuse arrays from run to run', async () => {
    const b = new IrBuilder();
    const m = b.make('input', [], { name: 'm', shape: [3, 3] });
    const s = b.make('add', [m, b.make('transpose', [m])]);
    // The eigh's operand, written by the stage before it and read again by the stage after it.
    const crossing = b.make('mul', [s, s]);
    const spectrum = b.make('eigvals', [b.make('eigh', [crossing])]);
    const p: Program = {
      inputs: [{ name: 'm', shape: [3, 3] }],
      outputs: [
        { name: 'out', node: b.make('add', [b.make('sum', [spectrum]), b.make('sum', [crossing])]) },
        { name: 's', node: s },
      ],
    };
    const inputs = [1, 2, 3].map((k) => new Map([['m', tensor64([3, 3], Array.from({ length: 9 }, (_, i) => ((i * 7 + k * 5) % 11) - 5))]]));
    const run = (i: number) => executor.run(p, new Map([['m', { shape: [3, 3], data: Float32Array.from(inputs[i].get('m')!.data) }]]));
    const first = await run(0);
    const [second, third] = await Promise.all([run(1), run(2)]);
    for (const [i, got] of [first, second, third].entries()) {
      const want = evaluate(p, inputs[i], inferSizes(p, inputs[i]));
      expect(got.get('out')!.data[0]).toBeCloseTo(want.get('out')!.data[0], 3);
      expect(Array.from(got.get('s')!.data)).toEqual(Array.from(want.get('s')!.data));
    }
    expect(first.get('s')!.data.buffer).not.toBe(second.get('s')!.data.buffer);
  });

  it('release the sessions of programs that are garbage, without waiting for dispose', () => {
    const script = fileURLToPath(new URL('./release-sessions.script.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8' });
    const { before, after } = JSON.parse(out.trim().split('\n').pop()!) as { before: number; after: number };
    expect(before).toBe(20);
    expect(after).toBeLessThan(before);
  }, 60_000); // a child process that loads tsx and ONNX Runtime: seconds on a busy machine

  it('refuse to run after dispose', async () => {
    const own = await OnnxExecutor.create({ threads: 1 });
    own.dispose();
    await expect(own.run(program, new Map([...momentumInitial(), ...momentumStep(1)]))).rejects.toThrow('after dispose');
  });
});
