import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabels } from '../../../../runtime/data/labels-reader.ts';
import { readCohort } from '../../../../runtime/data/meds-reader.ts';
import { buildWindows } from '../../../../runtime/data/windows.ts';
import { labelledWindows, readBoundTasks } from '../../../../runtime/train/data/labelled-windows.ts';
import { trainSubjects } from '../../../../runtime/train/data/train-subjects.ts';
import { FIXTURE_DIR } from '../../data/helpers.ts';

/**
 * The examples of a run with a label stream, on the committed fixture: one per known label of a
 * train subject, the window ending at the prediction time (every event of the window at or
 * before it, the subject's next event after it), with the label's value.
 */
describe('labelled prediction windows', () => {
  it('are the windows ending at each known label of a train subject, with its value, and nothing after the prediction time', async () => {
    const cohort = await readCohort(FIXTURE_DIR);
    const grid = buildWindows(cohort, { widthDays: 90 });
    const train = trainSubjects(cohort).mask;
    const tasks = await readBoundTasks(FIXTURE_DIR, { Y: 'mortality_1y' });
    const { windows, values } = labelledWindows(cohort, grid, train, tasks);

    // The expected rows, from the label file directly.
    const [task] = (await readLabels(join(FIXTURE_DIR, 'labels'))).filter((t) => t.name === 'mortality_1y');
    const expected = new Map<string, number>();
    for (let i = 0; i < task.count; i++) {
      const s = cohort.subjects.indexOf.get(task.subjectId[i]);
      if (s !== undefined && train[s] === 1 && task.value[i] >= 0) expected.set(`${s}:${task.predictionTime[i]}`, task.value[i]);
    }
    expect(windows.count).toBe(expected.size);
    expect(windows.count).toBeGreaterThan(20);
    const y = values.get('Y')!;
    const { events, subjects } = cohort;
    for (let w = 0; w < windows.count; w++) {
      const s = windows.subject[w];
      const t = windows.end[w];
      expect(y[w]).toBe(expected.get(`${s}:${t}`));
      expect(t - windows.start[w]).toBe(90 * 86_400_000_000);
      for (let e = windows.eventStart[w]; e < windows.eventEnd[w]; e++) {
        expect(events.time[e]).toBeLessThanOrEqual(t);
        expect(events.time[e]).toBeGreaterThan(windows.start[w]);
      }
      const next = windows.eventEnd[w];
      if (next < subjects.eventOffset[s + 1]) expect(events.time[next]).toBeGreaterThan(t);
    }
    expect(new Set(y)).toEqual(new Set([0, 1]));
  });

  it('name the dataset\'s tasks when a --label names none of them', async () => {
    await expect(readBoundTasks(FIXTURE_DIR, { Y: 'mortality' })).rejects.toThrow(
      `--label Y=mortality: no task 'mortality'; the tasks of ${FIXTURE_DIR} are abnormal_hba1c_1y, ckd_onset_1y, copd_exacerbation_1y, long_stay_1y, mortality_1y, readmission_30d`,
    );
  });
});
