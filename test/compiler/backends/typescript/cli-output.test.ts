import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitModule } from '../../../../compiler/backends/typescript/emit-module.ts';
import { compileValueAndGrad } from '../../../../compiler/pipeline.ts';
import { checkObjective } from '../../../../runtime/objective.ts';
import { REPO_ROOT, runCli } from '../../../helpers/run-cli.ts';
import { makeTempDir } from './helpers.ts';

const temp = makeTempDir();
afterAll(() => temp.remove());
const rel = (path: string) => relative(REPO_ROOT, path);

describe('dflc compile -o', () => {
  it('writes the module for examples/card.dfl, creating the folder, and nothing else', async () => {
    const out = join(temp.dir, 'x', 'card.ts');
    const result = await runCli(['compile', 'examples/card.dfl', '-o', rel(out)]);
    expect(result.stderr).toBe(`dflc compile: wrote ${rel(out)}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^examples\/card\.dfl: \d+ ops, 1 eigendecomposition, Z, Z_t, Z_t\+1 -> value and gradients/);
    const source = readFileSync(join(REPO_ROOT, 'examples', 'card.dfl'), 'utf8');
    const { program, log } = compileValueAndGrad(checkObjective('examples/card.dfl', source).program!);
    expect(readFileSync(out, 'utf8')).toBe(emitModule(program, { source, file: 'examples/card.dfl', log }));
    expect(readdirSync(join(temp.dir, 'x'))).toEqual(['card.ts']);
  });

  it('replaces an existing file atomically (a new file renamed over it), keeping its mode', async () => {
    const out = join(temp.dir, 'again.ts');
    writeFileSync(out, '// old\n');
    chmodSync(out, 0o640);
    const before = statSync(out);
    const result = await runCli(['compile', 'examples/spectral-balance.dfl', '--output', rel(out), '--dims', 'n=8,d=3']);
    expect(result.code).toBe(0);
    const after = statSync(out);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o640);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain("{ name: 'Z', shape: [8, 3] },");
    expect(readdirSync(temp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes nothing for an objective with errors', async () => {
    const bad = join(temp.dir, 'bad.dfl');
    writeFileSync(bad, 'ortho(spectrum(Z))\n');
    const out = join(temp.dir, 'bad.ts');
    const result = await runCli(['compile', rel(bad), '-o', rel(out)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.dfl:1:');
    expect(existsSync(out)).toBe(false);
  });

  it('is in the help', async () => {
    const result = await runCli(['compile', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-o, --output OUT.ts');
  });
});
