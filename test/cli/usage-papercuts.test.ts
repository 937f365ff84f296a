import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attachNegativeValues, main } from '../../runtime/cli/main.ts';
import { CONFORMANCE_DIR } from '../helpers/conformance.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';

async function dflc(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, cwd: REPO_ROOT });
  return { code, stdout, stderr };
}

const out = mkdtempSync(join(tmpdir(), 'dflc-compile-options-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('dflc compile: options a new user got wrong', () => {
  it('-o with an extension that is neither .ts nor .onnx is refused, and nothing is written', async () => {
    const target = join(out, 'vic.txt');
    const result = await dflc(['compile', 'examples/vicreg.dfl', '-o', target]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot tell what to write to '${target}': name it .ts (a TypeScript module) or .onnx (an ONNX model), or say --emit ts|onnx`);
    expect(existsSync(target)).toBe(false);
    const explicit = await dflc(['compile', 'examples/vicreg.dfl', '-o', target, '--emit', 'ts']);
    expect(explicit.code).toBe(0);
    expect(existsSync(target)).toBe(true);
  });

  it('--dims naming a dimension the objective lacks is a usage error naming the ones it has', async () => {
    const result = await dflc(['compile', 'examples/card.dfl', '--dims', 'n=64,q=3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--dims names 'q', which examples/card.dfl does not have; its dimensions are d, n");
  });

  it('the summary says at which sizes its FLOP figure was counted', async () => {
    const assumed = await dflc(['compile', 'examples/card.dfl']);
    expect(assumed.stdout).toMatch(/flops at d=256, n=4096 \(assumed; --dims sets them\) \(--explain for the program\)\n$/);
    const partly = await dflc(['compile', 'examples/card.dfl', '--dims', 'n=64']);
    expect(partly.stdout).toMatch(/flops at n=64, d=256 \(assumed; --dims sets it\) /);
    const given = await dflc(['compile', 'examples/card.dfl', '--dims', 'n=64,d=8']);
    expect(given.stdout).toMatch(/flops at n=64, d=8 \(--explain for the program\)\n$/);
  });
});

describe('negative numbers after an option that takes a value', () => {
  it("are the option's value, judged with dflc's own message, not Node's 'argument is ambiguous'", async () => {
    const lr = await dflc(['run', 'examples/card.dfl', '--lr', '-1']);
    expect(lr.code).toBe(2);
    expect(lr.stderr).toContain("--lr must be a positive number, got '-1'");
    expect(lr.stderr).not.toContain('ambiguous');
    const epochs = await dflc(['run', 'examples/card.dfl', '--epochs', '-1']);
    expect(epochs.stderr).toContain("--epochs must be a positive integer, got '-1'");
  });

  it('are attached to string options only, long or short, and never past --', () => {
    const options = { lr: { type: 'string' as const }, output: { type: 'string' as const, short: 'o' }, json: { type: 'boolean' as const } };
    expect(attachNegativeValues(options, ['--lr', '-0.5', '-o', '-1', '--json', '-2'])).toEqual(['--lr=-0.5', '-o-1', '--json', '-2']);
    expect(attachNegativeValues(options, ['--', '--lr', '-1'])).toEqual(['--', '--lr', '-1']);
    expect(attachNegativeValues(options, ['--lr', '-x'])).toEqual(['--lr', '-x']);
  });
});

describe('dflc value --grad PATH that cannot be a folder', () => {
  const card = join(CONFORMANCE_DIR, 'card_small');
  const inputs = ['Z', 'Z_t', 'Z_t+1'].flatMap((name) => ['--input', `${name}=${join(card, `${name}.npy`)}`]);

  it('an existing file, a path under a file, a path under /proc: a clear error, exit 1', async () => {
    const file = join(out, 'grads.txt');
    writeFileSync(file, 'not a folder');
    const onFile = await dflc(['value', join(card, 'objective.dfl'), '--f64', ...inputs, '--grad', file]);
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toBe(`dflc value: --grad: '${file}' is a file, not a folder\n`);
    const under = await dflc(['value', join(card, 'objective.dfl'), '--f64', ...inputs, '--grad', join(file, 'x')]);
    expect(under.code).toBe(1);
    expect(under.stderr).toContain(`'${file}' is a file`);
    if (existsSync('/proc/self')) {
      const proc = await dflc(['value', join(card, 'objective.dfl'), '--f64', ...inputs, '--grad', '/proc/dflc-test/g']);
      expect(proc.code).toBe(1);
      expect(proc.stderr).toContain("dflc value: --grad: cannot make the folder '/proc/dflc-test'");
    }
  });
});
