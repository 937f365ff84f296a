import * as tf from '@tensorflow/tfjs-core';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitModule } from '../../../../compiler/backends/typescript/emit-module.ts';
import { FLOAT32_EPSILON } from '../../../../compiler/surface/guards.ts';
import { compileValueAndGrad } from '../../../../compiler/pipeline.ts';
import { formatNpy, parseNpy } from '../../../../runtime/io/npy.ts';
import { checkObjective } from '../../../../runtime/objective.ts';
import { REPO_ROOT, runCli } from '../../../helpers/run-cli.ts';
import { importModule, makeTempDir, randomMatrix, relativeError, seeded, toTensors, TOLERANCE, useCpuBackend } from './helpers.ts';

const temp = makeTempDir();
afterAll(() => temp.remove());
const rel = (path: string) => relative(REPO_ROOT, path);

describe('dflc compile -o', () => {
  it('writes the module for examples/card.dfl, creating the folder, and nothing else', async () => {
    const out = join(temp.dir, 'x', 'card.ts');
    const result = await runCli(['compile', 'examples/card.dfl', '-o', rel(out)]);
    expect(result.stderr).toBe(`dflc compile: wrote ${rel(out)}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^examples\/card\.dfl: \d+ ops, 1 symmetric eigendecomposition, Z, Z_t, Z_t\+1 -> value and gradients/);
    const source = readFileSync(join(REPO_ROOT, 'examples', 'card.dfl'), 'utf8');
    const { program, log } = compileValueAndGrad(checkObjective('examples/card.dfl', source, FLOAT32_EPSILON).program!);
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

  it('is a usage error (exit 2) to name a folder as the output, and leaves no temporary file', async () => {
    const folder = join(temp.dir, 'folder.ts');
    mkdirSync(folder);
    const result = await runCli(['compile', 'examples/spectral-balance.dfl', '-o', rel(folder)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot write '${rel(folder)}'`);
    expect(readdirSync(temp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is in the help', async () => {
    const result = await runCli(['compile', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-o, --output OUT');
    expect(result.stdout).toContain('--emit ts|onnx');
  });

  it('gives a module that, imported and run, gives what dflc value gives (float32 and --f64)', async () => {
    const dir = join(temp.dir, 'value');
    mkdirSync(dir);
    const random = seeded(21);
    const inputs = new Map(['Z', 'Z_t', 'Z_t+1'].map((name) => [name, randomMatrix(40, 6, random)]));
    const flags: string[] = [];
    for (const [name, t] of inputs) {
      writeFileSync(join(dir, `${name}.npy`), formatNpy({ dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data) }));
      flags.push('--input', `${name}=${rel(join(dir, `${name}.npy`))}`);
    }
    const out = join(dir, 'card.ts');
    const [compiled, f32, f64] = await Promise.all([
      runCli(['compile', 'examples/card.dfl', '-o', rel(out)]),
      runCli(['value', 'examples/card.dfl', ...flags, '--backend', 'cpu', '--json', '--grad', rel(join(dir, 'f32'))]),
      runCli(['value', 'examples/card.dfl', ...flags, '--f64', '--json', '--grad', rel(join(dir, 'f64'))]),
    ]);
    for (const run of [compiled, f32, f64]) expect(run.code, run.stderr).toBe(0);

    await useCpuBackend();
    const module = await importModule(out);
    const tensors = toTensors(inputs);
    const result = module.valueAndGrad(tensors);
    for (const [run, grads] of [[f32, 'f32'], [f64, 'f64']] as const) {
      const expected = JSON.parse(run.stdout) as { value: number };
      expect(relativeError(result.value.dataSync(), [expected.value]), `value vs dflc value (${grads})`).toBeLessThan(TOLERANCE);
      for (const name of inputs.keys()) {
        const want = parseNpy(readFileSync(join(dir, grads, `${name}.npy`)));
        expect(relativeError(result.grads[name].dataSync(), Array.from(want.data, Number)), `grad ${name} vs dflc value (${grads})`).toBeLessThan(TOLERANCE);
      }
    }
    tf.dispose([result.value, ...Object.values(result.grads), ...Object.values(tensors)]);
  });
});
