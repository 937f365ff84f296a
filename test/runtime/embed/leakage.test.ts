import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabels } from '../../../runtime/data/labels-reader.ts';
import { MEDS_LABEL_COLUMNS } from '../../../runtime/data/meds-schema.ts';
import { encodeTable } from '../../../runtime/data/table-writer.ts';
import { buildWindows } from '../../../runtime/data/windows.ts';
import { embedCohort } from '../../../runtime/embed/embed-cohort.ts';
import { embedPoints } from '../../../runtime/embed/embed-points.ts';
import { auroc } from '../../../runtime/eval/metrics/auroc.ts';
import { fitLinearProbe, probeScores } from '../../../runtime/eval/metrics/linear-probe.ts';
import { matrix64 } from '../../../runtime/eval/metrics/matrix64.ts';
import { createExecutor } from '../../../runtime/executors/create-executor.ts';
import { embedWindowHasData } from '../../../runtime/train/outputs/embed-rows.ts';
import { writeFiles, type EventRow } from '../data/dataset-builder.ts';
import { smallCohort, us, withTempDir } from '../train/helpers.ts';
import { seededEncoder } from './helpers.ts';

/**
 * Pairs of subjects with the same history up to the prediction time; in each pair the positive one
 * alone has events and a note AFTER it, which carry the outcome (a death code). Embedded at the
 * prediction time, the two must be indistinguishable, so a probe can do no better than chance;
 * embedded at their last window (after the outcome) the same probe separates them, which shows
 * the check can fail.
 */
const PREDICTION = '2020-06-01T00:00:00';
const PAIRS = 24;

function dataset(): { events: EventRow[]; notes: { subject: number; time: string; text: string }[]; splits: Record<number, 'train' | 'tuning' | 'held_out'> } {
  const events: EventRow[] = [];
  const notes: { subject: number; time: string; text: string }[] = [];
  const splits: Record<number, 'train' | 'tuning' | 'held_out'> = {};
  for (let k = 0; k < PAIRS; k++) {
    const split = k < 12 ? 'train' : k < 18 ? 'tuning' : 'held_out';
    for (const positive of [false, true]) {
      const subject = 100 + 2 * k + (positive ? 1 : 0);
      splits[subject] = split;
      events.push({ subject, time: null, code: k % 2 === 0 ? 'SEX//F' : 'SEX//M' });
      events.push({ subject, time: `2020-0${3 + (k % 3)}-1${k % 10}T00:00:00`, code: `DX//${k % 5}` });
      events.push({ subject, time: `2020-05-2${k % 7}T00:00:00`, code: 'LAB//HB', value: 10 + (k % 4) });
      events.push({ subject, time: PREDICTION, code: 'VISIT' });
      notes.push({ subject, time: '2020-05-30T00:00:00', text: `follow up visit number ${k % 4}` });
      if (positive) {
        events.push({ subject, time: '2020-07-01T00:00:00', code: 'DEATH' });
        notes.push({ subject, time: '2020-07-01T00:00:00', text: 'patient died in hospital' });
      }
    }
  }
  return { events, notes, splits };
}

describe('no leakage at prediction times', () => {
  for (const modality of ['ehr', 'multimodal'] as const) {
    it(`a ${modality} probe at the prediction time cannot see events after it`, async () => {
      await withTempDir(async (dir) => {
        const data = dataset();
        const cohort = await smallCohort(dir, data);
        const ids = Object.keys(data.splits).map(Number);
        await writeFiles(dir, {
          'labels/mortality.parquet': encodeTable(
            'parquet',
            MEDS_LABEL_COLUMNS,
            new Map<string, Float64Array | Int8Array>([
              ['subject_id', Float64Array.from(ids)],
              ['prediction_time', Float64Array.from(ids, () => us(PREDICTION))],
              ['boolean_value', Int8Array.from(ids, (id) => id % 2)],
            ]),
          ),
        });
        const labels = await readLabels(join(dir, 'labels'));
        const encoder = seededEncoder(cohort, modality);
        const grid = buildWindows(cohort, { widthDays: 90 });
        const hasData = embedWindowHasData(grid, modality);
        const { executor } = await createExecutor('cpu');
        try {
          const probeAuroc = async (at: 'prediction-times' | 'last'): Promise<{ auroc: number; z: Float32Array }> => {
            const points = embedPoints(cohort, grid, labels, at, hasData);
            const { data: z, dim } = (await embedCohort(encoder, executor, cohort, points, ['Z'])).streams.get('Z')!;
            const rows = (split: number): number[] => [...points.subject.keys()].filter((r) => cohort.subjects.split[points.subject[r]] === split);
            const part = (split: number): { x: ReturnType<typeof matrix64>; y: number[] } => {
              const r = rows(split);
              return { x: matrix64(r.flatMap((i) => Array.from(z.subarray(i * dim, (i + 1) * dim))), r.length, dim), y: r.map((i) => cohort.subjects.id[points.subject[i]] % 2) };
            };
            const probe = fitLinearProbe(part(0), part(1));
            const held = part(2);
            return { auroc: auroc(probeScores(probe, held.x), held.y)!, z };
          };
          const atPrediction = await probeAuroc('prediction-times');
          // Each pair's embeddings are the same bytes: subject order is (negative, positive) per pair.
          const dim = encoder.config.dim;
          for (let k = 0; k < PAIRS; k++) {
            expect(atPrediction.z.subarray(2 * k * dim, (2 * k + 1) * dim)).toEqual(atPrediction.z.subarray((2 * k + 1) * dim, (2 * k + 2) * dim));
          }
          expect(atPrediction.auroc).toBe(0.5);
          const atLast = await probeAuroc('last');
          expect(atLast.auroc).toBeGreaterThan(0.9);
        } finally {
          executor.dispose();
        }
      });
    });
  }
});
