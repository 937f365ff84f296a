import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopOptions } from '../../../../compiler/backends/executor.ts';
import { OnnxExecutor } from '../../../../compiler/backends/onnx/onnx-executor.ts';
import { InputShapeError } from '../../../../compiler/backends/tfjs/bind-sizes.ts';
import { evaluate, inferSizes } from '../../../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import { tensor64 } from '../../../../compiler/ir/tensor.ts';
import type { Program } from '../../../../compiler/ir/node.ts';
import { MOMENTUM_CARRY, momentumInitial, momentumProgram, momentumStep, runRepeatedly } from '../loop-program.ts';

/** The ONNX Runtime executor's own behaviour; its numerics are in the shared executor tests (tfjs/helpers.ts). */

const program = momentumProgram();
const options = (over: Partial<LoopOptions> = {}): LoopOptions => ({ carry: MOMENTUM_CARRY, initial: momentumInitial(), ...over });

let executor: OnnxExecutor;
beforeAll(async () => {
  executor = await OnnxExecutor.create({ threads: 1 });
});
afterAll(() => executor?.dispose());

describe('the onnx loop', () => {
  it('gives exactly the outputs and state of repeated runs, while the batch size changes every step', async () => {
    const want = await runRepeatedly(executor, 5);
    const loop = await executor.loop(program, options());
    for (let k = 1; k <= 5; k++) {
      const got = await loop.step(momentumStep(k), ['loss', 'Z', 'W_next', 'W_in']);
      for (const name of got.keys()) expect(got.get(name), `${name} at step ${k}`).toEqual(want.outputs[k - 1].get(name));
    }
    expect(await loop.state()).toEqual(want.state);
    loop.dispose();
    await expect(loop.state()).rejects.toThrow('the loop is disposed');
  });

  it('keeps the state of the last completed step when a step fails', async () => {
    const loop = await executor.loop(program, options());
    await loop.step(momentumStep(1), []);
    const before = await loop.state();
    const wrong = momentumStep(2);
    wrong.set('X', { shape: [4, 2], data: new Float32Array(8) });
    await expect(loop.step(wrong, ['loss'])).rejects.toThrow(/input 'X'/);
    expect(await loop.state()).toEqual(before);
    const next = await loop.step(momentumStep(2), ['loss']);
    expect(next.get('loss')).toEqual((await runRepeatedly(executor, 2)).outputs[1].get('loss'));
  });

  it('hands out copies: changing them, or the initial arrays, changes no state', async () => {
    const initial = momentumInitial();
    const loop = await executor.loop(program, options({ initial }));
    initial.get('W')!.data.fill(NaN);
    const read = await loop.step(momentumStep(1), ['W_next', 'M_next']);
    read.get('W_next')!.data.fill(NaN);
    (await loop.state()).get('M')!.data.fill(NaN);
    expect(await loop.state()).toEqual((await runRepeatedly(executor, 1)).state);
  });

  it('checks its options like every loop', async () => {
    await expect(executor.loop(program, options({ carry: new Map([['nope', 'W']]) }))).rejects.toThrow("carry: 'nope' is not an output of the program");
    const loop = await executor.loop(program, options());
    await expect(loop.step(new Map([...momentumStep(1), ['W', momentumInitial().get('W')!]]), [])).rejects.toThrow("input 'W' is carried by the loop");
  });
});

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

  it('refuse to run after dispose', async () => {
    const own = await OnnxExecutor.create({ threads: 1 });
    own.dispose();
    await expect(own.run(program, new Map([...momentumInitial(), ...momentumStep(1)]))).rejects.toThrow('after dispose');
  });
});
