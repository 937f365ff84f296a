import { describe, expect, it } from 'vitest';
import { buildWindows } from '../../../../runtime/data/windows.ts';
import type { Executor, RunOptions } from '../../../../runtime/executors/executor.ts';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { buildEmbedProgram } from '../../../../runtime/model/embed-program.ts';
import { WindowEncoder } from '../../../../runtime/train/features/window-encoder.ts';
import { embedRows } from '../../../../runtime/train/outputs/embed-rows.ts';
import type { EventRow } from '../../data/dataset-builder.ts';
import { seededEncoder } from '../../embed/helpers.ts';
import { smallCohort, withTempDir } from '../helpers.ts';

/**
 * embedRows writes a full batch's [batch, dim] outputs straight into their rows of the result
 * (run's `into`); the bytes must be those of runs into fresh arrays copied over, partial last
 * batch included.
 */
describe('embedRows', () => {
  it('writes full batches in place, with the bytes of fresh outputs copied over', async () => {
    await withTempDir(async (dir) => {
      const events: EventRow[] = [];
      const notes: { subject: number; time: string; text: string }[] = [];
      const splits: Record<number, 'train'> = {};
      for (let s = 0; s < 9; s++) {
        splits[s] = 'train';
        events.push({ subject: s, time: null, code: s % 2 === 0 ? 'SEX//F' : 'SEX//M' });
        for (let k = 0; k <= s % 3; k++) events.push({ subject: s, time: `202${k}-0${1 + (s % 8)}-1${k}T00:00:00`, code: `DX//${(s + k) % 4}` });
        notes.push({ subject: s, time: `2020-0${1 + (s % 8)}-20T00:00:00`, text: `visit ${s % 3} follow up` });
      }
      const cohort = await smallCohort(dir, { events, notes, splits });
      const encoder = seededEncoder(cohort, 'multimodal');
      const windows = buildWindows(cohort, { widthDays: encoder.featurizer.windowDays });
      const batch = 4;
      const program = buildEmbedProgram({ ...encoder.config, batch });
      const rows = new WindowEncoder(encoder.featurizer, cohort, windows);
      const windowIds = Int32Array.from({ length: windows.count }, (_, w) => w);
      expect(windows.count % batch).not.toBe(0); // a partial last batch
      const executor = await OnnxExecutor.create({ threads: 1 });
      try {
        const given: ReadonlyMap<string, Float32Array>[] = [];
        // `inPlace`: the executor's own `into`; otherwise runs into fresh arrays, copied into the given ones after.
        const spying = (inPlace: boolean): Executor => ({
          backend: executor.backend,
          run: async (p, inputs, sizes, options?: RunOptions) => {
            const into = options?.into ?? new Map<string, Float32Array>();
            if (inPlace) {
              given.push(into);
              return executor.run(p, inputs, sizes, options);
            }
            const fresh = await executor.run(p, inputs, sizes);
            for (const [name, array] of into) array.set(fresh.get(name)!.data);
            return new Map([...fresh].map(([name, t]) => [name, { shape: t.shape, data: into.get(name) ?? t.data }]));
          },
          loop: (p, options) => executor.loop(p, options),
          dispose: () => {},
        });
        const outputs = ['embed:Z', 'embed:E', 'embed:T'];
        const embed = (inPlace: boolean) =>
          embedRows({ executor: spying(inPlace), program, batch, modality: 'multimodal', encoder: rows, params: encoder.params, outputs }, windowIds, windows.subject);
        const want = await embed(false);
        const got = await embed(true);
        expect(got).toEqual(want);
        expect(given.map((into) => into.size)).toEqual([...Array(Math.floor(windows.count / batch)).fill(3), 0]);
        for (const into of given) for (const [name, array] of into) expect(array.buffer).toBe(got.get(name)!.data.buffer);
      } finally {
        executor.dispose();
      }
    });
  });
});
