import type { Cohort } from './cohort.ts';
import { Growable } from './growable.ts';
import type { LabelTask } from './labels-reader.ts';
import { MICROS_PER_DAY } from './time.ts';

/**
 * Time windows: each subject's timeline cut into consecutive windows of equal width (default 90
 * days). Window t of a subject and window t + 1 are what an objective's `Z_t` and `Z_t+1` embed.
 *
 * A window is half-open on the left, `(start, end]`, matching MEDS labels: a prediction at time p
 * may use data at or before p, so the window ending at p holds exactly such data.
 *
 * The grid of a subject is anchored at its earliest prediction time when labels are given (so a
 * window ends exactly there), otherwise 1 µs before its first timed event. It runs from the first
 * window holding a timed event or note to the last, empty windows in between included (they are
 * real gaps in care, and keep t + 1 meaning "the next 90 days"); with labels it also reaches the
 * window ending at the anchor. Events with a `spanExcludes` code (by default MEDS_BIRTH, decades
 * before any care) do not stretch the grid. Static (null-time) events, and excluded events before
 * the first window, belong to no window: they are `[eventOffset[s], staticEventEnd[s])`.
 */
export interface WindowOptions {
  /** Width in days (may be fractional). Default 90. */
  readonly widthDays?: number;
  /** Labels whose prediction times anchor each subject's grid (see above). */
  readonly labels?: readonly LabelTask[];
  /** Codes whose events do not extend the grid. Default ['MEDS_BIRTH']. */
  readonly spanExcludes?: readonly string[];
}

export interface Windows {
  readonly widthUs: number;
  readonly count: number;
  /** Length subjects + 1: subject s's windows are `[subjectOffset[s], subjectOffset[s + 1])`, in time order. */
  readonly subjectOffset: Int32Array;
  /** Subject index of each window. */
  readonly subject: Int32Array;
  /** Exclusive start, microseconds. */
  readonly start: Float64Array;
  /** Inclusive end, microseconds. */
  readonly end: Float64Array;
  /** The window's events are `[eventStart[w], eventEnd[w])` in `Cohort.events` (empty when equal). */
  readonly eventStart: Int32Array;
  readonly eventEnd: Int32Array;
  /** The window's notes are `[noteStart[w], noteEnd[w])` in `Cohort.notes`. */
  readonly noteStart: Int32Array;
  readonly noteEnd: Int32Array;
  /**
   * Per subject: its events before the first window are `[subjects.eventOffset[s], staticEventEnd[s])`:
   * null-time facts (sex) and excluded events such as the birth. The trainer uses them as context.
   */
  readonly staticEventEnd: Int32Array;
  /** Per subject: the grid anchor (a window boundary), NaN for a subject with no timed data. */
  readonly anchor: Float64Array;
}

export const DEFAULT_WINDOW_DAYS = 90;

export function buildWindows(cohort: Cohort, options: WindowOptions = {}): Windows {
  const widthDays = options.widthDays ?? DEFAULT_WINDOW_DAYS;
  if (!(widthDays > 0)) throw new RangeError(`window width must be positive, got ${widthDays} days`);
  const w = Math.round(widthDays * MICROS_PER_DAY);
  const { subjects, events, notes } = cohort;
  const anchorOf = labelAnchors(cohort, options.labels ?? []);

  const subjectOffset = new Int32Array(subjects.count + 1);
  const staticEventEnd = new Int32Array(subjects.count);
  const anchor = new Float64Array(subjects.count).fill(NaN);
  const subject = new Growable(Int32Array);
  const start = new Growable(Float64Array);
  const end = new Growable(Float64Array);
  const eventStart = new Growable(Int32Array);
  const eventEnd = new Growable(Int32Array);
  const noteStart = new Growable(Int32Array);
  const noteEnd = new Growable(Int32Array);

  const excluded = new Uint8Array(cohort.vocabulary.codes.length);
  for (const code of options.spanExcludes ?? ['MEDS_BIRTH']) {
    const i = cohort.vocabulary.indexOf.get(code);
    if (i !== undefined) excluded[i] = 1;
  }

  for (let s = 0; s < subjects.count; s++) {
    subjectOffset[s] = subject.length;
    const e0 = subjects.eventOffset[s];
    const e1 = subjects.eventOffset[s + 1];
    const n0 = subjects.noteOffset[s];
    const n1 = subjects.noteOffset[s + 1];
    let firstTimed = e0;
    while (firstTimed < e1 && Number.isNaN(events.time[firstTimed])) firstTimed++;
    // The events that span the grid: timed, and not of an excluded code.
    let spanFirst = firstTimed;
    while (spanFirst < e1 && excluded[events.code[spanFirst]] === 1) spanFirst++;
    let spanLast = e1 - 1;
    while (spanLast >= spanFirst && excluded[events.code[spanLast]] === 1) spanLast--;
    let firstTimedNote = n0;
    while (firstTimedNote < n1 && Number.isNaN(notes.time[firstTimedNote])) firstTimedNote++;
    staticEventEnd[s] = e1;

    const labelled = anchorOf[s];
    const hasEvents = spanFirst <= spanLast;
    const hasNotes = firstTimedNote < n1;
    let a: number;
    if (!Number.isNaN(labelled)) a = labelled;
    else if (hasEvents || hasNotes) {
      const first = Math.min(hasEvents ? events.time[spanFirst] : Infinity, hasNotes ? notes.time[firstTimedNote] : Infinity);
      a = first - 1;
    } else continue;
    anchor[s] = a;

    let jMin = Infinity;
    let jMax = -Infinity;
    if (hasEvents) {
      jMin = Math.min(jMin, windowOf(events.time[spanFirst], a, w));
      jMax = Math.max(jMax, windowOf(events.time[spanLast], a, w));
    }
    if (hasNotes) {
      jMin = Math.min(jMin, windowOf(notes.time[firstTimedNote], a, w));
      jMax = Math.max(jMax, windowOf(notes.time[n1 - 1], a, w));
    }
    if (!Number.isNaN(labelled)) {
      jMin = Math.min(jMin, 0);
      jMax = Math.max(jMax, 0);
    }
    const gridStart = a + (jMin - 1) * w;
    let e = firstTimed;
    while (e < e1 && events.time[e] <= gridStart) e++;
    staticEventEnd[s] = e;
    let n = firstTimedNote;
    while (n < n1 && notes.time[n] <= gridStart) n++;
    for (let j = jMin; j <= jMax; j++) {
      const hi = a + j * w;
      subject.push(s);
      // The same expression as the previous window's end, so that the two are equal to the bit.
      start.push(a + (j - 1) * w);
      end.push(hi);
      eventStart.push(e);
      while (e < e1 && events.time[e] <= hi) e++;
      eventEnd.push(e);
      noteStart.push(n);
      while (n < n1 && notes.time[n] <= hi) n++;
      noteEnd.push(n);
    }
  }
  subjectOffset[subjects.count] = subject.length;
  return {
    widthUs: w,
    count: subject.length,
    subjectOffset,
    subject: subject.finish(),
    start: start.finish(),
    end: end.finish(),
    eventStart: eventStart.finish(),
    eventEnd: eventEnd.finish(),
    noteStart: noteStart.finish(),
    noteEnd: noteEnd.finish(),
    staticEventEnd,
    anchor,
  };
}

/** The grid index j of time t: the window `(a + (j-1)w, a + jw]` that holds it. */
function windowOf(t: number, a: number, w: number): number {
  let j = Math.ceil((t - a) / w);
  // Guard the division's rounding at exact boundaries.
  while (a + (j - 1) * w >= t) j--;
  while (a + j * w < t) j++;
  return j;
}

/** Per subject index: its earliest prediction time over all tasks, NaN when it has none. */
function labelAnchors(cohort: Cohort, labels: readonly LabelTask[]): Float64Array {
  const anchors = new Float64Array(cohort.subjects.count).fill(NaN);
  for (const task of labels) {
    for (let i = 0; i < task.count; i++) {
      const s = cohort.subjects.indexOf.get(task.subjectId[i]);
      if (s === undefined) continue;
      const p = task.predictionTime[i];
      if (Number.isNaN(anchors[s]) || p < anchors[s]) anchors[s] = p;
    }
  }
  return anchors;
}

/**
 * For each label row of a task: the window to embed for that prediction, i.e. the latest window of
 * the subject that ends at or before the prediction time (so it holds no data after it), or -1 when
 * the subject is unknown or has no window that early. When the grid was anchored with these labels
 * the window ends exactly at the prediction time; otherwise data between its end and the prediction
 * time is left out rather than leaked.
 */
export function labelWindows(cohort: Cohort, windows: Windows, task: LabelTask): Int32Array {
  const out = new Int32Array(task.count).fill(-1);
  for (let i = 0; i < task.count; i++) {
    const s = cohort.subjects.indexOf.get(task.subjectId[i]);
    if (s === undefined) continue;
    const w0 = windows.subjectOffset[s];
    const w1 = windows.subjectOffset[s + 1];
    const p = task.predictionTime[i];
    // Windows of a subject are consecutive with increasing ends: binary search for the last end <= p.
    let lo = w0;
    let hi = w1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (windows.end[mid] <= p) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo > w0 ? lo - 1 : -1;
  }
  return out;
}

/** Which windows count as non-empty for pairing. */
export type PairRequirement = 'events' | 'notes' | 'either' | 'none';

/**
 * Consecutive window pairs (t, t + 1) of the same subject: the `Z_t`, `Z_t+1` of an objective.
 * By default both windows must hold at least one event.
 */
export function windowPairs(windows: Windows, require: PairRequirement = 'events'): { first: Int32Array; second: Int32Array } {
  const ok = (w: number): boolean => {
    const ev = windows.eventEnd[w] > windows.eventStart[w];
    const nt = windows.noteEnd[w] > windows.noteStart[w];
    return require === 'none' || (require === 'events' ? ev : require === 'notes' ? nt : ev || nt);
  };
  const first = new Growable(Int32Array);
  const second = new Growable(Int32Array);
  for (let w = 0; w + 1 < windows.count; w++) {
    if (windows.subject[w] !== windows.subject[w + 1]) continue;
    if (ok(w) && ok(w + 1)) {
      first.push(w);
      second.push(w + 1);
    }
  }
  return { first: first.finish(), second: second.finish() };
}
