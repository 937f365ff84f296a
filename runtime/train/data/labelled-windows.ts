import { join } from 'node:path';
import type { Cohort } from '../../data/cohort.ts';
import { readLabels, type LabelTask } from '../../data/labels-reader.ts';
import type { Windows } from '../../data/windows.ts';
import { uniqueTimePoints, windowsEndingAt } from '../../embed/windows-ending-at.ts';
import { RunError } from '../run-error.ts';

/**
 * The training examples of a run with label streams (`--label Y=mortality_1y`): one per label row
 * of a train subject with a known value, the window ending at its prediction time (the run's
 * width; every event at or before that time, none after it), with the row's 0/1 label for each
 * label input. With several label inputs, an example is a (subject, prediction time) that every
 * bound task labels. Examples are ordered by subject, then time.
 */
export interface LabelledWindows {
  readonly windows: Windows;
  /** Label input -> one 0/1 value per window. */
  readonly values: ReadonlyMap<string, Float32Array>;
}

/** The tasks `labels` names, read from `dataPath`/labels/; an unknown task is a RunError listing the dataset's tasks. */
export async function readBoundTasks(dataPath: string, labels: Readonly<Record<string, string>>): Promise<Map<string, LabelTask>> {
  const wanted = Object.entries(labels);
  if (wanted.length === 0) return new Map();
  const tasks = await readLabels(join(dataPath, 'labels'));
  const byName = new Map(tasks.map((task) => [task.name, task]));
  const bound = new Map<string, LabelTask>();
  for (const [input, name] of wanted) {
    const task = byName.get(name);
    if (task === undefined) {
      const have = tasks.length === 0 ? `${dataPath} has no labels (no task under labels/)` : `the tasks of ${dataPath} are ${tasks.map((t) => t.name).join(', ')}`;
      throw new RunError(`--label ${input}=${name}: no task '${name}'; ${have}`);
    }
    bound.set(input, task);
  }
  return bound;
}

export function labelledWindows(cohort: Cohort, grid: Windows, train: Uint8Array, tasks: ReadonlyMap<string, LabelTask>): LabelledWindows {
  const [first, ...others] = [...tasks];
  const key = (s: number, t: number) => `${s}:${t}`;
  const known = (task: LabelTask) => {
    const out = new Map<string, number>();
    for (let i = 0; i < task.count; i++) {
      const s = cohort.subjects.indexOf.get(task.subjectId[i]);
      if (s !== undefined && train[s] === 1 && task.value[i] >= 0) out.set(key(s, task.predictionTime[i]), task.value[i]);
    }
    return out;
  };
  const otherValues = others.map(([input, task]) => [input, known(task)] as const);
  const subject: number[] = [];
  const time: number[] = [];
  for (let i = 0; i < first[1].count; i++) {
    const s = cohort.subjects.indexOf.get(first[1].subjectId[i]);
    if (s === undefined || train[s] !== 1 || first[1].value[i] < 0) continue;
    const t = first[1].predictionTime[i];
    if (otherValues.every(([, values]) => values.has(key(s, t)))) {
      subject.push(s);
      time.push(t);
    }
  }
  const points = uniqueTimePoints(subject, time);
  const firstValues = known(first[1]);
  const values = new Map<string, Float32Array>();
  for (const [input, table] of [[first[0], firstValues] as const, ...otherValues]) {
    values.set(input, Float32Array.from(points.subject, (s, r) => table.get(key(s, points.time[r]))!));
  }
  return { windows: windowsEndingAt(cohort, grid, points), values };
}
