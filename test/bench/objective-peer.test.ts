import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTorch, runBench } from './peer-python.ts';

/**
 * bench/objective_torch.py writes the card, VICReg and Barlow objectives by hand. If the stdlib
 * changes and the peer does not, `npm run bench:objective` times a different computation; this run
 * at toy sizes (one with n < d: the dual form and zero eigenvalues) catches that: the two sides'
 * values must agree within 1e-3 (the bench exits 1 otherwise). Skipped where Debian's PyTorch is absent.
 */
describe.runIf(hasTorch())('bench:objective PyTorch peer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dflc-objective-peer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees with dflc on the value of every objective, and writes the JSON and the SVG', async () => {
    const json = join(dir, 'objective.json');
    const svg = join(dir, 'objective.svg');
    const quick = ['--rounds', '1', '--min-ms', '1', '--torch-threads', '1', '--json', json, '--svg', svg];
    const { code, stdout } = await runBench('objective.ts', ['--n', '64', '--dims', '8,16', '--n-dims', '16', '--ns', '12', ...quick]);
    const rows = stdout.split('\n').filter((line) => /^\s+(card|vicreg|barlow)\s+\d/.test(line));
    expect(rows).toHaveLength(9);
    for (const row of rows) expect(row).toMatch(/\byes$/);
    expect(code).toBe(0);
    const results = JSON.parse(readFileSync(json, 'utf8')) as { rows: unknown[] };
    expect(results.rows).toHaveLength(9);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg [\s\S]*card dflc[\s\S]*<\/svg>\n$/);
  });
});
