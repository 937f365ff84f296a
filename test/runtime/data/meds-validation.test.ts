import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../runtime/data/data-error.ts';
import { readCohort } from '../../../runtime/data/meds-reader.ts';
import { readLabels } from '../../../runtime/data/labels-reader.ts';
import { eventsFile, rawParquet, TIMESTAMP_US, writeFiles, type EventRow } from './dataset-builder.ts';
import { withTempDir } from './helpers.ts';

/**
 * Every way a dataset can be wrong gives a DataError whose message names the file, the column and
 * the row; these tests pin the messages.
 */
async function readError(files: Record<string, string | Uint8Array>, options = {}): Promise<DataError> {
  return withTempDir(async (dir) => {
    const root = join(dir, 'cohort');
    await writeFiles(root, files);
    try {
      await readCohort(root, options);
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      return error as DataError;
    }
    throw new Error('expected a DataError');
  });
}

const good: EventRow[] = [
  { subject: 1, time: null, code: 'GENDER//F' },
  { subject: 1, time: '2020-01-01T00:00:00', code: 'A' },
  { subject: 1, time: '2020-01-02T00:00:00', code: 'LAB', value: 1.5 },
  { subject: 2, time: '2020-01-01T00:00:00', code: 'A' },
];

const I64 = { type: 'INT64', repetition_type: 'REQUIRED' } as const;
const STR = { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' } as const;

/** Subject 1's LAB events with these numeric values (null: missing); by hand, since eventsFile writes NaN as null. */
function labValuesParquet(values: (number | null)[], type: 'FLOAT' | 'DOUBLE' = 'FLOAT', subject = 1n): Uint8Array {
  return rawParquet(
    [
      { name: 'subject_id', ...I64 },
      { name: 'time', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: TIMESTAMP_US },
      { name: 'code', ...STR },
      { name: 'numeric_value', type, repetition_type: 'OPTIONAL' },
    ],
    [
      { name: 'subject_id', data: new BigInt64Array(values.length).fill(subject) },
      { name: 'time', data: values.map((_, i) => BigInt(i)) },
      { name: 'code', data: values.map(() => 'LAB') },
      { name: 'numeric_value', data: values },
    ],
  );
}

describe('invalid MEDS datasets', () => {
  it('a missing column names the file, the column and the columns present', async () => {
    const bytes = rawParquet(
      [{ name: 'subject_id', ...I64 }, { name: 'time', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: TIMESTAMP_US }, { name: 'code', ...STR }],
      [
        { name: 'subject_id', data: new BigInt64Array([1n]) },
        { name: 'time', data: [1n] },
        { name: 'code', data: ['A'] },
      ],
    );
    const error = await readError({ 'data/train/0.parquet': bytes });
    expect(error.message).toMatch(/cohort\/data\/train\/0\.parquet: column 'numeric_value': required column is missing \(the file has: subject_id, time, code\)$/);
    expect(error.column).toBe('numeric_value');
  });

  it('a missing column in CSV', async () => {
    const error = await readError({ 'data/0.csv': 'subject_id,time,numeric_value\n1,2020-01-01,\n' });
    expect(error.message).toMatch(/data\/0\.csv: column 'code': required column is missing \(the header has: subject_id, time, numeric_value\)$/);
  });

  it('a wrong parquet type names the type found and the type expected', async () => {
    const bytes = rawParquet(
      [
        { name: 'subject_id', ...I64 },
        { name: 'time', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: TIMESTAMP_US },
        { name: 'code', ...STR },
        { name: 'numeric_value', ...STR },
      ],
      [
        { name: 'subject_id', data: new BigInt64Array([1n]) },
        { name: 'time', data: [1n] },
        { name: 'code', data: ['A'] },
        { name: 'numeric_value', data: ['1.5'] },
      ],
    );
    const error = await readError({ 'data/0.parquet': bytes });
    expect(error.message).toMatch(/data\/0\.parquet: column 'numeric_value': has type string; expected float32 \(float64 is accepted too\)$/);
  });

  it('a time column of plain integers is the wrong type', async () => {
    const bytes = rawParquet(
      [{ name: 'subject_id', ...I64 }, { name: 'time', ...I64 }, { name: 'code', ...STR }, { name: 'numeric_value', type: 'FLOAT', repetition_type: 'OPTIONAL' }],
      [
        { name: 'subject_id', data: new BigInt64Array([1n]) },
        { name: 'time', data: new BigInt64Array([1n]) },
        { name: 'code', data: ['A'] },
        { name: 'numeric_value', data: [null] },
      ],
    );
    expect((await readError({ 'data/0.parquet': bytes })).message).toMatch(
      /column 'time': has type int64; expected timestamp \(MEDS uses timestamp\[us\]\)$/,
    );
  });

  it('a value of the wrong type in CSV names row and line', async () => {
    const error = await readError({ 'data/0.csv': 'subject_id,time,code,numeric_value\n1,2020-01-01,A,\n1,2020-01-02,B,high\n' });
    expect(error.message).toMatch(/data\/0\.csv: column 'numeric_value', row 1 \(line 3\): 'high' is not a number$/);
    expect([error.row, error.line]).toEqual([1, 3]);
  });

  it('an unparseable time in CSV', async () => {
    const error = await readError({ 'data/0.csv': 'subject_id,time,code,numeric_value\n1,01/02/2020,A,\n' });
    expect(error.message).toMatch(/column 'time', row 0 \(line 2\): '01\/02\/2020' is not an ISO 8601 time/);
  });

  it('an unknown split name', async () => {
    const splits = 'subject_id,split\n1,train\n2,test\n';
    const error = await readError({ 'data/0.parquet': eventsFile('parquet', good), 'metadata/subject_splits.csv': splits });
    expect(error.message).toMatch(
      /metadata\/subject_splits\.csv: column 'split', row 1 \(line 3\): unknown split 'test' \(MEDS splits are train, tuning, held_out\)$/,
    );
  });

  it('an empty file, parquet or CSV', async () => {
    expect((await readError({ 'data/0.parquet': '' })).message).toMatch(/data\/0\.parquet: file is empty \(0 bytes\)$/);
    expect((await readError({ 'data/0.csv': '' })).message).toMatch(/data\/0\.csv: file is empty \(0 bytes\)$/);
    expect((await readError({ 'data/0.csv': '\n\n' })).message).toMatch(/data\/0\.csv: file is empty \(no header row\)$/);
  });

  it('a header-only file is read as no rows, with a warning', async () => {
    await withTempDir(async (dir) => {
      await writeFiles(dir, { 'data/0.csv': 'subject_id,time,code,numeric_value\n', 'data/1.parquet': eventsFile('parquet', good) });
      const cohort = await readCohort(dir);
      expect(cohort.subjects.count).toBe(2);
      expect(cohort.warnings).toEqual([`${join(dir, 'data/0.csv')}: has no rows; skipped`]);
    });
  });

  it('NaN and infinite numeric values', async () => {
    expect((await readError({ 'data/train/0.parquet': labValuesParquet([1, 2, NaN]) })).message).toMatch(
      /cohort\/data\/train\/0\.parquet: column 'numeric_value', row 2: NaN is not a valid numeric value \(write null, an empty field in CSV, for a missing value; or pass --nan-as-missing, "nan-as-missing": true in dflc.json, to read NaN as missing\)$/,
    );
    expect((await readError({ 'data/0.parquet': labValuesParquet([Infinity]) })).message).toMatch(
      /column 'numeric_value', row 0: Infinity is not a valid numeric value \(values must be finite\)$/,
    );
    expect((await readError({ 'data/0.csv': 'subject_id,time,code,numeric_value\n1,2020-01-01,A,nan\n' })).message).toMatch(
      /column 'numeric_value', row 0 \(line 2\): NaN is not a valid numeric value/,
    );
    expect((await readError({ 'data/0.csv': 'subject_id,time,code,numeric_value\n1,2020-01-01,A,-inf\n' })).message).toMatch(
      /column 'numeric_value', row 0 \(line 2\): -Infinity is not a valid numeric value/,
    );
  });

  it('NaN numeric values are read as missing, and counted, with nanAsMissing', async () => {
    await withTempDir(async (dir) => {
      await writeFiles(dir, {
        'data/0.parquet': labValuesParquet([1, NaN, null, 2.5]),
        'data/1.parquet': labValuesParquet([NaN, 3], 'DOUBLE', 2n),
        'data/2.csv': 'subject_id,time,code,numeric_value\n3,2020-01-01,LAB,NaN\n3,2020-01-02,LAB,\n3,2020-01-03,LAB,nan\n3,2020-01-04,LAB,4\n',
      });
      const cohort = await readCohort(dir, { nanAsMissing: true });
      expect(Array.from(cohort.events.value)).toEqual([1, NaN, NaN, 2.5, NaN, 3, NaN, NaN, NaN, 4]);
      expect(cohort.nanAsMissing).toBe(4); // the nulls and empty fields are missing values, not NaNs
      expect(cohort.warnings).toEqual([]);
    });
  });

  it('nanAsMissing still rejects infinities, and counts nothing in clean data', async () => {
    expect((await readError({ 'data/0.parquet': labValuesParquet([NaN, Infinity]) }, { nanAsMissing: true })).message).toMatch(
      /column 'numeric_value', row 1: Infinity is not a valid numeric value/,
    );
    expect((await readError({ 'data/0.csv': 'subject_id,time,code,numeric_value\n1,2020-01-01,A,inf\n' }, { nanAsMissing: true })).message).toMatch(
      /column 'numeric_value', row 0 \(line 2\): Infinity is not a valid numeric value/,
    );
    await withTempDir(async (dir) => {
      await writeFiles(dir, { 'data/0.parquet': eventsFile('parquet', good) });
      expect((await readCohort(dir, { nanAsMissing: true })).nanAsMissing).toBe(0);
      expect((await readCohort(dir)).nanAsMissing).toBe(0);
    });
  });

  it('unsorted times within a subject', async () => {
    const rows: EventRow[] = [
      { subject: 1, time: '2020-01-05T00:00:00', code: 'A' },
      { subject: 1, time: '2020-01-02T00:00:00', code: 'B' },
    ];
    expect((await readError({ 'data/0.parquet': eventsFile('parquet', rows) })).message).toMatch(
      /data\/0\.parquet: column 'time', row 1: time 2020-01-02T00:00:00\.000000 is before the previous event's 2020-01-05T00:00:00\.000000 for subject 1 \(MEDS sorts each subject's events by time\); pass sortUnsortedTimes to sort them on reading$/,
    );
  });

  it('a null time after timed events', async () => {
    const rows: EventRow[] = [
      { subject: 1, time: '2020-01-05T00:00:00', code: 'A' },
      { subject: 1, time: null, code: 'GENDER//F' },
    ];
    expect((await readError({ 'data/0.csv': eventsFile('csv', rows) })).message).toMatch(
      /data\/0\.csv: column 'time', row 1 \(line 3\): a null time \(a static fact\) after timed events of subject 1/,
    );
  });

  it('unsorted times are sorted, with a warning, when asked', async () => {
    await withTempDir(async (dir) => {
      const rows: EventRow[] = [
        { subject: 1, time: '2020-01-05T00:00:00', code: 'A', value: 1 },
        { subject: 1, time: null, code: 'GENDER//F' },
        { subject: 1, time: '2020-01-02T00:00:00', code: 'B', value: 2 },
        { subject: 2, time: '2020-01-01T00:00:00', code: 'C' },
      ];
      await writeFiles(dir, { 'data/0.parquet': eventsFile('parquet', rows) });
      const cohort = await readCohort(dir, { sortUnsortedTimes: true });
      const codes = Array.from(cohort.events.code, (c) => cohort.vocabulary.codes[c]);
      expect(codes).toEqual(['GENDER//F', 'B', 'A', 'C']);
      expect(Array.from(cohort.events.value)).toEqual([NaN, 2, 1, NaN]);
      expect(cohort.warnings).toEqual([
        `${join(dir, 'data/0.parquet')}: events of 1 subject(s) were not in time order (first: subject 1, row 1); sorted them on reading`,
      ]);
    });
  });

  it("a subject's rows split within a file or across files", async () => {
    const split: EventRow[] = [
      { subject: 1, time: '2020-01-01T00:00:00', code: 'A' },
      { subject: 2, time: '2020-01-01T00:00:00', code: 'A' },
      { subject: 1, time: '2020-01-02T00:00:00', code: 'A' },
    ];
    expect((await readError({ 'data/0.parquet': eventsFile('parquet', split) })).message).toMatch(
      /data\/0\.parquet: column 'subject_id', row 2: subject 1 also appears earlier in this file, with other subjects in between/,
    );
    const across = await readError({
      'data/0.parquet': eventsFile('parquet', good),
      'data/1.parquet': eventsFile('parquet', [{ subject: 2, time: '2021-01-01T00:00:00', code: 'A' }]),
    });
    expect(across.message).toMatch(/data\/1\.parquet: column 'subject_id', row 0: subject 2 also appears in .*data\/0\.parquet too/);
  });

  it('a null code, and a subject id too large to hold exactly', async () => {
    expect((await readError({ 'data/0.csv': 'subject_id,time,code,numeric_value\n1,2020-01-01,,\n' })).message).toMatch(
      /column 'code', row 0 \(line 2\): missing value; this column must not be null$/,
    );
    expect((await readError({ 'data/0.csv': 'subject_id,time,code,numeric_value\n18014398509481985,2020-01-01,A,\n' })).message).toMatch(
      /column 'subject_id', row 0 \(line 2\): 18014398509481984 is not an integer dflc can hold exactly/,
    );
    const big = rawParquet(
      [{ name: 'subject_id', ...I64 }, { name: 'time', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: TIMESTAMP_US }, { name: 'code', ...STR }, { name: 'numeric_value', type: 'FLOAT', repetition_type: 'OPTIONAL' }],
      [
        { name: 'subject_id', data: new BigInt64Array([2n ** 60n + 1n]) },
        { name: 'time', data: [1n] },
        { name: 'code', data: ['A'] },
        { name: 'numeric_value', data: [null] },
      ],
    );
    expect((await readError({ 'data/0.parquet': big })).message).toMatch(/column 'subject_id', row 0: 1152921504606846977 is too large for dflc/);
  });

  it('a parquet codec dflc cannot decode, and a file that is not parquet', async () => {
    const lzo = rawParquet(
      [{ name: 'subject_id', ...I64 }, { name: 'time', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: TIMESTAMP_US }, { name: 'code', ...STR }, { name: 'numeric_value', type: 'FLOAT', repetition_type: 'OPTIONAL' }],
      [
        { name: 'subject_id', data: new BigInt64Array([1n]) },
        { name: 'time', data: [1n] },
        { name: 'code', data: ['A'] },
        { name: 'numeric_value', data: [null] },
      ],
      'LZO',
    );
    expect((await readError({ 'data/0.parquet': lzo })).message).toMatch(
      /data\/0\.parquet: column 'subject_id': is compressed with LZO, which dflc's parquet reader cannot decode; rewrite the file with snappy/,
    );
    expect((await readError({ 'data/0.parquet': 'subject_id,time\n1,2\n' })).message).toMatch(/data\/0\.parquet: not a readable parquet file \(/);
  });

  it('reads compressed parquet (here gzip; zstd goes through the same decompressor table)', async () => {
    const gzip = rawParquet(
      [{ name: 'subject_id', ...I64 }, { name: 'time', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: TIMESTAMP_US }, { name: 'code', ...STR }, { name: 'numeric_value', type: 'FLOAT', repetition_type: 'OPTIONAL' }],
      [
        { name: 'subject_id', data: new BigInt64Array([7n, 7n]) },
        { name: 'time', data: [1_000_000n, 2_000_000n] },
        { name: 'code', data: ['LAB//A', 'DX//B'] },
        { name: 'numeric_value', data: [1.5, null] },
      ],
      'GZIP',
    );
    await withTempDir(async (dir) => {
      await writeFiles(dir, { 'data/0.parquet': gzip });
      const cohort = await readCohort(dir);
      expect([...cohort.subjects.id]).toEqual([7]);
      expect([...cohort.events.time]).toEqual([1_000_000, 2_000_000]);
      expect(cohort.events.code.length).toBe(2);
      expect(cohort.events.value[0]).toBe(1.5);
    });
  });

  it('CSV syntax errors name the line', async () => {
    expect((await readError({ 'data/0.csv': 'subject_id,time,code,numeric_value\n1,2020-01-01,A\n' })).message).toMatch(
      /data\/0\.csv: row 0 \(line 2\): has 3 fields; the header has 4$/,
    );
    expect((await readError({ 'data/0.csv': 'subject_id,time,code,numeric_value\n1,2020-01-01,"A,\n' })).message).toMatch(
      /data\/0\.csv: line 2: unterminated quoted field/,
    );
  });

  it('a missing folder, no data files, a broken dataset.json, a duplicated code', async () => {
    expect((await readError({ 'README.md': 'x' })).message).toMatch(/cohort\/data: no data files \(a MEDS dataset has data\/\*\*\/\*\.parquet, or \.csv, files\)$/);
    await expect(readCohort('/nonexistent/cohort')).rejects.toThrow(/\/nonexistent\/cohort: dataset folder not found/);
    expect((await readError({ 'data/0.parquet': eventsFile('parquet', good), 'metadata/dataset.json': '{"dataset_name": ' })).message).toMatch(
      /metadata\/dataset\.json: not valid JSON/,
    );
    expect((await readError({ 'data/0.parquet': eventsFile('parquet', good), 'metadata/dataset.json': '{"meds_version": 3}' })).message).toMatch(
      /metadata\/dataset\.json: field 'meds_version': Invalid input: expected string, received number$/,
    );
    expect((await readError({ 'data/0.parquet': eventsFile('parquet', good), 'metadata/codes.csv': 'code,description\nA,x\nA,y\n' })).message).toMatch(
      /metadata\/codes\.csv: column 'code', row 1 \(line 3\): code 'A' is listed twice$/,
    );
  });

  it('note and label files are checked the same way', async () => {
    expect(
      (await readError({ 'data/0.parquet': eventsFile('parquet', good), 'notes/a.jsonl': '{"subject_id": 1, "time": "2020-01-01", "text": "ok"}\n{"subject_id": 1, "time": 5, "text": "x"}\n' }))
        .message,
    ).toMatch(/notes\/a\.jsonl: column 'time', row 1 \(line 2\): expected an ISO 8601 time string/);
    expect((await readError({ 'data/0.parquet': eventsFile('parquet', good), 'notes/a.jsonl': '{"subject_id": 1, "text": "x"\n' })).message).toMatch(
      /notes\/a\.jsonl: row 0 \(line 1\): not valid JSON/,
    );
    await withTempDir(async (dir) => {
      await writeFiles(dir, { 'labels/mortality.csv': 'subject_id,prediction_time,boolean_value\n1,2020-01-01,maybe\n' });
      await expect(readLabels(join(dir, 'labels'))).rejects.toThrow(/labels\/mortality\.csv: column 'boolean_value', row 0 \(line 2\): 'maybe' is not a boolean/);
    });
  });
});
