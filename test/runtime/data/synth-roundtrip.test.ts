import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../../runtime/io/npy.ts';
import { readLabels } from '../../../runtime/data/labels-reader.ts';
import { readCohort } from '../../../runtime/data/meds-reader.ts';
import { LATENT_SIZE } from '../../../runtime/data/synth/latent-model.ts';
import { OUTCOME_TASKS } from '../../../runtime/data/synth/outcomes.ts';
import { simulateSubject } from '../../../runtime/data/synth/simulate-subject.ts';
import { synthVocabulary } from '../../../runtime/data/synth/vocabulary.ts';
import { writeSyntheticCohort } from '../../../runtime/data/synth/write-cohort.ts';
import { withTempDir } from './helpers.ts';

/** The generation index of a synthetic subject id (ids are 10,000,000 + 10 * index + a digit). */
const indexOf = (id: number): number => Math.floor((id - 10_000_000) / 10);

describe('synth -> read', () => {
  it('returns exactly the generated events, notes, splits, labels and truth, for any seed and size', async () => {
    const codes = synthVocabulary().codes;
    await withTempDir(async (dir) => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: -1e9, max: 1e9 }),
          fc.integer({ min: 1, max: 24 }),
          fc.integer({ min: 1, max: 9 }),
          fc.constantFrom('parquet' as const, 'csv' as const),
          async (seed, patients, subjectsPerShard, format) => {
            const out = join(dir, `c${run++}`);
            await writeSyntheticCohort({ out, patients, seed, format, subjectsPerShard });
            const cohort = await readCohort(out);
            expect(cohort.warnings).toEqual([]);
            expect(cohort.subjects.count).toBe(patients);
            const expected = Array.from({ length: patients }, (_, i) => simulateSubject(seed, i));
            expect(new Set(cohort.subjects.id)).toEqual(new Set(expected.map((s) => s.id)));
            for (let s = 0; s < cohort.subjects.count; s++) {
              const subject = expected[indexOf(cohort.subjects.id[s])];
              const [a, b] = [cohort.subjects.eventOffset[s], cohort.subjects.eventOffset[s + 1]];
              expect(cohort.events.time.subarray(a, b)).toEqual(subject.time);
              expect(Array.from(cohort.events.code.subarray(a, b), (c) => cohort.vocabulary.codes[c])).toEqual(Array.from(subject.code, (c) => codes[c]));
              expect(cohort.events.value.subarray(a, b)).toEqual(subject.value);
              const [na, nb] = [cohort.subjects.noteOffset[s], cohort.subjects.noteOffset[s + 1]];
              expect(cohort.notes.time.subarray(na, nb)).toEqual(subject.noteTime);
              expect(cohort.notes.text.slice(na, nb)).toEqual(subject.noteText);
              expect(cohort.subjects.split[s]).toBe(subject.split);
            }
            const labels = await readLabels(join(out, 'labels'));
            expect(labels.map((l) => l.name).sort()).toEqual(OUTCOME_TASKS.map((t) => t.name).sort());
            for (const task of labels) {
              const k = OUTCOME_TASKS.findIndex((t) => t.name === task.name);
              const labelled = expected.filter((e) => e.labels[k] >= 0);
              expect(Array.from(task.subjectId)).toEqual(labelled.map((e) => e.id));
              expect(Array.from(task.predictionTime)).toEqual(labelled.map((e) => e.predictionTime));
              expect(Array.from(task.value)).toEqual(labelled.map((e) => e.labels[k]));
            }
            const npy = async (name: string) => parseNpy(new Uint8Array(await readFile(join(out, 'truth', name))));
            expect(Array.from((await npy('subject_ids.npy')).data as BigInt64Array, Number)).toEqual(expected.map((e) => e.id));
            const latent = await npy('latent_at_prediction.npy');
            expect(latent.shape).toEqual([patients, LATENT_SIZE]);
            expect(latent.data).toEqual(Float32Array.from(expected.flatMap((e) => Array.from(e.latentAtPrediction))));
            const visits = await npy('visit_latents.npy');
            expect(visits.shape).toEqual([expected.reduce((n, e) => n + e.visitTimes.length, 0), LATENT_SIZE]);
          },
        ),
        { numRuns: 8 },
      );
    });
  });
});
