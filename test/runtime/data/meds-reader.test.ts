import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitName, subjectEventRange } from '../../../runtime/data/cohort.ts';
import { readCohort, readMedsShards } from '../../../runtime/data/meds-reader.ts';
import { NO_SPLIT } from '../../../runtime/data/meds-schema.ts';
import { writeSyntheticCohort } from '../../../runtime/data/synth/write-cohort.ts';
import { eventsFile, writeFiles, type EventRow } from './dataset-builder.ts';
import { FIXTURE_DIR, FIXTURE_PATIENTS, withTempDir } from './helpers.ts';

describe('readCohort', () => {
  it('reads the fixture cohort: subjects, sorted events, splits, vocabulary, notes, metadata', async () => {
    const cohort = await readCohort(FIXTURE_DIR);
    expect(cohort.warnings).toEqual([]);
    expect(cohort.subjects.count).toBe(FIXTURE_PATIENTS);
    expect(cohort.dataset.etl_name).toBe('dflc synth');
    expect(cohort.subjects.eventOffset[cohort.subjects.count]).toBe(cohort.events.count);
    expect(cohort.subjects.noteOffset[cohort.subjects.count]).toBe(cohort.notes.count);
    for (let s = 0; s < cohort.subjects.count; s++) {
      expect(cohort.subjects.split[s]).not.toBe(NO_SPLIT);
      expect(cohort.subjects.indexOf.get(cohort.subjects.id[s])).toBe(s);
      const [a, b] = subjectEventRange(cohort, s);
      expect(b).toBeGreaterThan(a);
      let last = -Infinity;
      let timed = false;
      for (let i = a; i < b; i++) {
        const t = cohort.events.time[i];
        if (Number.isNaN(t)) expect(timed).toBe(false);
        else {
          expect(t).toBeGreaterThanOrEqual(last);
          last = t;
          timed = true;
        }
      }
    }
    // Codes of metadata/codes come first, with descriptions and parents.
    const e119 = cohort.vocabulary.indexOf.get('ICD10CM//E11.9')!;
    expect(cohort.vocabulary.descriptions[e119]).toBe('Type 2 diabetes mellitus without complications');
    expect(cohort.vocabulary.parents[e119]).toEqual(['ICD10CM//E11']);
    expect(cohort.vocabulary.counts.reduce((a, b) => a + b, 0)).toBe(cohort.events.count);
    expect(new Set(Array.from(cohort.subjects.split, (s) => splitName(s)))).toEqual(new Set(['train', 'tuning', 'held_out']));
    expect(cohort.notes.text.every((t) => t.length > 20)).toBe(true);
  });

  it('reads the same cohort from parquet and from CSV', async () => {
    await withTempDir(async (dir) => {
      await writeSyntheticCohort({ out: join(dir, 'p'), patients: 30, seed: 5, subjectsPerShard: 8 });
      await writeSyntheticCohort({ out: join(dir, 'c'), patients: 30, seed: 5, subjectsPerShard: 8, format: 'csv' });
      const [p, c] = await Promise.all([readCohort(join(dir, 'p')), readCohort(join(dir, 'c'))]);
      expect(c.vocabulary.codes).toEqual(p.vocabulary.codes);
      expect(c.subjects.id).toEqual(p.subjects.id);
      expect(c.subjects.split).toEqual(p.subjects.split);
      expect(c.subjects.eventOffset).toEqual(p.subjects.eventOffset);
      expect(c.events.time).toEqual(p.events.time);
      expect(c.events.code).toEqual(p.events.code);
      expect(c.events.value).toEqual(p.events.value);
      expect(c.notes.text).toEqual(p.notes.text);
    });
  });

  it('takes notes from text_value rows and from notes/ files, sorted per subject; subjects with notes only are added', async () => {
    await withTempDir(async (dir) => {
      const rows: EventRow[] = [
        { subject: 7, time: '2020-01-01T10:00:00', code: 'VISIT' },
        { subject: 7, time: '2020-01-03T10:00:00', code: 'NOTE//DISCHARGE', text: 'discharged home' },
      ];
      await writeFiles(dir, {
        'data/0.parquet': eventsFile('parquet', rows, true),
        'notes/b.csv': 'subject_id,time,text\n7,2020-01-02T09:00:00,"progress, stable"\n',
        'notes/a.jsonl': '{"subject_id": 9, "time": "2021-05-05T00:00:00", "text": "only a note"}\n{"subject_id": 7, "time": null, "text": "undated"}\n',
      });
      const cohort = await readCohort(dir);
      expect(Array.from(cohort.subjects.id)).toEqual([7, 9]);
      expect(cohort.subjects.eventOffset).toEqual(Int32Array.from([0, 2, 2]));
      expect(cohort.notes.text).toEqual(['undated', 'progress, stable', 'discharged home', 'only a note']);
      expect(cohort.subjects.noteOffset).toEqual(Int32Array.from([0, 3, 4]));
      expect(cohort.warnings).toEqual([`${join(dir, 'notes')}: 1 subject(s) have notes but no events in data/`]);
      const noNotes = await readCohort(dir, { notes: false });
      expect(noNotes.notes.count).toBe(0);
      expect(noNotes.subjects.count).toBe(1);
    });
  });

  it('warns about subjects without a split, and keeps microsecond times', async () => {
    await withTempDir(async (dir) => {
      await writeFiles(dir, {
        'data/0.csv': 'subject_id,time,code,numeric_value\n1,2020-01-01T00:00:00.000001,A,0.1\n2,2020-01-01,B,\n',
        'metadata/subject_splits.csv': 'subject_id,split\n1,tuning\n',
      });
      const cohort = await readCohort(dir);
      expect(cohort.events.time[0]).toBe(Date.UTC(2020, 0, 1) * 1000 + 1);
      expect(cohort.events.value[0]).toBe(Math.fround(0.1));
      expect(Array.from(cohort.subjects.split)).toEqual([1, NO_SPLIT]);
      expect(cohort.warnings).toEqual([`${join(dir, 'metadata/subject_splits.csv')}: 1 subject(s) of the data have no split`]);
    });
  });

  it('streams shards one at a time with a shared vocabulary', async () => {
    await withTempDir(async (dir) => {
      await cp(FIXTURE_DIR, join(dir, 'cohort'), { recursive: true });
      await rm(join(dir, 'cohort', 'notes'), { recursive: true });
      const shards = [];
      for await (const shard of readMedsShards(join(dir, 'cohort'))) shards.push(shard);
      expect(shards.map((s) => s.file.slice(join(dir, 'cohort', 'data').length + 1))).toEqual(['held_out/0.parquet', 'train/0.parquet', 'tuning/0.parquet']);
      expect(shards.reduce((n, s) => n + s.subjectIds.length, 0)).toBe(FIXTURE_PATIENTS);
      const cohort = await readCohort(join(dir, 'cohort'));
      expect(shards[0].vocabulary.codes).toEqual(cohort.vocabulary.codes);
    });
  });
});
