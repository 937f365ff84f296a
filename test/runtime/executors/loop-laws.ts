import { describe, expect, it } from 'vitest';
import type { Executor, ExecutorLoop, LoopOptions } from '../../../runtime/executors/executor.ts';
import { LoopError } from '../../../runtime/executors/run-loop.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import { MOMENTUM_CARRY, momentumInitial, momentumProgram, momentumStep, runRepeatedly } from './loop-program.ts';

export type OpenLoop = (program: Program, options: LoopOptions) => Promise<ExecutorLoop>;

/**
 * What every loop must do, whoever implements it (loopOverRun, tfjs's and ONNX Runtime's native
 * loops): give exactly the outputs and state of repeated runs, keep the state of the last completed
 * step through a failing one, hand out copies, and check its options. `executor()` runs the
 * repeated runs the loop is compared with; `open` opens the loop under test.
 */
export function describeLoopLaws(label: string, executor: () => Pick<Executor, 'run'>, open: () => OpenLoop): void {
  const program = momentumProgram();
  const options = (over: Partial<LoopOptions> = {}): LoopOptions => ({ carry: MOMENTUM_CARRY, initial: momentumInitial(), ...over });

  describe(`${label}: the laws of a loop`, () => {
    it('gives exactly the outputs and state of repeated runs, while the batch size changes every step', async () => {
      const want = await runRepeatedly(executor(), 5);
      const loop = await open()(program, options());
      for (let k = 1; k <= 5; k++) {
        const read = k % 2 === 0 ? ['loss', 'Z', 'W_next', 'W_in'] : ['loss'];
        const got = await loop.step(momentumStep(k), read);
        expect([...got.keys()]).toEqual(read);
        for (const name of read) expect(got.get(name), `${name} at step ${k}`).toEqual(want.outputs[k - 1].get(name));
      }
      expect(await loop.state()).toEqual(want.state);
      loop.dispose();
      loop.dispose(); // twice is harmless
      await expect(loop.step(momentumStep(1), ['loss'])).rejects.toThrow(LoopError);
      await expect(loop.state()).rejects.toThrow('the loop is disposed');
    });

    it('keeps the state of the last completed step when a step fails, then goes on as if it had not run', async () => {
      const want = await runRepeatedly(executor(), 3);
      const loop = await open()(program, options());
      await loop.step(momentumStep(1), []);
      await loop.step(momentumStep(2), []);
      const wrongShape = momentumStep(3);
      wrongShape.set('X', { shape: [5, 4], data: new Float32Array(20) });
      await expect(loop.step(wrongShape, ['loss'])).rejects.toThrow(/input 'X' should be matrix\[n, 3\]/);
      const wrongLength = momentumStep(3);
      wrongLength.set('lr', { shape: [], data: new Float32Array(2) });
      await expect(loop.step(wrongLength, ['loss'])).rejects.toThrow("input 'lr' has 2 values for shape []");
      const missing = momentumStep(3);
      missing.delete('lr');
      await expect(loop.step(missing, ['loss'])).rejects.toThrow("input 'lr' (scalar) is not given");
      await expect(loop.step(momentumStep(3), ['loss', 'nope'])).rejects.toThrow("step: cannot read 'nope'");
      await expect(loop.step(new Map([...momentumStep(3), ['M', momentumInitial().get('M')!]]), [])).rejects.toThrow("step: input 'M' is carried");
      const afterTwo = want.outputs[1];
      expect(await loop.state()).toEqual(new Map([['W', afterTwo.get('W_next')], ['M', afterTwo.get('M_next')]]));
      expect((await loop.step(momentumStep(3), ['loss'])).get('loss')).toEqual(want.outputs[2].get('loss'));
      expect(await loop.state()).toEqual(want.state);
      loop.dispose();
    });

    it('hands out copies: changing them, or the initial arrays, changes no state', async () => {
      const initial = momentumInitial();
      const loop = await open()(program, options({ initial }));
      initial.get('W')!.data.fill(NaN);
      const read = await loop.step(momentumStep(1), ['W_next', 'M_next', 'W_in']);
      for (const t of read.values()) t.data.fill(NaN);
      (await loop.state()).get('M')!.data.fill(NaN);
      expect(await loop.state()).toEqual((await runRepeatedly(executor(), 1)).state);
      loop.dispose();
    });

    it('refuses options that do not fit the program', async () => {
      await expect(open()(program, options({ carry: new Map([['Z', 'W']]) }))).rejects.toThrow(LoopError);
      await expect(open()(program, options({ initial: new Map() }))).rejects.toThrow("initial: no value for the carried input 'W'");
    });
  });
}
