import { describe, expect, it, vi } from 'vitest';
import type { Command } from '../../runtime/cli/command.ts';

// A command table with one command that fails the way a bug would.
const boom: Command = {
  name: 'boom',
  summary: 'fails',
  help: 'Usage: dflc boom',
  options: {},
  run: async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'shape')");
  },
};
vi.mock('../../runtime/cli/commands/index.ts', () => ({
  commands: [{ name: 'boom', load: async () => boom }],
  loadAllCommands: async () => [boom],
}));

const { main } = await import('../../runtime/cli/main.ts');

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(argv, { stdout: () => undefined, stderr: (t) => void (stderr += t), isTty: false, cwd: '.' });
  return { code, stderr };
}

describe('internal errors', () => {
  it('exit 3 with a one-line report and no stack trace', async () => {
    vi.stubEnv('DFLC_DEBUG', '');
    expect(await run(['boom'])).toEqual({
      code: 3,
      stderr:
        "dflc: internal error: Cannot read properties of undefined (reading 'shape'). This is a bug in dflc; please report it with the command you ran.\n",
    });
  });

  it('print the stack when DFLC_DEBUG=1', async () => {
    vi.stubEnv('DFLC_DEBUG', '1');
    const { code, stderr } = await run(['boom']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/\nTypeError: Cannot read properties.*\n\s+at /);
    vi.unstubAllEnvs();
  });
});
