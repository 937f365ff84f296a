import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cohort } from '../../../runtime/data/cohort.ts';
import { readCohort } from '../../../runtime/data/meds-reader.ts';
import { MEDS_SPLITS_COLUMNS, NOTE_COLUMNS } from '../../../runtime/data/meds-schema.ts';
import { encodeTable } from '../../../runtime/data/table-writer.ts';
import { eventsFile, writeFiles, type EventRow } from '../data/dataset-builder.ts';

export { FIXTURE_DIR } from '../data/helpers.ts';

/** A fresh temporary folder, removed after `body` (also when it throws). */
export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dflc-train-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const us = (iso: string): number => Date.parse(`${iso}Z`) * 1000;

export interface SmallDataset {
  readonly events: readonly EventRow[];
  readonly notes?: readonly { subject: number; time: string; text: string }[];
  /** subject id -> split; omitted: no split file. */
  readonly splits?: Readonly<Record<number, 'train' | 'tuning' | 'held_out'>>;
}

/** Writes a small MEDS dataset under `dir` and reads it back with the real reader. */
export async function smallCohort(dir: string, dataset: SmallDataset): Promise<Cohort> {
  // MEDS wants a subject's rows together and in time order (static rows first).
  const key = (t: string | null): number => (t === null ? -Infinity : us(t));
  const events = [...dataset.events].sort((a, b) => a.subject - b.subject || key(a.time) - key(b.time));
  const files: Record<string, string | Uint8Array> = { 'data/0.parquet': eventsFile('parquet', events) };
  if (dataset.splits !== undefined) {
    const ids = Object.keys(dataset.splits).map(Number);
    files['metadata/subject_splits.parquet'] = encodeTable(
      'parquet',
      MEDS_SPLITS_COLUMNS,
      new Map<string, Float64Array | string[]>([
        ['subject_id', Float64Array.from(ids)],
        ['split', ids.map((id) => dataset.splits![id])],
      ]),
    );
  }
  if (dataset.notes !== undefined) {
    files['notes/0.jsonl'] = encodeTable(
      'jsonl',
      NOTE_COLUMNS,
      new Map<string, Float64Array | string[]>([
        ['subject_id', Float64Array.from(dataset.notes, (n) => n.subject)],
        ['time', Float64Array.from(dataset.notes, (n) => us(n.time))],
        ['text', dataset.notes.map((n) => n.text)],
      ]),
    );
  }
  await writeFiles(dir, files);
  return readCohort(dir);
}
