import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main.ts';
import { REPO_ROOT, runCli } from '../helpers/run-cli.ts';

/** Runs `main` in this process with captured streams: the cheap way to cover the many paths. */
async function run(argv: string[], cwd = REPO_ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, cwd });
  return { code, stdout, stderr };
}

describe('dflc (in process)', () => {
  it('lists the commands with --help and with help', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: dflc COMMAND/);
    expect(help.stdout).toMatch(/\n {2}check +parse and type-check/);
    expect(help.stdout).toMatch(/\n {2}fmt +print or rewrite/);
    expect(await run(['help'])).toEqual(help);
  });

  it('shows a command help with help CMD and CMD -h', async () => {
    const viaHelp = await run(['help', 'fmt']);
    expect(viaHelp.stdout).toMatch(/^Usage: dflc fmt FILE\.dfl \[--write \| --check\]/);
    expect(await run(['fmt', '-h'])).toEqual(viaHelp);
  });

  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `dflc ${version}\n`, stderr: '' });
  });

  it.each([
    [[], /^Usage: dflc COMMAND/],
    [['chek', 'x.dfl'], /^dflc: unknown command 'chek'; did you mean 'check'\?\nrun 'dflc --help' for usage\n$/],
    [['--frob'], /^dflc: unknown option '--frob'; options go after the command\nrun 'dflc --help' for usage\n$/],
    [['help', 'nope'], /^dflc: unknown command 'nope'\n/],
    [['check'], /^dflc: check needs at least one FILE\nrun 'dflc check --help' for usage\n$/],
    [['fmt'], /^dflc: fmt needs a FILE\n/],
    [['fmt', '--write', '--check', 'a.dfl'], /^dflc: --write and --check cannot be used together\n/],
    [['fmt', 'a.dfl', 'b.dfl'], /^dflc: fmt prints one FILE; use --write or --check for several\n/],
    [['check', 'examples'], /^dflc: cannot read 'examples': it is a directory\n/],
    [['fmt', '--write=yes', 'a.dfl'], /^dflc: option '--write' does not take an argument\n/],
  ])('%j is a usage error (exit 2)', async (argv, stderr) => {
    const result = await run(argv as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(stderr);
  });

  it('checks several files, reporting the summary once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dflc-main-'));
    writeFileSync(join(dir, 'a.dfl'), 'f(x,)\n');
    writeFileSync(join(dir, 'b.dfl'), 'let = 1\nZ\n');
    const { code, stderr } = await run(['check', 'a.dfl', 'b.dfl'], dir);
    expect(code).toBe(1);
    expect(stderr.match(/^[ab]\.dfl:\d+:\d+: error: .*$/gm)).toEqual([
      "a.dfl:1:5: error: expected an argument after ',', found ')'",
      "b.dfl:1:5: error: expected a name after 'let', found '='",
    ]);
    expect(stderr.endsWith('\n2 errors\n')).toBe(true);
  });

  it('--json prints an empty array for clean files', async () => {
    expect(await run(['check', '--json', 'examples/card.dfl'])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });
});

describe('dflc --version (the real binary)', () => {
  it('runs through bin/dflc.js', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^dflc \d+\.\d+\.\d+\n$/);
  });
});
