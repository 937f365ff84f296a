import type { NoteTable } from './cohort.ts';
import { listTableFiles } from './dataset-files.ts';
import { Growable } from './growable.ts';
import { NOTE_COLUMNS } from './meds-schema.ts';
import { numbers, strings } from './table-batch.ts';
import { readTable } from './table-reader.ts';

/**
 * Clinical notes come from two places: MEDS rows with a `text_value` (read with the events), and
 * note tables under `notes/` (`*.jsonl`, `*.csv` or `*.parquet`, columns subject_id, time, text;
 * time is ISO 8601 text in JSONL and CSV). Note files need not be sorted or sharded like the data.
 */
export const NOTE_EXTENSIONS = ['.jsonl', '.csv', '.parquet'] as const;

export interface NoteRow {
  readonly subjectId: number;
  /** Microseconds, NaN when the note has no time. */
  readonly time: number;
  readonly text: string;
}

/** The note files of a dataset, in path order (none when there is no `notes/` folder). */
export function listNoteFiles(notesDir: string): Promise<string[]> {
  return listTableFiles(notesDir, NOTE_EXTENSIONS);
}

/** Reads note files row by row. */
export async function* readNoteFiles(files: readonly string[]): AsyncGenerator<NoteRow> {
  for (const file of files) {
    for await (const batch of readTable(file, NOTE_COLUMNS)) {
      const ids = numbers(batch, 'subject_id');
      const times = numbers(batch, 'time');
      const texts = strings(batch, 'text');
      for (let i = 0; i < batch.length; i++) yield { subjectId: ids[i], time: times[i], text: texts[i]! };
    }
  }
}

/** Gathers notes in any order and lays them out by subject, each subject's sorted by time. */
export class NoteCollector {
  private readonly subject = new Growable(Int32Array);
  private readonly time = new Growable(Float64Array);
  private readonly text: string[] = [];

  add(subjectIndex: number, time: number, text: string): void {
    this.subject.push(subjectIndex);
    this.time.push(time);
    this.text.push(text);
  }

  get count(): number {
    return this.text.length;
  }

  /** The notes grouped by subject (0..subjectCount-1), null times first, then by time, then by arrival. */
  finish(subjectCount: number): { notes: NoteTable; noteOffset: Int32Array } {
    const n = this.text.length;
    const subject = this.subject.view();
    const time = this.time.view();
    const noteOffset = new Int32Array(subjectCount + 1);
    for (let i = 0; i < n; i++) noteOffset[subject[i] + 1]++;
    for (let s = 0; s < subjectCount; s++) noteOffset[s + 1] += noteOffset[s];
    const order = new Int32Array(n);
    const fill = noteOffset.slice(0, subjectCount);
    for (let i = 0; i < n; i++) order[fill[subject[i]]++] = i;
    const key = (i: number): number => (Number.isNaN(time[i]) ? -Infinity : time[i]);
    for (let s = 0; s < subjectCount; s++) {
      const a = noteOffset[s];
      const b = noteOffset[s + 1];
      if (b - a > 1) order.subarray(a, b).sort((x, y) => key(x) - key(y) || x - y);
    }
    const outTime = new Float64Array(n);
    const outText = new Array<string>(n);
    for (let k = 0; k < n; k++) {
      outTime[k] = time[order[k]];
      outText[k] = this.text[order[k]];
    }
    return { notes: { count: n, time: outTime, text: outText }, noteOffset };
  }
}
