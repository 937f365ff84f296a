import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cohort } from '../../../runtime/data/cohort.ts';
import type { LabelTask } from '../../../runtime/data/labels-reader.ts';
import { readLabels } from '../../../runtime/data/labels-reader.ts';
import { readCohort } from '../../../runtime/data/meds-reader.ts';
import { MICROS_PER_DAY } from '../../../runtime/data/time.ts';
import { buildWindows, labelWindows, windowPairs } from '../../../runtime/data/windows.ts';
import { FIXTURE_DIR } from './helpers.ts';

const DAY = MICROS_PER_DAY;

/** A cohort from per-subject lists of (day, code) events; NaN days are static events. */
function cohortOf(subjects: { id: number; events: [number, string][]; notes?: number[] }[]): Cohort {
  const codes: string[] = [];
  const indexOf = new Map<string, number>();
  const code = (c: string): number => {
    if (!indexOf.has(c)) {
      indexOf.set(c, codes.length);
      codes.push(c);
    }
    return indexOf.get(c)!;
  };
  const time: number[] = [];
  const codeIndex: number[] = [];
  const eventOffset = [0];
  const noteTime: number[] = [];
  const noteOffset = [0];
  for (const s of subjects) {
    for (const [day, c] of s.events) {
      time.push(day * DAY);
      codeIndex.push(code(c));
    }
    eventOffset.push(time.length);
    noteTime.push(...(s.notes ?? []).map((d) => d * DAY));
    noteOffset.push(noteTime.length);
  }
  return {
    root: 'memory',
    dataset: {},
    vocabulary: { codes, indexOf, descriptions: codes.map(() => null), parents: codes.map(() => []), counts: new Int32Array(codes.length) },
    subjects: {
      count: subjects.length,
      id: Float64Array.from(subjects, (s) => s.id),
      split: new Uint8Array(subjects.length),
      eventOffset: Int32Array.from(eventOffset),
      noteOffset: Int32Array.from(noteOffset),
      indexOf: new Map(subjects.map((s, i) => [s.id, i])),
    },
    events: { count: time.length, time: Float64Array.from(time), code: Int32Array.from(codeIndex), value: new Float32Array(time.length).fill(NaN) },
    notes: { count: noteTime.length, time: Float64Array.from(noteTime), text: noteTime.map(() => 'note') },
    warnings: [],
    nanAsMissing: 0,
  };
}

function task(rows: [id: number, day: number][]): LabelTask {
  return {
    name: 't',
    files: [],
    count: rows.length,
    subjectId: Float64Array.from(rows, (r) => r[0]),
    predictionTime: Float64Array.from(rows, (r) => r[1] * DAY),
    value: new Int8Array(rows.length).fill(1),
  };
}

describe('buildWindows', () => {
  it('cuts a timeline into consecutive (start, end] windows from just before the first event, empty gaps included', () => {
    const cohort = cohortOf([{ id: 1, events: [[NaN, 'SEX'], [-20000, 'MEDS_BIRTH'], [0, 'A'], [10, 'B'], [200, 'C']], notes: [5, 95] }]);
    const w = buildWindows(cohort, { widthDays: 90 });
    expect(w.count).toBe(3);
    expect(Array.from(w.start)).toEqual([-1, 90 * DAY - 1, 180 * DAY - 1]);
    expect(Array.from(w.end)).toEqual([90 * DAY - 1, 180 * DAY - 1, 270 * DAY - 1]);
    expect(Array.from(w.eventStart)).toEqual([2, 4, 4]);
    expect(Array.from(w.eventEnd)).toEqual([4, 4, 5]);
    expect(Array.from(w.noteStart)).toEqual([0, 1, 2]);
    expect(Array.from(w.noteEnd)).toEqual([1, 2, 2]);
    // Sex and birth come before the first window.
    expect(w.staticEventEnd[0]).toBe(2);
    expect(Array.from(w.subjectOffset)).toEqual([0, 3]);
  });

  it('anchors the grid at the earliest prediction time, so a window ends exactly there', () => {
    const cohort = cohortOf([
      { id: 1, events: [[0, 'A'], [100, 'B'], [100.5, 'C'], [300, 'D']] },
      { id: 2, events: [[50, 'A']] },
    ]);
    const labels = [task([[1, 100.5], [1, 250]])];
    const w = buildWindows(cohort, { widthDays: 30, labels });
    const s0 = Array.from({ length: w.subjectOffset[1] }, (_, k) => k);
    expect(s0.some((k) => w.end[k] === 100.5 * DAY)).toBe(true);
    const k = labelWindows(cohort, w, labels[0]);
    // The event at exactly the prediction time is in the window ending there (MEDS: usable).
    expect(w.end[k[0]]).toBe(100.5 * DAY);
    expect(w.eventEnd[k[0]]).toBe(3);
    // Later prediction time, not on the grid: the latest window ending before it.
    expect(w.end[k[1]]).toBeLessThanOrEqual(250 * DAY);
    expect(w.end[k[1] + 1]).toBeGreaterThan(250 * DAY);
    // Subject 2 has no labels: anchored 1 µs before its first event.
    expect(w.anchor[1]).toBe(50 * DAY - 1);
  });

  it('a label anchor far from the data still gets its (empty) window; unknown subjects and too-early times map to -1', () => {
    const cohort = cohortOf([{ id: 1, events: [[0, 'A']] }]);
    const labels = [task([[1, 365], [2, 10]])];
    const w = buildWindows(cohort, { widthDays: 90, labels });
    expect(Array.from(w.end)).toEqual([5, 95, 185, 275, 365].map((d) => d * DAY));
    const k = labelWindows(cohort, w, labels[0]);
    expect(w.end[k[0]]).toBe(365 * DAY);
    expect(w.eventEnd[k[0]] - w.eventStart[k[0]]).toBe(0);
    expect(k[1]).toBe(-1);
    expect(Array.from(labelWindows(cohort, w, task([[1, -200], [1, 100]])))).toEqual([-1, 1]);
  });

  it('places every timed event in exactly one window, within its bounds', () => {
    const days = fc.array(fc.double({ min: -1000, max: 3000, noNaN: true }), { maxLength: 30 });
    fc.assert(
      fc.property(fc.array(days, { minLength: 1, maxLength: 5 }), fc.double({ min: 0.5, max: 400, noNaN: true }), (subjects, width) => {
        const cohort = cohortOf(subjects.map((d, i) => ({ id: i, events: [...d].sort((a, b) => a - b).map((x): [number, string] => [Math.round(x * 1e6) / 1e6, 'E']) })));
        const w = buildWindows(cohort, { widthDays: width });
        const seen = new Int32Array(cohort.events.count);
        for (let k = 0; k < w.count; k++) {
          if (k + 1 < w.count && w.subject[k + 1] === w.subject[k]) expect(w.start[k + 1]).toBe(w.end[k]);
          for (let e = w.eventStart[k]; e < w.eventEnd[k]; e++) {
            seen[e]++;
            expect(cohort.events.time[e]).toBeGreaterThan(w.start[k]);
            expect(cohort.events.time[e]).toBeLessThanOrEqual(w.end[k]);
          }
        }
        expect(Array.from(seen).every((n) => n === 1)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('pairs consecutive windows of a subject, by default both with events', () => {
    const cohort = cohortOf([
      { id: 1, events: [[0, 'A'], [100, 'B'], [200, 'C'], [400, 'D']] },
      { id: 2, events: [[0, 'A'], [95, 'B']] },
    ]);
    const w = buildWindows(cohort, { widthDays: 90 });
    const pairs = windowPairs(w);
    const described = Array.from(pairs.first, (f, i) => [w.subject[f], f, pairs.second[i]]);
    expect(described).toEqual([
      [0, 0, 1],
      [0, 1, 2],
      [1, w.subjectOffset[1], w.subjectOffset[1] + 1],
    ]);
    expect(windowPairs(w, 'none').first.length).toBe(w.count - 2);
  });

  it('on the fixture: labels anchor every subject and each label has the window ending at its prediction time', async () => {
    const cohort = await readCohort(FIXTURE_DIR);
    const labels = await readLabels(`${FIXTURE_DIR}/labels`);
    const w = buildWindows(cohort, { labels });
    for (const t of labels) {
      const k = labelWindows(cohort, w, t);
      for (let i = 0; i < t.count; i++) expect(w.end[k[i]]).toBe(t.predictionTime[i]);
    }
    expect(windowPairs(w).first.length).toBeGreaterThan(cohort.subjects.count);
  });
});
