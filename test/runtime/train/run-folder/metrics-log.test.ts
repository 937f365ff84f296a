import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendMetrics, truncateMetrics } from '../../../../runtime/train/run-folder/metrics-log.ts';
import { withTempDir } from '../helpers.ts';

const record = (step: number, loss = 1) => ({ step, epoch: 0, loss, terms: [loss], grad_norm: 1, steps_per_s: 1, seconds: step });

describe('metrics.jsonl', () => {
  it('appends one parseable line per step, non-finite numbers as strings', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'metrics.jsonl');
      await appendMetrics(path, record(1));
      await appendMetrics(path, record(2, NaN));
      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.loss)).toEqual([1, 'NaN']);
    }));

  it('on resume keeps the complete lines up to the checkpoint step', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'metrics.jsonl');
      await writeFile(path, [1, 2, 3, 4].map((s) => JSON.stringify(record(s))).join('\n') + '\n{"step": 5, "ep');
      await truncateMetrics(path, 3);
      expect((await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l).step)).toEqual([1, 2, 3]);
      await truncateMetrics(join(dir, 'new.jsonl'), 0);
      expect(await readFile(join(dir, 'new.jsonl'), 'utf8')).toBe('');
    }));
});
