import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { REPO_ROOT } from '../helpers/run-cli.ts';

/** The parts of LSP's published diagnostics the tests read (the wire format, written out here). */
export interface PublishedDiagnostics {
  readonly uri: string;
  readonly version?: number;
  readonly diagnostics: readonly WireDiagnostic[];
}

export interface WireRange {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

export interface WireDiagnostic {
  readonly range: WireRange;
  readonly severity: number;
  readonly code: string;
  readonly source: string;
  readonly message: string;
  readonly relatedInformation?: readonly { message: string; location: { uri: string; range: WireRange } }[];
}

export const uriOf = (path: string): string => pathToFileURL(join(REPO_ROOT, path)).href;

/**
 * An editor's side of the wire: starts the real `dflc lsp` as a child process (`node bin/dflc.js
 * lsp --stdio`) and speaks JSON-RPC to it with vscode-jsonrpc, the library VS Code's client uses.
 */
export class LspClient {
  private readonly published: PublishedDiagnostics[] = [];
  private readonly waiters: { match: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  readonly stderr: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      this.published.push(params);
      for (const waiter of this.waiters.filter((w) => w.match(params))) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  /**
   * `args` go to `dflc lsp`, `node` to Node itself (e.g. `--import` a module). `fromSources` runs
   * the TypeScript sources through tsx even where bin/dflc.js would run a build (dist/).
   */
  static async start(
    args: readonly string[] = [],
    node: { args?: readonly string[]; env?: Record<string, string>; fromSources?: boolean } = {},
  ): Promise<LspClient> {
    const lspArgs = JSON.stringify(['lsp', '--stdio', ...args]);
    const entry = node.fromSources
      ? ['--import', 'tsx', '--input-type=module', '-e', `const { main } = await import('./runtime/cli/main.ts'); process.exitCode = await main(${lspArgs});`]
      : [join(REPO_ROOT, 'bin', 'dflc.js'), 'lsp', '--stdio', ...args];
    const child = spawn(process.execPath, [...(node.args ?? []), ...entry], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...node.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.listen();
    const client = new LspClient(child, connection);
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(REPO_ROOT).href, capabilities: {} });
    await connection.sendNotification('initialized', {});
    return client;
  }

  request<T>(method: string, params: object): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  /** The diagnostics published for `uri` at `version` (already published or still to come). */
  diagnosticsFor(uri: string, version: number): Promise<PublishedDiagnostics> {
    const match = (p: PublishedDiagnostics) => p.uri === uri && p.version === version;
    const done = this.published.find(match);
    if (done !== undefined) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Every publication so far for `uri`, oldest first. */
  publicationsFor(uri: string): PublishedDiagnostics[] {
    return this.published.filter((p) => p.uri === uri);
  }

  async open(uri: string, text: string, version = 1): Promise<PublishedDiagnostics> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dfl', version, text } });
    return this.diagnosticsFor(uri, version);
  }

  async change(uri: string, version: number, changes: readonly object[]): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The polite end: shutdown, exit, and the server's own exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.request('shutdown', {});
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
