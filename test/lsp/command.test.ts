import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

describe('dflc lsp (the command line)', () => {
  it('takes no FILE and checks its --debounce, as usage errors (exit 2)', async () => {
    expect(await runCli(['lsp', 'card.dfl'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "dflc: lsp takes no FILE; the editor sends the documents\nrun 'dflc lsp --help' for usage\n",
    });
    expect(await runCli(['lsp', '--debounce', 'soon'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "dflc: --debounce expects milliseconds, got 'soon'\nrun 'dflc lsp --help' for usage\n",
    });
  });
});
