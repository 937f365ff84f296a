import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/run-cli.ts';
import { LspClient, uriOf } from './lsp-client.ts';

/** What a keystroke must never pay for: the training runtime and its native and data libraries. */
const HEAVY = [
  /\/node_modules\/@tensorflow\//,
  /\/node_modules\/onnxruntime-node\//,
  /\/node_modules\/koffi\//,
  /\/node_modules\/hyparquet/,
  /\/runtime\/(executors|data|train|model|io|module-support)\//,
];

describe('dflc lsp loads only the front end', () => {
  it('resolves no module of the runtime, tfjs, ONNX Runtime or the parquet reader while it serves a document', async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'dflc-lsp-imports-')), 'imports.txt');
    const hooks = pathToFileURL(join(import.meta.dirname, 'record-imports.mjs')).href;
    // From the sources, where each module has its own URL (a build bundles them into chunks; it
    // keeps every package external, so the packages' check holds for it too).
    const client = await LspClient.start([], { args: ['--import', hooks], env: { DFLC_RECORD_IMPORTS: record }, fromSources: true });
    const uri = uriOf('examples/card.dfl');
    await client.open(uri, readFileSync(join(REPO_ROOT, 'examples', 'card.dfl'), 'utf8'));
    await client.change(uri, 2, [{ text: 'ortho(spectrum(Z))\n' }]);
    expect((await client.diagnosticsFor(uri, 2)).diagnostics).toHaveLength(1);
    expect(await client.stop()).toBe(0);
    const urls = readFileSync(record, 'utf8').split('\n').filter((u) => u !== '');
    // The recording works: it saw the server and the type checker.
    expect(urls).toContain(pathToFileURL(join(REPO_ROOT, 'runtime', 'lsp', 'server.ts')).href);
    expect(urls).toContain(pathToFileURL(join(REPO_ROOT, 'compiler', 'front-end', 'front-end.ts')).href);
    expect(urls.filter((u) => HEAVY.some((pattern) => pattern.test(u)))).toEqual([]);
  });
});
