import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/run-cli.ts';
import { LspClient, uriOf } from './lsp-client.ts';

const ERROR = 1;
const WARNING = 2;
const range = (line: number, from: number, toLine: number, to: number) => ({
  start: { line, character: from },
  end: { line: toLine, character: to },
});

let client: LspClient;
beforeAll(async () => {
  client = await LspClient.start();
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
});

describe('dflc lsp: diagnostics of opened documents', () => {
  const examples = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.dfl'));

  it.each(examples)('examples/%s is clean', async (name) => {
    const text = readFileSync(join(REPO_ROOT, 'examples', name), 'utf8');
    expect(await client.open(uriOf(`examples/${name}`), text)).toEqual({ uri: uriOf(`examples/${name}`), version: 1, diagnostics: [] });
  });

  it('reports an error inside a stdlib def at the call, with a note in the stdlib file', async () => {
    const uri = uriOf('nested.dfl');
    const published = await client.open(uri, 'ortho(spectrum(Z))\n');
    expect(published.diagnostics).toEqual([
      {
        range: range(0, 0, 0, 18),
        severity: ERROR,
        code: 'shape-mismatch',
        source: 'dflc',
        message: 'ortho expects matrix[_, _], got vector[d] (from spectrum(Z))',
        relatedInformation: [
          {
            message: 'in the body of ortho: corr expects matrix[_, _], got vector[d] (from spectrum(Z))',
            // stdlib/alignment.dfl line 5, column 34: the `A` in ortho's `corr(A)`.
            location: { uri: uriOf('stdlib/alignment.dfl'), range: range(4, 33, 4, 34) },
          },
        ],
      },
    ]);
  });

  it('reports every syntax error of a broken file, each on its own line', async () => {
    const text = 'let a = f(x,\n  y +)\nbalance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+0)\n';
    const published = await client.open(uriOf('syntax.dfl'), text);
    expect(published.diagnostics.map((d) => [d.range, d.severity, d.code, d.message])).toEqual([
      [range(1, 5, 1, 6), ERROR, 'syntax', "expected an expression after '+', found ')'"],
      [range(2, 54, 2, 59), ERROR, 'syntax', "a time reference with no offset is written 'Z_t', not 'Z_t+0'"],
    ]);
  });

  it('suggests the closest name for a typo, and marks a shadowed stdlib def as a warning', async () => {
    const typo = await client.open(uriOf('typo.dfl'), 'balanse(spectrum(Z))\n');
    expect(typo.diagnostics.map((d) => [d.range, d.severity, d.message])).toEqual([
      [range(0, 0, 0, 7), ERROR, "unknown function 'balanse'; did you mean 'balance'?"],
    ]);
    const shadow = await client.open(uriOf('shadow.dfl'), 'def ortho(A) = fro2(A)\northo(Z)\n');
    expect(shadow.diagnostics.map((d) => [d.range, d.severity, d.code])).toEqual([[range(0, 4, 0, 9), WARNING, 'shadows-stdlib']]);
  });

  it('publishes the diagnostics of each version after an edit, and clears them on close', async () => {
    const uri = uriOf('edited.dfl');
    expect((await client.open(uri, 'input W : [n, k]\nlet g = gram(W)\nsum(g @ gram(W))\n')).diagnostics).toEqual([]);
    // gram(W) is k×k; cov(Z) is d×d: `@` cannot join them.
    await client.change(uri, 2, [{ range: range(2, 8, 2, 15), text: 'cov(Z)' }]);
    const after = await client.diagnosticsFor(uri, 2);
    expect(after.diagnostics.map((d) => [d.range, d.message])).toEqual([
      [range(2, 4, 2, 14), '@ needs the columns of the left to match the rows of the right, got matrix[k, k] (from g) and matrix[d, d] (from cov(Z))'],
    ]);
    await client.close(uri);
    await expect.poll(() => client.publicationsFor(uri).at(-1)).toEqual({ uri, diagnostics: [] });
  });

  it('after a burst of edits, the last publication describes the last version', async () => {
    const uri = uriOf('burst.dfl');
    await client.open(uri, '');
    const word = 'ortho(Z)';
    for (let i = 0; i < word.length; i++) {
      await client.change(uri, i + 2, [{ range: range(0, i, 0, i), text: word[i] }]);
    }
    const last = await client.diagnosticsFor(uri, word.length + 1);
    expect(last.diagnostics).toEqual([]);
    // Debouncing drops the versions typed in between, and never publishes one after a newer one.
    const versions = client.publicationsFor(uri).map((p) => p.version ?? 0);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });
});
