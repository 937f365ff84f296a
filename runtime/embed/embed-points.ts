import type { Cohort } from '../data/cohort.ts';
import { Growable } from '../data/growable.ts';
import type { LabelTask } from '../data/labels-reader.ts';
import type { Windows } from '../data/windows.ts';
import type { EmbedAt } from '../eval/eval-result.ts';
import { uniqueTimePoints, windowsEndingAt, type TimePoints } from './windows-ending-at.ts';

/**
 * The rows `dflc embed --at` embeds, as windows of a Windows table:
 * - `prediction-times`: one row per distinct (subject, prediction time) of the tasks in labels/,
 *   the window ending at that time (windows-ending-at.ts); label rows of subjects the data lacks
 *   are counted in `missingSubjects`;
 * - `last`: each subject's last grid window with data;
 * - `all-windows`: every grid window with data, with its index t from the subject's first window.
 * "With data" is the modality's: events (ehr), notes (text), either (multimodal).
 */
export interface EmbedPoints {
  readonly windows: Windows;
  /** Per row: its window in `windows`. */
  readonly window: Int32Array;
  readonly subject: Int32Array;
  /** The window's end (µs): the prediction time for `prediction-times`. */
  readonly time: Float64Array;
  /** For `all-windows`: the window's index t within its subject's grid; otherwise null. */
  readonly windowIndex: Int32Array | null;
  readonly missingSubjects: number;
}

/** Rows for given time points (sorted by subject, then time): the windows ending at them. */
export function pointsEndingAt(cohort: Cohort, grid: Windows, points: TimePoints): EmbedPoints {
  const windows = windowsEndingAt(cohort, grid, points);
  return { windows, window: Int32Array.from({ length: windows.count }, (_, i) => i), subject: points.subject, time: points.time, windowIndex: null, missingSubjects: 0 };
}

export function embedPoints(cohort: Cohort, grid: Windows, labels: readonly LabelTask[], at: EmbedAt, hasData: (w: number) => boolean): EmbedPoints {
  if (at === 'prediction-times') {
    const subject: number[] = [];
    const time: number[] = [];
    let missingSubjects = 0;
    for (const task of labels)
      for (let i = 0; i < task.count; i++) {
        const s = cohort.subjects.indexOf.get(task.subjectId[i]);
        if (s === undefined) missingSubjects++;
        else {
          subject.push(s);
          time.push(task.predictionTime[i]);
        }
      }
    return { ...pointsEndingAt(cohort, grid, uniqueTimePoints(subject, time)), missingSubjects };
  }
  const window = new Growable(Int32Array);
  const index = new Growable(Int32Array);
  for (let s = 0; s < cohort.subjects.count; s++) {
    const from = grid.subjectOffset[s];
    const to = grid.subjectOffset[s + 1];
    if (at === 'last') {
      for (let w = to - 1; w >= from; w--)
        if (hasData(w)) {
          window.push(w);
          break;
        }
    } else {
      for (let w = from; w < to; w++)
        if (hasData(w)) {
          window.push(w);
          index.push(w - from);
        }
    }
  }
  const rows = window.finish();
  return {
    windows: grid,
    window: rows,
    subject: rows.map((w) => grid.subject[w]),
    time: Float64Array.from(rows, (w) => grid.end[w]),
    windowIndex: at === 'all-windows' ? index.finish() : null,
    missingSubjects: 0,
  };
}

/** The rows of `points` whose subject `keep` marks (a mask over subjects), in the same order. */
export function restrictPoints(points: EmbedPoints, keep: Uint8Array): EmbedPoints {
  const rows = [...points.subject.keys()].filter((r) => keep[points.subject[r]] === 1);
  return {
    ...points,
    window: Int32Array.from(rows, (r) => points.window[r]),
    subject: Int32Array.from(rows, (r) => points.subject[r]),
    time: Float64Array.from(rows, (r) => points.time[r]),
    windowIndex: points.windowIndex === null ? null : Int32Array.from(rows, (r) => points.windowIndex![r]),
  };
}
