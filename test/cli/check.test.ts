import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dflc-check-'));
  writeFileSync(join(dir, 'bad.dfl'), '# two mistakes\nlet a = f(x,\n  y +)\nbalance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+0)\n');
});

describe('dflc check (the real binary)', () => {
  it('prints nothing and exits 0 for a clean file', async () => {
    expect(await runCli(['check', 'examples/card.dfl'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('renders each error with its caret and exits 1', async () => {
    const { code, stdout, stderr } = await runCli(['check', 'bad.dfl'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        "bad.dfl:3:6: error: expected an expression after '+', found ')'",
        '  3 |   y +)',
        '    |      ^',
        "bad.dfl:4:55: error: a time reference with no offset is written 'Z_t', not 'Z_t+0'",
        '  4 | balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+0)',
        `    | ${' '.repeat(54)}^~~~~`,
        '2 errors',
        '',
      ].join('\n'),
    );
  });

  it('prints one JSON array for all files with --json', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--json', 'bad.dfl', join(process.cwd(), 'examples', 'card.dfl')], { cwd: dir });
    expect([code, stderr]).toEqual([1, '']);
    expect(JSON.parse(stdout)).toEqual([
      { file: 'bad.dfl', line: 3, column: 6, endLine: 3, endColumn: 7, severity: 'error', code: 'syntax', message: "expected an expression after '+', found ')'" },
      {
        file: 'bad.dfl',
        line: 4,
        column: 55,
        endLine: 4,
        endColumn: 60,
        severity: 'error',
        code: 'syntax',
        message: "a time reference with no offset is written 'Z_t', not 'Z_t+0'",
      },
    ]);
  });

  it('names a missing file and exits 2 before checking anything', async () => {
    const { code, stdout, stderr } = await runCli(['check', 'examples/card.dfl', 'nope.dfl']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe("dflc: cannot read 'nope.dfl': no such file\nrun 'dflc check --help' for usage\n");
  });

  it('rejects an unknown flag with exit 2', async () => {
    const { code, stderr } = await runCli(['check', '--strict', 'examples/card.dfl']);
    expect(code).toBe(2);
    expect(stderr).toBe("dflc: unknown option '--strict'\nrun 'dflc check --help' for usage\n");
  });

  it('teaches its usage with --help', async () => {
    const { code, stdout } = await runCli(['check', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: dflc check FILE\.dfl\.\.\. \[--json\]\n/);
    expect(stdout).toContain('--json');
    expect(stdout).toContain('Example:\n  dflc check examples/card.dfl');
  });
});
