import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';
import { LspClient, uriOf, type WireDiagnostic } from './lsp-client.ts';

/** `dflc check --json FILE` on `text`, run in this process (the command's own code path). */
async function checkJson(dir: string, text: string): Promise<unknown[]> {
  const file = join(dir, 'fuzz.dfl');
  writeFileSync(file, text);
  let stdout = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: () => undefined, isTty: false, cwd: REPO_ROOT };
  await main(['check', '--json', file], io);
  return (JSON.parse(stdout) as Record<string, unknown>[]).map(({ file: _file, ...rest }) => rest);
}

const SEVERITY_NAMES = ['', 'error', 'warning', 'note'];

/** A published diagnostic written back in `dflc check --json`'s terms (files as the CLI names them). */
function asRecord(d: WireDiagnostic, uri: string, file: string): unknown {
  const related = d.relatedInformation?.map((r) => ({
    file: r.location.uri === uri ? file : relative(REPO_ROOT, fileURLToPath(r.location.uri)),
    line: r.location.range.start.line + 1,
    column: r.location.range.start.character + 1,
    message: r.message,
  }));
  return {
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: SEVERITY_NAMES[d.severity],
    code: d.code,
    message: d.message,
    ...(related === undefined ? {} : { related }),
  };
}

/** LSP's position of `offset`: lines end at `\n`, `\r\n` or a lone `\r`. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: offset - start };
}

/** Pieces of DFL and of typing mistakes that edits insert. */
const SNIPPETS = [
  'Z', 'Z_t', 'Z_t+1', '_t+', ' + ', '-', '*', '@', '^2', '(', ')', ',', '0.5', '1e-3', 'ortho(', 'spectrum(Z)',
  'balance(', 'cov(Z)', 'gram(', 'let x = ', 'x', 'def f(A, w=1) = w*fro2(A)\n', 'f(Z)', 'input W : [n, d]\n',
  'minimize ', '# note\n', '## doc\n', '\n', '\r\n', ' ', 'sum(', 'eye(3)', 'k=', '=', 'ortho', 'W',
];

const STARTS = [
  ...readdirSync(join(REPO_ROOT, 'examples'))
    .filter((f) => f.endsWith('.dfl'))
    .map((f) => readFileSync(join(REPO_ROOT, 'examples', f), 'utf8')),
  '',
  'ortho(spectrum(Z))\n',
];

interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** Edits as fractions of the current length, so that every drawn edit applies to any text. */
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  cursor: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat({ max: 12 }),
  text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 3 }), fc.constant('')),
});

function place(text: string, e: { at: number; length: number; text: string }): Edit {
  const from = Math.min(text.length, Math.floor(e.at * text.length));
  return { from, to: Math.min(text.length, from + e.length), text: e.text };
}

let client: LspClient;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dflc-lsp-fuzz-'));
  // No debounce: every version is published, so every version can be compared.
  client = await LspClient.start(['--debounce', '0']);
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
});

describe('dflc lsp under random edits', () => {
  let documents = 0;
  it('publishes, after each edit, exactly what dflc check --json reports for the text, and answers every request', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...STARTS), fc.array(edit, { minLength: 1, maxLength: 8 }), async (start, edits) => {
        const uri = uriOf(`fuzz-${documents++}.dfl`);
        let text = start;
        await client.open(uri, text);
        for (const [i, drawn] of edits.entries()) {
          const e = place(text, drawn);
          const change = { range: { start: positionAt(text, e.from), end: positionAt(text, e.to) }, text: e.text };
          text = text.slice(0, e.from) + e.text + text.slice(e.to);
          await client.change(uri, i + 2, [change]);
          const published = await client.diagnosticsFor(uri, i + 2);
          expect(published.diagnostics.map((d) => asRecord(d, uri, join(dir, 'fuzz.dfl')))).toEqual(await checkJson(dir, text));
          // Every request answers on any text: a handler that threw would reject here.
          const position = { textDocument: { uri }, position: positionAt(text, Math.floor(drawn.cursor * text.length)) };
          for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/signatureHelp', 'textDocument/definition']) {
            await client.request(method, position);
          }
          await client.request('textDocument/documentSymbol', { textDocument: { uri } });
          await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
        }
        await client.close(uri);
      }),
      { numRuns: 40 },
    );
    expect(client.child.exitCode).toBe(null);
  });
});
