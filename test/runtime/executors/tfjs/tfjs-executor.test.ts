import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopError, loopOverRun } from '../../../../runtime/executors/run-loop.ts';
import { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { describeLoopLaws } from '../loop-laws.ts';
import { describeIntoLaws } from '../into-laws.ts';
import { MOMENTUM_CARRY, momentumInitial, momentumProgram, momentumStep, runRepeatedly } from '../loop-program.ts';
import { loadExecutors, TEST_BACKENDS } from '../helpers.ts';

/**
 * The executor's native loop: the state stays in tensors between steps. It must give exactly what
 * repeated runs give (and the generic loop over run), keep the state through a failing step, and
 * hold no tensor beyond the state, none after dispose.
 */

const program = momentumProgram();
const options = () => ({ carry: MOMENTUM_CARRY, initial: momentumInitial() });
const STEPS = 5;

let executors: Map<string, TfjsExecutor>;
beforeAll(async () => {
  executors = await loadExecutors();
});
afterAll(() => executors?.forEach((e) => e.dispose()));

for (const backend of TEST_BACKENDS) {
  describeLoopLaws(`the tfjs loop on ${backend}`, () => executors.get(backend)!, () => (p, o) => executors.get(backend)!.loop(p, o));
  describeIntoLaws(`tfjs on ${backend}`, () => executors.get(backend)!);
}

describe.each(TEST_BACKENDS)('the tfjs loop on %s', (backend) => {
  it('gives the outputs and state of repeated runs, and of the loop over run, bit for bit', async () => {
    const executor = executors.get(backend)!;
    const want = await runRepeatedly(executor, STEPS);
    const native = await executor.loop(program, options());
    const generic = await loopOverRun(executor, program, options());
    for (let k = 1; k <= STEPS; k++) {
      const read = k % 2 === 0 ? ['loss', 'Z', 'W_next', 'W_in'] : ['loss'];
      const got = await native.step(momentumStep(k), read);
      const viaRun = await generic.step(momentumStep(k), read);
      expect([...got.keys()]).toEqual(read);
      for (const name of read) {
        expect(got.get(name), `${name} at step ${k}`).toEqual(want.outputs[k - 1].get(name));
        expect(viaRun.get(name), `${name} at step ${k}`).toEqual(want.outputs[k - 1].get(name));
      }
    }
    expect(await native.state()).toEqual(want.state);
    expect(await generic.state()).toEqual(want.state);
    native.dispose();
    generic.dispose();
  });

  it('holds only the state between steps, and nothing after dispose', async () => {
    const executor = executors.get(backend)!;
    const before = tf.memory().numTensors;
    const loop = await executor.loop(program, options());
    expect(tf.memory().numTensors).toBe(before + 2);
    for (let k = 1; k <= 3; k++) {
      await loop.step(momentumStep(k), ['loss', 'Z', 'W_next', 'W_in']);
      expect(tf.memory().numTensors).toBe(before + 2);
    }
    await loop.state();
    const wrong = momentumStep(4);
    wrong.set('X', { shape: [4, 2], data: new Float32Array(8) });
    await expect(loop.step(wrong, ['loss'])).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before + 2);
    loop.dispose();
    expect(tf.memory().numTensors).toBe(before);
    loop.dispose(); // twice is harmless
    await expect(loop.step(momentumStep(1), ['loss'])).rejects.toThrow(LoopError);
    await expect(loop.state()).rejects.toThrow('the loop is disposed');
  });

  it('refuses options that do not fit the program, holding nothing', async () => {
    const executor = executors.get(backend)!;
    const before = tf.memory().numTensors;
    await expect(executor.loop(program, { carry: new Map([['Z', 'W']]), initial: momentumInitial() })).rejects.toThrow(LoopError);
    await expect(executor.loop(program, { carry: MOMENTUM_CARRY, initial: new Map() })).rejects.toThrow("initial: no value for the carried input 'W'");
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('tfjs loops on two backends', () => {
  it('interleave with each other and with runs on the other backend, each keeping its state', async () => {
    const wasm = executors.get('wasm')!;
    const cpu = executors.get('cpu')!;
    const want = { wasm: await runRepeatedly(wasm, 3), cpu: await runRepeatedly(cpu, 3) };
    const loops = { wasm: await wasm.loop(program, options()), cpu: await cpu.loop(program, options()) };
    for (let k = 1; k <= 3; k++) {
      for (const name of ['wasm', 'cpu'] as const) {
        const got = await loops[name].step(momentumStep(k), ['loss']);
        expect(got.get('loss'), `${name} step ${k}`).toEqual(want[name].outputs[k - 1].get('loss'));
        await (name === 'wasm' ? cpu : wasm).run(program, new Map([...momentumInitial(), ...momentumStep(k)]));
      }
    }
    expect(await loops.wasm.state()).toEqual(want.wasm.state);
    expect(await loops.cpu.state()).toEqual(want.cpu.state);
    loops.wasm.dispose();
    loops.cpu.dispose();
  });

  it('are disposed with their executor', async () => {
    const executor = await TfjsExecutor.create('cpu');
    const before = tf.memory().numTensors;
    const loop = await executor.loop(program, options());
    await loop.step(momentumStep(1), ['loss']);
    expect(tf.memory().numTensors).toBe(before + 2);
    executor.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(loop.state()).rejects.toThrow('the loop is disposed');
    await expect(executor.loop(program, options())).rejects.toThrow('loop after dispose');
  });
});
