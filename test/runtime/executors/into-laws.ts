import { describe, expect, it } from 'vitest';
import type { Executor, Float32Tensor } from '../../../runtime/executors/executor.ts';
import { OutputArrayError } from '../../../runtime/executors/output-arrays.ts';
import { compileValueAndGrad } from '../../../compiler/pipeline.ts';
import { FLOAT32_EPSILON } from '../../../compiler/surface/guards.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import { checkObjective } from '../../../runtime/objective.ts';
import { Rng } from '../../../runtime/data/prng.ts';
import { momentumInitial, momentumProgram, momentumStep } from './loop-program.ts';

/** An array per named output of `fresh`'s size, filled with NaN so that an output left unwritten shows. */
const arraysFor = (fresh: ReadonlyMap<string, Float32Tensor>, names: Iterable<string>): Map<string, Float32Array> =>
  new Map([...names].map((name) => [name, new Float32Array(fresh.get(name)!.data.length).fill(Number.NaN)]));

/** The card objective at n=24, d=4: outputs written by graphs on both sides of a host eigh. */
function card(): { program: Program; inputs: Map<string, Float32Tensor> } {
  const source = 'balance(spectrum(Z_t)) + 0.5*ortho(Z_t) + consistent(Z_t, Z_t+1)';
  const forward = checkObjective('card.dfl', source, FLOAT32_EPSILON).program!;
  const program = compileValueAndGrad(forward, { sizes: new Map([['n', 24], ['d', 4]]) }).program;
  const rng = Rng.from(13);
  const inputs = new Map(forward.inputs.map(({ name }) => [name, { shape: [24, 4], data: Float32Array.from({ length: 96 }, () => rng.normal()) }]));
  return { program, inputs };
}

/**
 * What `run(..., { into })` must do on every executor (RunOptions): write each named output into
 * the caller's array and hand back that very array, with exactly the values of a run without it;
 * leave the other outputs fresh; refuse arrays that do not fit, naming the output, before running;
 * keep runs in flight at once apart.
 */
export function describeIntoLaws(label: string, executor: () => Pick<Executor, 'run'>): void {
  const program = momentumProgram();
  const inputs = (k: number) => new Map([...momentumInitial(), ...momentumStep(k)]);

  describe(`${label}: runs into the caller's arrays`, () => {
    it('hand back the caller\'s arrays, written with exactly the values of fresh outputs, call after call', async () => {
      const first = await executor().run(program, inputs(1));
      const arrays = arraysFor(first, first.keys());
      for (const k of [1, 2]) {
        const fresh = await executor().run(program, inputs(k));
        // The same arrays serve the second call, but Z's, whose size changes with n.
        if (k === 2) arrays.set('Z', new Float32Array(fresh.get('Z')!.data.length));
        const got = await executor().run(program, inputs(k), undefined, { into: arrays });
        expect(got).toEqual(fresh);
        for (const [name, array] of arrays) expect(got.get(name)!.data, name).toBe(array);
      }
    });

    it('write only the named outputs, the others into arrays of their own', async () => {
      const fresh = await executor().run(program, inputs(2));
      const arrays = arraysFor(fresh, ['Z', 'W_in']);
      const got = await executor().run(program, inputs(2), undefined, { into: arrays });
      expect(got).toEqual(fresh);
      expect(got.get('Z')!.data).toBe(arrays.get('Z'));
      expect(got.get('W_in')!.data).toBe(arrays.get('W_in'));
      const held = new Set<ArrayBufferLike>([...arrays.values(), ...[...inputs(2).values()].map((t) => t.data)].map((a) => a.buffer));
      for (const name of ['loss', 'W_next', 'M_next']) expect(held.has(got.get(name)!.data.buffer), name).toBe(false);
    });

    it('give the card objective\'s value and gradients, across a host eigh, exactly as fresh outputs', async () => {
      const { program: cardProgram, inputs: cardInputs } = card();
      const fresh = await executor().run(cardProgram, cardInputs);
      const arrays = arraysFor(fresh, fresh.keys());
      const got = await executor().run(cardProgram, cardInputs, undefined, { into: arrays });
      expect(got).toEqual(fresh);
      for (const [name, array] of arrays) expect(got.get(name)!.data, name).toBe(array);
    });

    it('refuse, naming the output, an array of the wrong length or type, an unknown output, or memory shared with an input, before writing anything', async () => {
      const fresh = await executor().run(program, inputs(2));
      const refused = async (into: Map<string, Float32Array>, message: RegExp) => {
        const untouched = new Float32Array(6).fill(Number.NaN);
        const all = new Map([['W_next', untouched], ...into]);
        const run = executor().run(program, inputs(2), undefined, { into: all });
        await expect(run).rejects.toThrow(OutputArrayError);
        await expect(executor().run(program, inputs(2), undefined, { into: all })).rejects.toThrow(message);
        expect(untouched.every(Number.isNaN)).toBe(true);
      };
      await refused(new Map([['Z', new Float32Array(fresh.get('Z')!.data.length + 1)]]), /output 'Z' is matrix\[n, 2\] = \[4, 2\], 8 values, but its array has 9/);
      await refused(new Map([['loss', new Float64Array(1) as unknown as Float32Array]]), /array for output 'loss' is a Float64Array/);
      await refused(new Map([['grad', new Float32Array(1)]]), /'grad' is not an output of the program; its outputs are 'loss', 'Z'/);
      const given = inputs(2);
      const shared = new Map([['M_next', given.get('M')!.data]]);
      await expect(executor().run(program, given, undefined, { into: shared })).rejects.toThrow("the array for output 'M_next' shares memory with input 'M'");
      const buffer = new Float32Array(10);
      const overlapping = new Map([['W_next', buffer.subarray(0, 6)], ['M_next', buffer.subarray(4, 10)]]);
      await expect(executor().run(program, inputs(2), undefined, { into: overlapping })).rejects.toThrow("outputs 'W_next' and 'M_next' share memory");
    });

    it('keep two runs in flight at once apart, each in its own arrays', async () => {
      const want = await Promise.all([executor().run(program, inputs(3)), executor().run(program, inputs(4))]);
      const arrays = want.map((fresh) => arraysFor(fresh, fresh.keys()));
      const got = await Promise.all([0, 1].map((i) => executor().run(program, inputs(3 + i), undefined, { into: arrays[i] })));
      for (const i of [0, 1]) {
        expect(got[i]).toEqual(want[i]);
        for (const [name, array] of arrays[i]) expect(got[i].get(name)!.data, name).toBe(array);
      }
    });
  });
}
