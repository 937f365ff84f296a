import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The configured dflc, else the workspace's own install, else the one on the PATH. */
function dflcExecutable(): string {
  const configured = workspace.getConfiguration('dfl').get<string>('server.path', '');
  if (configured !== '') return configured;
  for (const folder of workspace.workspaceFolders ?? []) {
    const local = join(folder.uri.fsPath, 'node_modules', '.bin', process.platform === 'win32' ? 'dflc.cmd' : 'dflc');
    if (existsSync(local)) return local;
  }
  return 'dflc';
}

/** Starts `dflc lsp` for .dfl files; the client adds `--stdio`. */
export async function activate(context: ExtensionContext): Promise<void> {
  const debounce = workspace.getConfiguration('dfl').get<number>('server.debounce', 10);
  const run = { command: dflcExecutable(), args: ['lsp', '--debounce', String(debounce)], transport: TransportKind.stdio };
  const server: ServerOptions = { run, debug: run };
  const options: LanguageClientOptions = { documentSelector: [{ language: 'dfl' }] };
  client = new LanguageClient('dfl', 'DFL (dflc lsp)', server, options);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
