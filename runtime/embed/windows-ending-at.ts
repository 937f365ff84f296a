import type { Cohort } from '../data/cohort.ts';
import { Growable } from '../data/growable.ts';
import type { Windows } from '../data/windows.ts';

/** Points in time to embed: subject s at time t (µs), sorted by subject, then time. */
export interface TimePoints {
  readonly subject: Int32Array;
  readonly time: Float64Array;
}

/**
 * One window per point: subject s's window `(t − width, t]` (the run's width), so the window
 * ending at a label's prediction time holds exactly the data a prediction then may use (MEDS: at
 * or before the prediction time), and nothing after it. The windows may overlap; they share the
 * grid's static context (`grid.staticEventEnd`: null-time facts and excluded events before the
 * subject's first window), which the encoder adds to every window.
 */
export function windowsEndingAt(cohort: Cohort, grid: Windows, points: TimePoints): Windows {
  const n = points.subject.length;
  const { subjects, events, notes } = cohort;
  const subjectOffset = new Int32Array(subjects.count + 1);
  const start = new Float64Array(n);
  const eventStart = new Int32Array(n);
  const eventEnd = new Int32Array(n);
  const noteStart = new Int32Array(n);
  const noteEnd = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const s = points.subject[r];
    const t = points.time[r];
    if (!Number.isFinite(t)) throw new RangeError(`time point ${r} is not a time (${t})`);
    if (r > 0 && (s < points.subject[r - 1] || (s === points.subject[r - 1] && t < points.time[r - 1]))) {
      throw new RangeError(`time points must be sorted by subject, then time (row ${r})`);
    }
    subjectOffset[s + 1]++;
    start[r] = t - grid.widthUs;
    // Timed events follow the static range in time order; notes with a null time come first.
    const timedFrom = grid.staticEventEnd[s];
    const timedTo = subjects.eventOffset[s + 1];
    eventStart[r] = firstAfter(events.time, timedFrom, timedTo, start[r]);
    eventEnd[r] = firstAfter(events.time, eventStart[r], timedTo, t);
    const notesTo = subjects.noteOffset[s + 1];
    const datedFrom = firstDated(notes.time, subjects.noteOffset[s], notesTo);
    noteStart[r] = firstAfter(notes.time, datedFrom, notesTo, start[r]);
    noteEnd[r] = firstAfter(notes.time, noteStart[r], notesTo, t);
  }
  for (let s = 0; s < subjects.count; s++) subjectOffset[s + 1] += subjectOffset[s];
  return {
    widthUs: grid.widthUs,
    count: n,
    subjectOffset,
    subject: Int32Array.from(points.subject),
    start,
    end: Float64Array.from(points.time),
    eventStart,
    eventEnd,
    noteStart,
    noteEnd,
    staticEventEnd: grid.staticEventEnd,
    anchor: grid.anchor,
  };
}

/** The first index in [from, to) whose time is > limit (times ascending there). */
function firstAfter(times: Float64Array, from: number, to: number, limit: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] > limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first index in [from, to) with a time (null times come first). */
function firstDated(times: Float64Array, from: number, to: number): number {
  let i = from;
  while (i < to && Number.isNaN(times[i])) i++;
  return i;
}

/** Time points from lists that may be unsorted or repeat: sorted by subject then time, each once. */
export function uniqueTimePoints(subject: ArrayLike<number>, time: ArrayLike<number>): TimePoints {
  const order = Array.from({ length: subject.length }, (_, i) => i).sort((a, b) => subject[a] - subject[b] || time[a] - time[b]);
  const s = new Growable(Int32Array);
  const t = new Growable(Float64Array);
  let last = -1;
  for (const i of order) {
    if (last >= 0 && subject[i] === subject[last] && time[i] === time[last]) continue;
    s.push(subject[i]);
    t.push(time[i]);
    last = i;
  }
  return { subject: s.finish(), time: t.finish() };
}
