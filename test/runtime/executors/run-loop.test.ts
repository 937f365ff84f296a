import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor, LoopOptions } from '../../../runtime/executors/executor.ts';
import { checkLoop, LoopError, loopOverRun } from '../../../runtime/executors/run-loop.ts';
import { TfjsExecutor } from '../../../runtime/executors/tfjs/tfjs-executor.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import { describeLoopLaws } from './loop-laws.ts';
import { MOMENTUM_CARRY, momentumInitial, momentumProgram, momentumStep } from './loop-program.ts';

/** The generic loop over `Executor.run`, and the option checks every loop shares. */

const program = momentumProgram();
const options = (over: Partial<LoopOptions> = {}): LoopOptions => ({ carry: MOMENTUM_CARRY, initial: momentumInitial(), ...over });

let executor: TfjsExecutor;
beforeAll(async () => {
  executor = await TfjsExecutor.create('cpu');
});
afterAll(() => executor?.dispose());

describeLoopLaws('loopOverRun', () => executor, () => (p, o) => loopOverRun(executor, p, o));

describe('loopOverRun', () => {
  it('refuses a step while the previous one runs', async () => {
    let release: () => void = () => {};
    const slow: Pick<Executor, 'run'> = {
      run: async (p, inputs) => {
        await new Promise<void>((resolve) => (release = resolve));
        return executor.run(p, inputs);
      },
    };
    const loop = await loopOverRun(slow, program, options());
    const first = loop.step(momentumStep(1), ['loss']);
    await expect(loop.step(momentumStep(2), ['loss'])).rejects.toThrow('the previous step has not finished');
    release();
    await first;
  });
});

describe('checkLoop', () => {
  const fails = (over: Partial<LoopOptions>, message: string) => expect(() => checkLoop(program, options(over))).toThrow(message);

  it('accepts the momentum loop', () => {
    expect([...checkLoop(program, options()).carried]).toEqual(['W', 'M']);
  });

  it('names a carried output or input the program does not have', () => {
    fails({ carry: new Map([['W_nxt', 'W']]) }, "carry: 'W_nxt' is not an output of the program; its outputs are 'loss', 'Z', 'W_next', 'M_next', 'W_in'");
    fails({ carry: new Map([['W_next', 'V']]) }, "carry: 'V' (fed by 'W_next') is not an input of the program; its inputs are 'W', 'M', 'X', 'lr'");
  });

  it('refuses an input fed twice, and a carried output whose shape is not its input’s', () => {
    fails({ carry: new Map([['W_next', 'W'], ['W_in', 'W']]) }, "carry: input 'W' is fed by both 'W_next' and 'W_in'");
    fails({ carry: new Map([['loss', 'lr'], ['Z', 'W']]) }, "carry: output 'Z' is matrix[n, 2] but the input it feeds, 'W', is matrix[3, 2]");
  });

  it('wants exactly one initial array per carried input, of its shape', () => {
    const initial = momentumInitial();
    initial.delete('M');
    fails({ initial }, "initial: no value for the carried input 'M'");
    fails({ initial: new Map([...momentumInitial(), ['lr', { shape: [], data: Float32Array.of(1) }]]) }, "initial: 'lr' is not a carried input; the carried inputs are 'W', 'M'");
    fails({ initial: new Map([...momentumInitial(), ['W', { shape: [2, 3], data: new Float32Array(6) }]]) }, "initial 'W' should be matrix[3, 2], got an array of shape [2, 3]");
    fails({ initial: new Map([...momentumInitial(), ['W', { shape: [3, 2], data: new Float32Array(5) }]]) }, "initial: 'W' has 5 values for shape [3, 2]");
  });

  it('binds symbolic dimensions of the carried inputs alike, and as the given sizes do', () => {
    const b = new IrBuilder();
    const one = b.make('const', [], { value: 1, shape: [] });
    const [a, c] = ['A', 'B'].map((name) => b.make('input', [], { name, shape: ['n', 2] }));
    const p: Program = {
      inputs: ['A', 'B'].map((name) => ({ name, shape: ['n', 2] })),
      outputs: [
        { name: 'A_next', node: b.make('add', [a, one]) },
        { name: 'B_next', node: b.make('add', [c, one]) },
      ],
    };
    const rows = (n: number) => ({ shape: [n, 2], data: new Float32Array(2 * n) });
    const carry = new Map([['A_next', 'A'], ['B_next', 'B']]);
    expect(() => checkLoop(p, { carry, initial: new Map([['A', rows(4)], ['B', rows(4)]]) })).not.toThrow();
    expect(() => checkLoop(p, { carry, initial: new Map([['A', rows(4)], ['B', rows(5)]]) })).toThrow("initial 'B' gives n = 5, but n is 4 in initial 'A'");
    expect(() => checkLoop(p, { carry, initial: new Map([['A', rows(4)], ['B', rows(4)]]), sizes: new Map([['n', 3]]) })).toThrow(
      "initial 'A' gives n = 4, but n is 3 in the given sizes",
    );
  });

  it('refuses a step that gives a carried input or reads an unknown output', () => {
    const plan = checkLoop(program, options());
    expect(() => plan.checkStep(new Map([...momentumStep(1), ['W', momentumInitial().get('W')!]]), [])).toThrow(
      "step: input 'W' is carried by the loop; give only the inputs that are not",
    );
    expect(() => plan.checkStep(momentumStep(1), ['loss', 'grad'])).toThrow(LoopError);
    expect(() => plan.checkStep(momentumStep(1), ['grad'])).toThrow("step: cannot read 'grad', which is not an output of the program");
  });
});
