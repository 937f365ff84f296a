import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatNpy, parseNpy } from '../../runtime/io/npy.ts';
import { runCli } from '../helpers/run-cli.ts';

/**
 * Params through the commands: `dflc check` and `compile --explain` list them, `dflc value` binds
 * them like inputs and writes their gradients. The value is checked against the logistic loss
 * computed here by hand.
 */

const HEAD = 'input Y : [n]\nparam w : [d]\nparam b : []\nmean(softplus(-(2*Y - 1) * (Z @ w + b)))\n';
const Z = [0.5, -1, 2, 0.25, -0.75, 1.5];
const Y = [1, 0, 1];
const w = [0.3, -0.2];
const b = 0.1;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dflc-params-'));
  writeFileSync(join(dir, 'head.dfl'), HEAD);
  const npy = (name: string, shape: number[], data: number[]) => writeFileSync(join(dir, `${name}.npy`), formatNpy({ dtype: 'float64', shape, data: Float64Array.from(data) }));
  npy('Z', [3, 2], Z);
  npy('Y', [3], Y);
  npy('w', [2], w);
  npy('b', [], [b]);
});

describe('params in the commands', () => {
  it('dflc check lists them with their shapes and initialisation', async () => {
    expect(await runCli(['check', 'head.dfl'], { cwd: dir })).toEqual({ code: 0, stdout: 'head.dfl: params w : vector[d] = zeros, b : scalar = zeros\n', stderr: '' });
  });

  it('dflc compile --explain shows them, in the text and the JSON', async () => {
    const text = await runCli(['compile', 'head.dfl', '--explain'], { cwd: dir });
    expect(text.stdout.split('\n')[0]).toBe('params (inputs that dflc run trains with the encoder): w : vector[d] = zeros, b : scalar = zeros');
    const json = JSON.parse((await runCli(['compile', 'head.dfl', '--explain', '--json'], { cwd: dir })).stdout) as { params: unknown };
    expect(json.params).toEqual([
      { name: 'w', shape: ['d'], init: 'zeros' },
      { name: 'b', shape: [], init: 'zeros' },
    ]);
  });

  it('dflc value binds them like inputs (vectors and scalars as 1-D and 0-D arrays) and writes their gradients', async () => {
    const grads = join(dir, 'grads');
    const bind = ['Z', 'Y', 'w', 'b'].flatMap((name) => ['--input', `${name}=${name}.npy`]);
    const result = await runCli(['value', 'head.dfl', '--f64', '--json', '--grad', grads, ...bind], { cwd: dir });
    expect(result.stderr).toBe('');
    const margins = Y.map((y, i) => -(2 * y - 1) * (Z[2 * i] * w[0] + Z[2 * i + 1] * w[1] + b));
    const loss = margins.reduce((s, m) => s + Math.log1p(Math.exp(m)), 0) / 3;
    expect((JSON.parse(result.stdout) as { value: number }).value).toBeCloseTo(loss, 12);
    // d/db = mean(sigmoid(m) * -(2y - 1)).
    const db = margins.reduce((s, m, i) => s + (-(2 * Y[i] - 1)) / (1 + Math.exp(-m)), 0) / 3;
    const gradB = parseNpy(readFileSync(join(grads, 'b.npy')));
    expect(gradB.shape).toEqual([]);
    expect(gradB.data[0]).toBeCloseTo(db, 12);
    expect(parseNpy(readFileSync(join(grads, 'w.npy'))).shape).toEqual([2]);
  });

  it('dflc value names a param bound to an array of the wrong rank', async () => {
    const result = await runCli(['value', 'head.dfl', '--f64', ...['Z', 'Y', 'b'].flatMap((name) => ['--input', `${name}=${name}.npy`]), '--input', 'w=Z.npy'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("input 'w' should be vector[d], got an array of shape [3, 2]");
  });
});
