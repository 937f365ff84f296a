import { describe, expect, it } from 'vitest';
import { buildWindows } from '../../../runtime/data/windows.ts';
import { uniqueTimePoints, windowsEndingAt } from '../../../runtime/embed/windows-ending-at.ts';
import { smallCohort, us, withTempDir } from '../train/helpers.ts';

const DAY = 86_400_000_000;

describe('windows ending at a time point', () => {
  it('hold the events and notes in (t − width, t], nothing after t, and the static context', async () => {
    await withTempDir(async (dir) => {
      const cohort = await smallCohort(dir, {
        events: [
          { subject: 1, time: null, code: 'SEX//F' },
          { subject: 1, time: '2019-01-01T00:00:00', code: 'OLD' },
          { subject: 1, time: '2020-03-03T00:00:00', code: 'EDGE_OUT' }, // exactly t − 90 days: excluded (open left)
          { subject: 1, time: '2020-03-03T00:00:01', code: 'EDGE_IN' },
          { subject: 1, time: '2020-06-01T00:00:00', code: 'AT_T' }, // at t: included
          { subject: 1, time: '2020-06-01T00:00:01', code: 'AFTER' },
          { subject: 1, time: '2021-01-01T00:00:00', code: 'LATER' },
        ],
        notes: [
          { subject: 1, time: '2020-05-01T00:00:00', text: 'before' },
          { subject: 1, time: '2020-06-02T00:00:00', text: 'after' },
        ],
      });
      const grid = buildWindows(cohort, { widthDays: 90 });
      const t = us('2020-06-01T00:00:00');
      const w = windowsEndingAt(cohort, grid, { subject: Int32Array.of(0), time: Float64Array.of(t) });
      const codes = (): string[] => {
        const out: string[] = [];
        for (let e = w.eventStart[0]; e < w.eventEnd[0]; e++) out.push(cohort.vocabulary.codes[cohort.events.code[e]]);
        return out;
      };
      expect(codes()).toEqual(['EDGE_IN', 'AT_T']);
      expect(w.start[0]).toBe(t - 90 * DAY);
      expect(w.end[0]).toBe(t);
      expect(cohort.notes.text.slice(w.noteStart[0], w.noteEnd[0])).toEqual(['before']);
      expect(cohort.vocabulary.codes[cohort.events.code[cohort.subjects.eventOffset[0]]]).toBe('SEX//F');
      expect(w.staticEventEnd[0]).toBe(grid.staticEventEnd[0]);
      expect(Array.from(w.subjectOffset)).toEqual([0, 1]);
    });
  });

  it('dedupes and sorts time points, and refuses unsorted ones', () => {
    const points = uniqueTimePoints([2, 1, 2, 1], [5, 9, 5, 3]);
    expect(Array.from(points.subject)).toEqual([1, 1, 2]);
    expect(Array.from(points.time)).toEqual([3, 9, 5]);
  });
});
