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
  const widthUs = Math.round(widthDays * MICROS_PER_DAY);
  const { subjects } = cohort;
  const labelAnchor = labelAnchors(cohort, options.labels ?? []);
  const excluded = excludedCodes(cohort, options.spanExcludes ?? ['MEDS_BIRTH']);

  const subjectOffset = new Int32Array(subjects.count + 1);
  const staticEventEnd = new Int32Array(subjects.count);
  const anchor = new Float64Array(subjects.count).fill(NaN);
  const columns = emptyColumns();
  for (let s = 0; s < subjects.count; s++) {
    subjectOffset[s] = columns.subject.length;
    const rows = subjectRows(cohort, s, excluded);
    staticEventEnd[s] = rows.eventEnd;
    const labelled = !Number.isNaN(labelAnchor[s]);
    const subjectAnchor = labelled ? labelAnchor[s] : dataAnchor(cohort, rows);
    if (Number.isNaN(subjectAnchor)) continue;
    anchor[s] = subjectAnchor;
    const grid = subjectGrid(cohort, rows, subjectAnchor, widthUs, labelled);
    staticEventEnd[s] = appendSubjectWindows(columns, cohort, s, rows, grid);
  }
  subjectOffset[subjects.count] = columns.subject.length;
  return {
    widthUs,
    count: columns.subject.length,
    subjectOffset,
    subject: columns.subject.finish(),
    start: columns.start.finish(),
    end: columns.end.finish(),
    eventStart: columns.eventStart.finish(),
    eventEnd: columns.eventEnd.finish(),
    noteStart: columns.noteStart.finish(),
    noteEnd: columns.noteEnd.finish(),
    staticEventEnd,
    anchor,
  };
}

/** 1 for each vocabulary index whose events do not stretch the grid. */
function excludedCodes(cohort: Cohort, codes: readonly string[]): Uint8Array {
  const excluded = new Uint8Array(cohort.vocabulary.codes.length);
  for (const code of codes) {
    const i = cohort.vocabulary.indexOf.get(code);
    if (i !== undefined) excluded[i] = 1;
  }
  return excluded;
}

/**
 * Where a subject's rows lie in the cohort's event and note tables (time-sorted, null times
 * first), and which of them matter to the grid. Each range is half-open.
 */
interface SubjectRows {
  readonly eventEnd: number;
  /** The first event with a time. */
  readonly firstTimedEvent: number;
  /** The first and last events that span the grid: timed, and not of an excluded code (empty when first > last). */
  readonly firstSpanEvent: number;
  readonly lastSpanEvent: number;
  readonly noteEnd: number;
  readonly firstTimedNote: number;
}

function subjectRows(cohort: Cohort, s: number, excluded: Uint8Array): SubjectRows {
  const { subjects, events, notes } = cohort;
  const eventEnd = subjects.eventOffset[s + 1];
  let firstTimedEvent = subjects.eventOffset[s];
  while (firstTimedEvent < eventEnd && Number.isNaN(events.time[firstTimedEvent])) firstTimedEvent++;
  let firstSpanEvent = firstTimedEvent;
  while (firstSpanEvent < eventEnd && excluded[events.code[firstSpanEvent]] === 1) firstSpanEvent++;
  let lastSpanEvent = eventEnd - 1;
  while (lastSpanEvent >= firstSpanEvent && excluded[events.code[lastSpanEvent]] === 1) lastSpanEvent--;
  const noteEnd = subjects.noteOffset[s + 1];
  let firstTimedNote = subjects.noteOffset[s];
  while (firstTimedNote < noteEnd && Number.isNaN(notes.time[firstTimedNote])) firstTimedNote++;
  return { eventEnd, firstTimedEvent, firstSpanEvent, lastSpanEvent, noteEnd, firstTimedNote };
}

const hasSpanEvents = (rows: SubjectRows): boolean => rows.firstSpanEvent <= rows.lastSpanEvent;
const hasTimedNotes = (rows: SubjectRows): boolean => rows.firstTimedNote < rows.noteEnd;

/** The anchor of an unlabelled subject: 1 µs before its first spanning event or timed note; NaN when it has neither. */
function dataAnchor(cohort: Cohort, rows: SubjectRows): number {
  const events = hasSpanEvents(rows);
  const notes = hasTimedNotes(rows);
  if (!events && !notes) return NaN;
  const first = Math.min(events ? cohort.events.time[rows.firstSpanEvent] : Infinity, notes ? cohort.notes.time[rows.firstTimedNote] : Infinity);
  return first - 1;
}

/** A subject's grid: window j is `(anchor + (j-1) * widthUs, anchor + j * widthUs]`, for j from `first` to `last`. */
interface SubjectGrid {
  readonly anchor: number;
  readonly widthUs: number;
  readonly first: number;
  readonly last: number;
}

/** The windows from the first holding spanning data to the last; a labelled subject's also reach window 0, which ends at its anchor. */
function subjectGrid(cohort: Cohort, rows: SubjectRows, anchor: number, widthUs: number, labelled: boolean): SubjectGrid {
  let first = Infinity;
  let last = -Infinity;
  if (hasSpanEvents(rows)) {
    first = Math.min(first, windowOf(cohort.events.time[rows.firstSpanEvent], anchor, widthUs));
    last = Math.max(last, windowOf(cohort.events.time[rows.lastSpanEvent], anchor, widthUs));
  }
  if (hasTimedNotes(rows)) {
    first = Math.min(first, windowOf(cohort.notes.time[rows.firstTimedNote], anchor, widthUs));
    last = Math.max(last, windowOf(cohort.notes.time[rows.noteEnd - 1], anchor, widthUs));
  }
  if (labelled) {
    first = Math.min(first, 0);
    last = Math.max(last, 0);
  }
  return { anchor, widthUs, first, last };
}

/** The columns of Windows while they grow, one entry per window. */
function emptyColumns() {
  return {
    subject: new Growable(Int32Array),
    start: new Growable(Float64Array),
    end: new Growable(Float64Array),
    eventStart: new Growable(Int32Array),
    eventEnd: new Growable(Int32Array),
    noteStart: new Growable(Int32Array),
    noteEnd: new Growable(Int32Array),
  };
}

/**
 * Appends subject s's windows, each with the events and notes of its time range, and returns where
 * the subject's static events end: timed events at or before the grid's start join the null-time ones.
 */
function appendSubjectWindows(columns: ReturnType<typeof emptyColumns>, cohort: Cohort, s: number, rows: SubjectRows, grid: SubjectGrid): number {
  const { events, notes } = cohort;
  const { anchor, widthUs } = grid;
  const gridStart = anchor + (grid.first - 1) * widthUs;
  let event = rows.firstTimedEvent;
  while (event < rows.eventEnd && events.time[event] <= gridStart) event++;
  const staticEventEnd = event;
  let note = rows.firstTimedNote;
  while (note < rows.noteEnd && notes.time[note] <= gridStart) note++;
  for (let j = grid.first; j <= grid.last; j++) {
    const windowEnd = anchor + j * widthUs;
    columns.subject.push(s);
    // The same expression as the previous window's end, so that the two are equal to the bit.
    columns.start.push(anchor + (j - 1) * widthUs);
    columns.end.push(windowEnd);
    columns.eventStart.push(event);
    while (event < rows.eventEnd && events.time[event] <= windowEnd) event++;
    columns.eventEnd.push(event);
    columns.noteStart.push(note);
    while (note < rows.noteEnd && notes.time[note] <= windowEnd) note++;
    columns.noteEnd.push(note);
  }
  return staticEventEnd;
}

/** The grid index j of time t: the window `(anchor + (j-1) * widthUs, anchor + j * widthUs]` that holds it. */
function windowOf(t: number, anchor: number, widthUs: number): number {
  let j = Math.ceil((t - anchor) / widthUs);
  // Guard the division's rounding at exact boundaries.
  while (anchor + (j - 1) * widthUs >= t) j--;
  while (anchor + j * widthUs < t) j++;
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
