import { join } from 'node:path';
import type { Cohort } from './cohort.ts';
import { readCodeMetadata } from './codes-reader.ts';
import { VocabularyBuilder } from './code-vocabulary.ts';
import { DataError } from './data-error.ts';
import { findTableFile, isDirectory, listTableFiles } from './dataset-files.ts';
import { readDatasetJson } from './dataset-json.ts';
import { Growable } from './growable.ts';
import { NO_SPLIT } from './meds-schema.ts';
import { readMedsShard, type MedsShard, type ShardReadOptions } from './meds-shard-reader.ts';
import { listNoteFiles, NoteCollector, readNoteFiles } from './notes-reader.ts';
import { parquetRowCount } from './parquet-table.ts';
import { readSubjectSplits } from './splits-reader.ts';

/**
 * Reads a MEDS dataset folder:
 * ```
 * DIR/data/**\/*.parquet      (or .csv) subject_id, time, code, numeric_value[, text_value]
 * DIR/metadata/codes.parquet        code, description, parent_codes      (optional)
 * DIR/metadata/subject_splits.parquet  subject_id, split                  (optional)
 * DIR/metadata/dataset.json                                               (optional)
 * DIR/notes/*.jsonl                 subject_id, time, text                (optional)
 * DIR/labels/<task>.parquet         read separately, with readLabels
 * ```
 * Data files are read one at a time and one row group at a time, so memory holds the compact
 * result plus one row group. Every problem in the data is a DataError naming file, column and row.
 */
export interface ReadOptions extends ShardReadOptions {
  /** Read notes (text_value rows and `notes/`). Default true. */
  readonly notes?: boolean;
  /** Called after each data file is read. */
  readonly onProgress?: (filesDone: number, filesTotal: number, file: string) => void;
}

export const DATA_EXTENSIONS = ['.parquet', '.csv'] as const;

/** The data files of a dataset folder, in path order. */
export async function listDataFiles(root: string): Promise<string[]> {
  const dataDir = join(root, 'data');
  const files = await listTableFiles(dataDir, DATA_EXTENSIONS);
  if (files.length === 0) {
    throw new DataError(dataDir, `no data files (a MEDS dataset has data/**/*.parquet, or .csv, files)`);
  }
  return files;
}

/**
 * Reads the data shards one by one, for consumers that stream a dataset too large to hold: each
 * shard's codes index `vocabulary`, which grows as shards are read (codes of metadata/codes first).
 */
export async function* readMedsShards(
  root: string,
  options: ShardReadOptions = {},
): AsyncGenerator<MedsShard & { readonly vocabulary: VocabularyBuilder }> {
  await checkRoot(root);
  const vocabulary = new VocabularyBuilder();
  const codesFile = await findTableFile(join(root, 'metadata'), 'codes', DATA_EXTENSIONS);
  if (codesFile !== undefined) vocabulary.addMetadata(await readCodeMetadata(codesFile));
  const seen = new Map<number, string>();
  for (const file of await listDataFiles(root)) {
    yield { ...(await readMedsShard(file, vocabulary, seen, options)), vocabulary };
  }
}

/** Reads a whole MEDS dataset folder into memory (see cohort.ts for the layout). */
export async function readCohort(root: string, options: ReadOptions = {}): Promise<Cohort> {
  await checkRoot(root);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const metadataDir = join(root, 'metadata');
  const dataset = await readDatasetJson(join(metadataDir, 'dataset.json'));
  const vocabulary = new VocabularyBuilder();
  const codesFile = await findTableFile(metadataDir, 'codes', DATA_EXTENSIONS);
  if (codesFile !== undefined) vocabulary.addMetadata(await readCodeMetadata(codesFile));
  const splitsFile = await findTableFile(metadataDir, 'subject_splits', DATA_EXTENSIONS);
  const splits = splitsFile === undefined ? new Map<number, number>() : await readSubjectSplits(splitsFile);

  const files = await listDataFiles(root);
  // Parquet footers give the row counts: sized exactly, the event arrays are never copied.
  let expected = 0;
  for (const file of files) expected += (await parquetRowCount(file)) ?? 1 << 16;
  const ids = new Growable(Float64Array, 1024);
  const eventOffset = new Growable(Int32Array, 1024);
  const time = new Growable(Float64Array, expected);
  const code = new Growable(Int32Array, expected);
  const value = new Growable(Float32Array, expected);
  const notes = new NoteCollector();
  const wantNotes = options.notes !== false;
  const seen = new Map<number, string>();
  let nanAsMissing = 0;
  for (let f = 0; f < files.length; f++) {
    const shard = await readMedsShard(files[f], vocabulary, seen, { ...options, onWarning: warn });
    nanAsMissing += shard.nanAsMissing;
    const base = time.length;
    const firstSubject = ids.length;
    ids.append(shard.subjectIds);
    for (let k = 0; k < shard.subjectIds.length; k++) eventOffset.push(base + shard.eventOffset[k]);
    time.append(shard.time);
    code.append(shard.code);
    value.append(shard.value);
    if (wantNotes && shard.text !== undefined) {
      for (let k = 0; k < shard.subjectIds.length; k++) {
        for (let e = shard.eventOffset[k]; e < shard.eventOffset[k + 1]; e++) {
          const text = shard.text[e];
          if (text !== null) notes.add(firstSubject + k, shard.time[e], text);
        }
      }
    }
    options.onProgress?.(f + 1, files.length, files[f]);
  }

  const indexOf = new Map<number, number>();
  for (let s = 0; s < ids.length; s++) indexOf.set(ids.get(s), s);
  if (wantNotes) {
    let unknown = 0;
    for await (const note of readNoteFiles(await listNoteFiles(join(root, 'notes')))) {
      let s = indexOf.get(note.subjectId);
      if (s === undefined) {
        // A subject with notes but no events (a text-only dataset) is still a subject.
        s = ids.length;
        ids.push(note.subjectId);
        eventOffset.push(time.length);
        indexOf.set(note.subjectId, s);
        unknown++;
      }
      notes.add(s, note.time, note.text);
    }
    if (unknown > 0) warn(`${join(root, 'notes')}: ${unknown} subject(s) have notes but no events in data/`);
  }
  eventOffset.push(time.length);

  const count = ids.length;
  const id = ids.finish();
  const split = new Uint8Array(count).fill(NO_SPLIT);
  let withoutSplit = 0;
  for (let s = 0; s < count; s++) {
    const index = splits.get(id[s]);
    if (index === undefined) withoutSplit++;
    else split[s] = index;
  }
  if (splitsFile !== undefined && withoutSplit > 0) warn(`${splitsFile}: ${withoutSplit} subject(s) of the data have no split`);
  const { notes: noteTable, noteOffset } = notes.finish(count);
  const events = { count: time.length, time: time.finish(), code: code.finish(), value: value.finish() };
  return {
    root,
    dataset,
    vocabulary: vocabulary.finish(),
    subjects: { count, id, split, eventOffset: eventOffset.finish(), noteOffset, indexOf },
    events,
    notes: noteTable,
    warnings,
    nanAsMissing,
  };
}

async function checkRoot(root: string): Promise<void> {
  if (!(await isDirectory(root))) {
    throw new DataError(root, 'dataset folder not found (expected a MEDS folder with data/ and metadata/)');
  }
}
