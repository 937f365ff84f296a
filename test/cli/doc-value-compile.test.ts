import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../runtime/io/npy.ts';
import { CONFORMANCE_DIR, relativeError } from '../helpers/conformance.ts';
import { runCli } from '../helpers/run-cli.ts';

const CARD = join(CONFORMANCE_DIR, 'card_small');
const cardInputs = ['Z', 'Z_t', 'Z_t+1'].flatMap((name) => ['--input', `${name}=${join(CARD, `${name}.npy`)}`]);
const expected = JSON.parse(readFileSync(join(CARD, 'expected.json'), 'utf8')) as { value: number };

describe('dflc doc', () => {
  it('lists the stdlib and the primitives, and prints one entry in full', async () => {
    const all = await runCli(['doc']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^ {2}balance\(s\) +Spectral balance: 0 for a perfectly flat spectrum/m);
    expect(all.stdout).toMatch(/^ {2}cov\(Z\) +covariance of the columns/m);
    const one = await runCli(['doc', 'variance']);
    expect(one.stdout).toContain('variance(Z, gamma=1)');
    expect(one.stdout).toContain('def variance(Z, gamma=1) = mean(relu(gamma - sqrt(diag(cov(Z)) + 0.0001)))');
  });

  it('suggests a name for a typo and exits 1', async () => {
    const result = await runCli(['doc', 'balanse']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("dflc doc: no stdlib objective or primitive named 'balanse'; did you mean 'balance'?\n");
  });
});

describe('dflc value', () => {
  it('--f64 --json matches the conformance value and writes float64 gradients named as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dflc-value-'));
    const result = await runCli(['value', 'examples/card.dfl', '--f64', '--json', '--grad', dir, ...cardInputs]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { value: number; dtype: string; backend: string };
    expect(json.dtype).toBe('float64');
    expect(json.backend).toBe('reference');
    expect(relativeError([json.value], [expected.value])).toBeLessThanOrEqual(1e-6);
    for (const name of ['Z', 'Z_t', 'Z_t+1']) {
      const grad = parseNpy(readFileSync(join(dir, `${name}.npy`)));
      const reference = parseNpy(readFileSync(join(CARD, `grad_${name}.npy`)));
      expect(grad.dtype).toBe('float64');
      expect(relativeError(grad.data as Float64Array, reference.data as Float64Array)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('runs in float32 on ONNX Runtime by default', async () => {
    const result = await runCli(['value', 'examples/card.dfl', '--json', ...cardInputs]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { value: number; dtype: string; backend: string };
    expect(json).toMatchObject({ dtype: 'float32', backend: 'onnx' });
    expect(relativeError([json.value], [expected.value])).toBeLessThanOrEqual(2e-3);
  });

  it('runs in float32 on the wasm backend', async () => {
    const result = await runCli(['value', 'examples/card.dfl', '--backend', 'wasm', '--json', ...cardInputs]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { value: number; dtype: string; backend: string };
    expect(json).toMatchObject({ dtype: 'float32', backend: 'wasm' });
    expect(relativeError([json.value], [expected.value])).toBeLessThanOrEqual(2e-3);
  });

  it('names what the objective needs when inputs are missing (exit 2)', async () => {
    const result = await runCli(['value', 'examples/card.dfl', '--f64', '--input', `Z=${join(CARD, 'Z.npy')}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing inputs Z_t, Z_t+1');
  });

  it('names both inputs and the dimension on a size mismatch (exit 1)', async () => {
    const other = join(CONFORMANCE_DIR, 'ortho_cov', 'Z.npy');
    const result = await runCli(['value', 'examples/card.dfl', '--f64', '--input', `Z=${join(CARD, 'Z.npy')}`, '--input', `Z_t=${join(CARD, 'Z_t.npy')}`, '--input', `Z_t+1=${other}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^dflc value: input 'Z_t\+1' gives n = \d+, but n is \d+ in input 'Z'\n$/);
  });

  it('rejects a file that is not an npy array, naming it', async () => {
    const result = await runCli(['value', 'examples/card.dfl', '--f64', '--input', 'Z=examples/card.dfl', '--input', `Z_t=${join(CARD, 'Z_t.npy')}`, '--input', `Z_t+1=${join(CARD, 'Z_t+1.npy')}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('dflc value: examples/card.dfl: not a NumPy .npy file (bad magic string)\n');
  });

  it('gives the install hint for an absent tfjs-node backend', async () => {
    const result = await runCli(['value', 'examples/card.dfl', '--backend', 'tensorflow', ...cardInputs]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm install @tensorflow/tfjs-node');
  });
});

describe('dflc compile', () => {
  it('--explain --json: the card has one eigendecomposition; balance2 has none', async () => {
    const card = await runCli(['compile', 'examples/card.dfl', '--explain', '--json']);
    expect(card.code).toBe(0);
    const ops = (JSON.parse(card.stdout) as { ops: { op: string }[] }).ops;
    expect(ops.filter((o) => o.op === 'eigh')).toHaveLength(1);
    const dir = mkdtempSync(join(tmpdir(), 'dflc-compile-'));
    const file = join(dir, 'b2.dfl');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, 'balance2(spectrum(Z))\n'));
    const b2 = await runCli(['compile', file, '--explain', '--json', '--dims', 'n=64,d=16']);
    const b2json = JSON.parse(b2.stdout) as { ops: { op: string }[]; rewrites: string[]; flops: number };
    expect(b2json.ops.some((o) => o.op === 'eigh')).toBe(false);
    expect(b2json.rewrites.length).toBeGreaterThan(0);
    expect(b2json.flops).toBeGreaterThan(0);
  });

  it('-o OUT.onnx writes an ONNX model; an objective with a spectrum is refused with the reason (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dflc-onnx-'));
    const ok = await runCli(['compile', 'examples/vicreg.dfl', '-o', join(dir, 'vicreg.onnx')]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('wrote');
    expect(readFileSync(join(dir, 'vicreg.onnx')).length).toBeGreaterThan(1000);
    const card = await runCli(['compile', 'examples/card.dfl', '-o', join(dir, 'card.onnx')]);
    expect(card.code).toBe(1);
    expect(card.stderr).toContain('cannot emit ONNX: the program has 1 symmetric eigendecomposition (eigh)');
    const usage = await runCli(['compile', 'examples/vicreg.dfl', '--emit', 'onnx']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--emit needs -o OUT');
  });

  it('rejects an unknown pass name for --dump-after', async () => {
    const result = await runCli(['compile', 'examples/card.dfl', '--dump-after', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown pass 'nope'");
  });
});
