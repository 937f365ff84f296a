import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNpy } from '../../runtime/io/npy.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';

/**
 * A stranger's install (slow: DFLC_SLOW=1): `npm pack` the repository, install the tarball into a
 * fresh project in a temporary folder, and use dflc there only as the README tells a user to:
 * through `npx dflc`, and the emitted TypeScript module under the user's own strict tsconfig.
 */

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The install-script setting a user sets (README: Install); CUDA binaries are not wanted here. */
const ENV = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };

function sh(command: string, args: readonly string[], cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: ENV, encoding: 'utf8', timeout: 400_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

async function ok(command: string, args: readonly string[], cwd: string): Promise<Result> {
  const result = await sh(command, args, cwd);
  expect(result.code, `${command} ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

/** A seeded [rows, cols] float32 matrix in [-1, 1). */
function matrix(rows: number, cols: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: rows * cols }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** The user's program: evaluates the emitted module on inputs.json with the tfjs CPU backend. */
const MAIN = `import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { valueAndGrad, type ObjectiveInputs } from './card.js';

await tf.setBackend('cpu');
const raw = JSON.parse(readFileSync('inputs.json', 'utf8')) as { rows: number; cols: number; inputs: Record<string, number[]> };
const tensor = (name: string): tf.Tensor2D => tf.tensor2d(raw.inputs[name], [raw.rows, raw.cols], 'float32');
const inputs: ObjectiveInputs = { Z: tensor('Z'), Z_t: tensor('Z_t'), 'Z_t+1': tensor('Z_t+1') };
const { value, grads } = valueAndGrad(inputs);
console.log(JSON.stringify({ value: value.dataSync()[0], gradShape: grads.Z.shape }));
`;

const TSCONFIG = {
  compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', outDir: 'build' },
  files: ['card.ts', 'main.ts'],
};

/** An objective without a spectrum decomposition, so that it exports as one ONNX model. */
const ONNX_OBJECTIVE = 'balance2(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)\n';

describe.runIf(process.env.DFLC_SLOW)("a stranger's install from npm pack", () => {
  let work: string;
  let project: string;
  const npx = (args: readonly string[]): Promise<Result> => sh('npx', ['--no-install', 'dflc', ...args], project);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dflc-pack-'));
    project = join(work, 'project');
    mkdirSync(project);
    await ok('npm', ['pack', '--silent', '--pack-destination', work], REPO_ROOT);
    const [tarball] = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'stranger', private: true, type: 'module' }, null, 2));
    await ok(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        join(work, tarball),
        'typescript@5.9.3',
        '@types/node@20.19.43',
        '@tensorflow/tfjs-core@4.22.0',
        '@tensorflow/tfjs-backend-cpu@4.22.0',
      ],
      project,
    );
    copyFileSync(join(project, 'node_modules', 'dflc', 'examples', 'card.dfl'), join(project, 'card.dfl'));
    writeFileSync(join(project, 'spectral.dfl'), ONNX_OBJECTIVE);
  }, 900_000);

  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('ships the build, not the sources', () => {
    const installed = join(project, 'node_modules', 'dflc');
    expect(existsSync(join(installed, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'lib', 'runtime', 'entry.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'runtime'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules', 'tsx'))).toBe(false);
  });

  it('npx dflc --help lists the same commands as the sources', async () => {
    const installed = await ok('npx', ['--no-install', 'dflc', '--help'], project);
    const repo = await ok(process.execPath, [join(REPO_ROOT, 'bin', 'dflc.js'), '--help'], REPO_ROOT);
    expect(installed.stdout).toBe(repo.stdout);
  });

  it('npx dflc check', async () => {
    const good = await npx(['check', 'card.dfl']);
    expect(good.code, good.stderr).toBe(0);
    writeFileSync(join(project, 'bad.dfl'), 'ortho(spectrum(Z))\n');
    const bad = await npx(['check', 'bad.dfl']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad.dfl:1:1: error: ortho expects matrix[_, _], got vector[d] (from spectrum(Z))');
  });

  it('compile -o out.onnx writes an ONNX model', async () => {
    await ok('npx', ['--no-install', 'dflc', 'compile', 'spectral.dfl', '-o', 'out.onnx'], project);
    expect(statSync(join(project, 'out.onnx')).size).toBeGreaterThan(1000);
  });

  it('run --steps 5 trains five steps', async () => {
    await ok('npx', ['--no-install', 'dflc', 'synth', '--out', 'data', '--patients', '200', '--seed', '3'], project);
    await ok('npx', ['--no-install', 'dflc', 'run', 'card.dfl', '--data', 'data', '--steps', '5', '--dim', '8', '--out', 'run'], project);
    const steps = readFileSync(join(project, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(steps).toHaveLength(5);
  }, 400_000);

  it('compile -o card.ts: the module type-checks under a strict nodenext tsconfig and matches dflc value', async () => {
    await ok('npx', ['--no-install', 'dflc', 'compile', 'card.dfl', '-o', 'card.ts'], project);
    writeFileSync(join(project, 'main.ts'), MAIN);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    const tsc = await sh('npx', ['--no-install', 'tsc', '-p', '.'], project);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);

    const [rows, cols] = [24, 6];
    const inputs: Record<string, number[]> = {};
    const bind: string[] = [];
    for (const [i, name] of ['Z', 'Z_t', 'Z_t+1'].entries()) {
      const data = matrix(rows, cols, 11 + i);
      inputs[name] = [...data];
      writeFileSync(join(project, `${name}.npy`), formatNpy({ dtype: 'float32', shape: [rows, cols], data }));
      bind.push('--input', `${name}=${name}.npy`);
    }
    writeFileSync(join(project, 'inputs.json'), JSON.stringify({ rows, cols, inputs }));
    const module = JSON.parse((await ok(process.execPath, [join('build', 'main.js')], project)).stdout) as { value: number; gradShape: number[] };
    const cli = JSON.parse((await ok('npx', ['--no-install', 'dflc', 'value', 'card.dfl', ...bind, '--json'], project)).stdout) as { value: number };
    expect(module.gradShape).toEqual([rows, cols]);
    expect(Math.abs(module.value - cli.value)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cli.value)));
  }, 400_000);
});
