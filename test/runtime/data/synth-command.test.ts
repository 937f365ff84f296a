import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type CommandIo } from '../../../runtime/cli/command.ts';
import { synthCommand } from '../../../runtime/cli/commands/synth.ts';
import { readCohort } from '../../../runtime/data/meds-reader.ts';
import { withTempDir } from './helpers.ts';

function io(cwd: string): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTty: false, cwd, out, err };
}

const run = (values: Record<string, string | boolean>, cwd: string, positionals: string[] = []) => {
  const sink = io(cwd);
  return { sink, result: synthCommand.run({ values, positionals }, sink) };
};

describe('dflc synth', () => {
  it('has help that shows the usage, the layout, the options and an example', () => {
    expect(synthCommand.help).toMatch(/^Usage: dflc synth --out DIR/);
    for (const word of ['--patients', '--seed', '--format', '--force', 'truth/', 'labels/', 'Example:']) expect(synthCommand.help).toContain(word);
  });

  it('writes a cohort relative to the working folder and prints where, and a summary with task prevalences', async () => {
    await withTempDir(async (dir) => {
      const { sink, result } = run({ out: 'c', patients: '40', seed: '3' }, dir);
      expect(await result).toBe(0);
      const text = sink.out.join('');
      expect(text).toMatch(/^wrote c in [\d.]+ s: 40 patients, [\d,]+ events, [\d,]+ notes, [\d,]+ of [\d,]+ codes used \(seed 3, parquet\)\n/);
      expect(text).toMatch(/mortality_1y +40 labelled +[\d.]+% positive/);
      expect(text).toContain('ground truth: c/truth/');
      expect(sink.err).toEqual([]); // small cohorts draw no progress
      expect((await readCohort(join(dir, 'c'))).subjects.count).toBe(40);
    });
  });

  it('refuses to overwrite: a synth cohort needs --force, other folders are never replaced', async () => {
    await withTempDir(async (dir) => {
      expect(await run({ out: 'c', patients: '5' }, dir).result).toBe(0);
      await expect(run({ out: 'c', patients: '5' }, dir).result).rejects.toThrow(/^c already holds a synthetic cohort; pass --force to replace it$/);
      expect(await run({ out: 'c', patients: '6', force: true }, dir).result).toBe(0);
      expect(JSON.parse(await readFile(join(dir, 'c/metadata/dataset.json'), 'utf8')).dataset_version).toBe('seed-0-patients-6');
      await mkdir(join(dir, 'mine'));
      await writeFile(join(dir, 'mine', 'thesis.tex'), 'precious');
      await expect(run({ out: 'mine', force: true }, dir).result).rejects.toThrow(/is not a cohort written by dflc synth; refusing to replace it/);
      expect(await readFile(join(dir, 'mine', 'thesis.tex'), 'utf8')).toBe('precious');
    });
  });

  it('reports usage errors', async () => {
    await withTempDir(async (dir) => {
      await expect(run({}, dir).result).rejects.toThrow(UsageError);
      await expect(run({}, dir).result).rejects.toThrow(/synth needs --out DIR/);
      await expect(run({ out: 'x', patients: 'many' }, dir).result).rejects.toThrow(/--patients must be an integer, got 'many'/);
      await expect(run({ out: 'x', patients: '0' }, dir).result).rejects.toThrow(/--patients must be between 1 and/);
      await expect(run({ out: 'x', format: 'xlsx' }, dir).result).rejects.toThrow(/--format must be parquet or csv/);
      await expect(run({ out: 'x' }, dir, ['extra']).result).rejects.toThrow(/synth takes no positional arguments/);
    });
  });
});
