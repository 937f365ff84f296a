import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';

/** docs/data.md's minimal CSV dataset trains, as the guide says it does. */
const out = mkdtempSync(join(tmpdir(), 'dflc-data-example-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('docs/examples/minimal-csv', () => {
  it('trains with dflc run, with the splits of its metadata/subject_splits.csv', async () => {
    let stdout = '';
    let stderr = '';
    const run = join(out, 'run');
    const argv = ['run', 'examples/card.dfl', '--data', 'docs/examples/minimal-csv', '--steps', '2', '--dim', '4', '--batch', '4', '--backend', 'wasm', '--out', run];
    const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, cwd: REPO_ROOT });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('embeddings (train 16, tuning 4, held_out 4 subjects x 4)');
    expect(readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  }, 120_000);
});
