import { UsageError, type Command } from '../command.ts';

const DEFAULT_DEBOUNCE_MS = 10;

export const lspCommand: Command = {
  name: 'lsp',
  summary: 'run the language server for editors (LSP over stdio)',
  help: `Usage: dflc lsp [--stdio] [--debounce MS]

Runs a Language Server Protocol server on stdin and stdout, for editors: diagnostics as you
type (the same messages as 'dflc check'), the shape of the expression under the cursor,
completion, signature help, go to definition (stdlib defs included), formatting ('dflc fmt')
and the outline of a file. Editors start it themselves; editors/vscode/ has the VS Code
extension. It loads only the parser and the type checker, never the training runtime.

Options:
  --stdio          talk over stdin and stdout (the only transport; accepted because editors pass it)
  --debounce MS    an edit after MS of quiet is checked at once; quicker edits wait until MS
                   have passed since the last check, and only the last of them is checked
                   (default ${DEFAULT_DEBOUNCE_MS})
  -h, --help       show this help

Example:
  dflc lsp --stdio`,
  options: { stdio: { type: 'boolean' }, debounce: { type: 'string' } },
  run: async ({ values, positionals }, io) => {
    if (positionals.length > 0) throw new UsageError('lsp takes no FILE; the editor sends the documents');
    const debounceMs = values.debounce === undefined ? DEFAULT_DEBOUNCE_MS : Number(values.debounce);
    if (!Number.isFinite(debounceMs) || debounceMs < 0) throw new UsageError(`--debounce expects milliseconds, got '${String(values.debounce)}'`);
    const { createConnection } = await import('vscode-languageserver/node');
    const { startServer } = await import('../../lsp/server.ts');
    const connection = createConnection(process.stdin, process.stdout);
    startServer(connection, { debounceMs, cwd: io.cwd });
    // The library ends the process on the client's `exit` notification or when stdin closes.
    return new Promise<number>(() => {});
  },
};
