import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';
import { rawParquet, TIMESTAMP_US } from '../runtime/data/dataset-builder.ts';

/**
 * `--nan-as-missing` (dflc.json "nan-as-missing") on docs/examples/minimal-csv with NaNs as pandas
 * writes them: two in the CSV, one in a parquet DOUBLE column holding subject 24.
 */
const EXAMPLE = join(REPO_ROOT, 'docs', 'examples', 'minimal-csv');
const NANS = 3;

let tmp: string;
let data: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-nan-'));
  data = join(tmp, 'cohort');
  await cp(EXAMPLE, data, { recursive: true });
  const lines = (await readFile(join(EXAMPLE, 'data', 'events.csv'), 'utf8')).trim().split('\n');
  const [header, ...rows] = lines;
  const moved = rows.filter((row) => row.startsWith('24,')).map((row) => row.split(','));
  let labs = 0;
  const kept = rows
    .filter((row) => !row.startsWith('24,'))
    .map((row) => (row.includes(',LAB//') && labs++ < 2 ? row.replace(/,[^,]*$/, ',NaN') : row));
  await writeFile(join(data, 'data', 'events.csv'), [header, ...kept].join('\n') + '\n');
  const values = moved.map(([, , , value], i) => (i === 1 ? NaN : value === '' ? null : Number(value)));
  expect(values[1]).toBeNaN(); // subject 24's first lab
  await writeFile(
    join(data, 'data', 'subject-24.parquet'),
    rawParquet(
      [
        { name: 'subject_id', type: 'INT64', repetition_type: 'REQUIRED' },
        { name: 'time', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: TIMESTAMP_US },
        { name: 'code', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'numeric_value', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      ],
      [
        { name: 'subject_id', data: new BigInt64Array(moved.length).fill(24n) },
        { name: 'time', data: moved.map(([, time]) => (time === '' ? null : BigInt(Date.parse(`${time}Z`)) * 1000n)) },
        { name: 'code', data: moved.map(([, , code]) => code) },
        { name: 'numeric_value', data: values },
      ],
    ),
  );
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function dflc(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, cwd: REPO_ROOT });
  return { code, stdout, stderr };
}

const TINY = ['--steps', '1', '--dim', '2', '--batch', '4', '--backend', 'wasm'];

describe('dflc run --nan-as-missing', () => {
  it('without it, a NaN numeric_value fails naming the file, the row and the option', async () => {
    const result = await dflc(['run', 'examples/card.dfl', '--data', data, ...TINY, '--out', join(tmp, 'strict')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`dflc run: ${join(data, 'data', 'events.csv')}: column 'numeric_value', row 2 (line 4): NaN is not a valid numeric value`);
    expect(result.stderr).toContain('--nan-as-missing');
  });

  it('with the flag, reads them as missing and reports the count on stderr and in run.json', async () => {
    const run = join(tmp, 'flag');
    const result = await dflc(['run', 'examples/card.dfl', '--data', data, ...TINY, '--nan-as-missing', '--out', run]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${NANS} numeric_value NaN treated as missing (--nan-as-missing)`);
    const record = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
    expect(record.data.nanAsMissing).toBe(NANS);
    expect(record.config['nan-as-missing']).toBe(true);
    // dflc embed reads the data as the run did.
    const embedded = await dflc(['embed', run, '--at', 'last', '--backend', 'wasm']);
    expect(embedded.code, embedded.stderr).toBe(0);
    expect(embedded.stderr).toContain(`${NANS} numeric_value NaN treated as missing (the run's --nan-as-missing)`);
  }, 120_000);

  it('reads "nan-as-missing": true from dflc.json', async () => {
    const config = join(tmp, 'dflc.json');
    await writeFile(config, JSON.stringify({ 'nan-as-missing': true }));
    const run = join(tmp, 'config');
    const result = await dflc(['run', 'examples/card.dfl', '--config', config, '--data', data, ...TINY, '--out', run]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(run, 'run.json'), 'utf8')).data.nanAsMissing).toBe(NANS);
  }, 120_000);

  it('documents the flag in --help', async () => {
    expect((await dflc(['run', '--help'])).stdout).toContain('--nan-as-missing');
  });
});
