import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const UGLY = '## Doc comment.\nlet   s=spectrum( Z )   # the spectrum\n\n\n\n# objective\nbalance(s)+0.5 * ortho(Z)\n';
const PRETTY = '## Doc comment.\nlet s = spectrum(Z) # the spectrum\n\n# objective\nbalance(s) + 0.5*ortho(Z)\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dflc-fmt-'));
  writeFileSync(join(dir, 'ugly.dfl'), UGLY);
  chmodSync(join(dir, 'ugly.dfl'), 0o640);
  writeFileSync(join(dir, 'pretty.dfl'), PRETTY);
  writeFileSync(join(dir, 'broken.dfl'), 'let a = (1 +\n');
});

describe('dflc fmt (the real binary)', () => {
  it('prints the canonical text and leaves the file alone', async () => {
    expect(await runCli(['fmt', 'ugly.dfl'], { cwd: dir })).toEqual({ code: 0, stdout: PRETTY, stderr: '' });
    expect(readFileSync(join(dir, 'ugly.dfl'), 'utf8')).toBe(UGLY);
  });

  it('--check exits 1 naming the unformatted file, 0 for formatted ones', async () => {
    const { code, stdout, stderr } = await runCli(['fmt', '--check', 'pretty.dfl', 'ugly.dfl'], { cwd: dir });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe("ugly.dfl: not formatted (run 'dflc fmt --write ugly.dfl')\n");
  });

  it('--write rewrites atomically, keeping comments and permissions', async () => {
    expect(await runCli(['fmt', '--write', 'ugly.dfl'], { cwd: dir })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'ugly.dfl'), 'utf8')).toBe(PRETTY);
    expect(statSync(join(dir, 'ugly.dfl')).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(['broken.dfl', 'pretty.dfl', 'ugly.dfl']);
  });

  it('reports syntax errors and never writes a broken file', async () => {
    const { code, stdout, stderr } = await runCli(['fmt', '--write', 'broken.dfl'], { cwd: dir });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.split('\n')[0]).toBe("broken.dfl:1:13: error: expected an expression after '+', found the end of the file");
    expect(readFileSync(join(dir, 'broken.dfl'), 'utf8')).toBe('let a = (1 +\n');
  });
});
