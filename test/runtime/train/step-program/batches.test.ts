import { describe, expect, it } from 'vitest';
import { buildWindows } from '../../../../runtime/data/windows.ts';
import { batchInputs, epochOrder, stepsPerEpoch, trainingExamples, windowHasData } from '../../../../runtime/train/step-program/batches.ts';
import { fitFeaturizer } from '../../../../runtime/train/features/featurizer.ts';
import { trainSubjects } from '../../../../runtime/train/data/train-subjects.ts';
import { WindowEncoder } from '../../../../runtime/train/features/window-encoder.ts';
import { smallCohort, withTempDir } from '../helpers.ts';

// Windows of 30 days anchored at each subject's first event: subject 1 has data in windows 1, 2, 3
// and 5 (4 empty); subject 2 in 1 and 2; subject 3 (tuning) in 1 and 2.
const EVENTS = [
  { subject: 1, time: '2020-01-01', code: 'A' },
  { subject: 1, time: '2020-02-05', code: 'A' },
  { subject: 1, time: '2020-03-05', code: 'B' },
  { subject: 1, time: '2020-05-05', code: 'B' },
  { subject: 2, time: '2020-01-01', code: 'A' },
  { subject: 2, time: '2020-02-05', code: 'C' },
  { subject: 3, time: '2020-01-01', code: 'A' },
  { subject: 3, time: '2020-02-05', code: 'A' },
];
const SPLITS = { 1: 'train', 2: 'train', 3: 'tuning' } as const;

async function setup(dir: string) {
  const cohort = await smallCohort(dir, { events: EVENTS, splits: SPLITS });
  const windows = buildWindows(cohort, { widthDays: 30 });
  const train = trainSubjects(cohort);
  return { cohort, windows, train, hasData: windowHasData(windows, 'ehr') };
}

describe('trainingExamples', () => {
  it('takes train windows t whose t + k for every slot k has data', () =>
    withTempDir(async (dir) => {
      const { cohort, windows, train, hasData } = await setup(dir);
      const w = (subject: number, j: number) => windows.subjectOffset[cohort.subjects.indexOf.get(subject)!] + j;
      expect(windows.subjectOffset[cohort.subjects.indexOf.get(1)! + 1] - w(1, 0)).toBe(5);
      expect([...trainingExamples(windows, train.mask, [0], hasData)]).toEqual([w(1, 0), w(1, 1), w(1, 2), w(1, 4), w(2, 0), w(2, 1)]);
      expect([...trainingExamples(windows, train.mask, [0, 1], hasData)]).toEqual([w(1, 0), w(1, 1), w(2, 0)]);
      expect([...trainingExamples(windows, train.mask, [0, 1, 2], hasData)]).toEqual([w(1, 0)]);
      expect([...trainingExamples(windows, train.mask, [-1, 0], hasData)]).toEqual([w(1, 1), w(1, 2), w(2, 1)]);
    }));
});

describe('epochOrder', () => {
  it('is a permutation that depends only on (seed, epoch)', () => {
    const a = epochOrder(100, 7, 3);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(epochOrder(100, 7, 3)).toEqual(a);
    expect(epochOrder(100, 7, 4)).not.toEqual(a);
    expect(epochOrder(100, 8, 3)).not.toEqual(a);
  });

  it('drops the last partial batch', () => {
    expect(stepsPerEpoch(100, 32)).toBe(3);
    expect(stepsPerEpoch(31, 32)).toBe(0);
  });
});

describe('batchInputs', () => {
  it('gives every field of every slot, rows aligned across slots', () =>
    withTempDir(async (dir) => {
      const { cohort, windows, train, hasData } = await setup(dir);
      const examples = trainingExamples(windows, train.mask, [0, 1], hasData);
      const encoder = new WindowEncoder(fitFeaturizer(cohort, train.mask), cohort, windows);
      const order = Int32Array.from([2, 0, 1]);
      const inputs = batchInputs(encoder, 'ehr', examples, order, 0, 2, [{ slot: 0 }, { slot: 1 }]);
      expect([...inputs.keys()].sort()).toEqual(
        ['t', 't+1'].flatMap((s) => ['code_ids', 'code_rows', 'code_weights', 'labs'].map((f) => `data:${s}.${f}`)).sort(),
      );
      expect(inputs.get('data:t.labs')!.shape).toEqual([2, 1]);
      // Row 0 is example 2 (subject 2, window 0 then 1): code A then C.
      const row0 = (slot: string) => {
        const rows = inputs.get(`data:${slot}.code_rows`)!.data;
        const ids = inputs.get(`data:${slot}.code_ids`)!.data;
        return [...ids].filter((_, i) => rows[i] === 0);
      };
      const codeA = encoder.encode('ehr', [examples[2]]).get('code_ids')!.data[0];
      const codeC = encoder.encode('ehr', [examples[2] + 1]).get('code_ids')!.data[0];
      expect(row0('t')).toEqual([codeA]);
      expect(row0('t+1')).toEqual([codeC]);
    }));
});
