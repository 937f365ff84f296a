import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/run-cli.ts';
import { LspClient, uriOf, type WireDiagnostic, type WireRange } from './lsp-client.ts';

const range = (line: number, from: number, toLine: number, to: number): WireRange => ({
  start: { line, character: from },
  end: { line: toLine, character: to },
});
const dfl = (text: string) => `\`\`\`dfl\n${text}\n\`\`\``;
const example = (name: string) => readFileSync(join(REPO_ROOT, 'examples', name), 'utf8');

interface HoverResult {
  contents: { kind: string; value: string };
  range: WireRange;
}

let client: LspClient;
const at = (uri: string, line: number, character: number) => ({ textDocument: { uri }, position: { line, character } });
const hover = (uri: string, line: number, character: number) => client.request<HoverResult | null>('textDocument/hover', at(uri, line, character));
const definition = (uri: string, line: number, character: number) =>
  client.request<{ uri: string; range: WireRange } | null>('textDocument/definition', at(uri, line, character));

const TEMPORAL = uriOf('examples/temporal.dfl');
const CROSS_MODAL = uriOf('examples/cross-modal.dfl');
const VICREG = uriOf('examples/vicreg.dfl');

beforeAll(async () => {
  client = await LspClient.start();
  for (const [uri, name] of [[TEMPORAL, 'temporal.dfl'], [CROSS_MODAL, 'cross-modal.dfl'], [VICREG, 'vicreg.dfl']]) {
    expect((await client.open(uri, example(name))).diagnostics).toEqual([]);
  }
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
});

describe('dflc lsp: hover', () => {
  it('shows the shape of a stdlib call, with the def’s documentation and definition', async () => {
    // cross-modal.dfl line 10: `balance(spectrum(E)) + ...`, the cursor on `spectrum`.
    expect(await hover(CROSS_MODAL, 9, 10)).toEqual({
      contents: {
        kind: 'markdown',
        value: [
          dfl('spectrum(E): vector[d]'),
          '---',
          dfl('spectrum(Z)'),
          [
            'The covariance spectrum of Z: the eigenvalues of cov(Z), descending, as vector[d].',
            'When the batch is smaller than the width (n < d) the compiler computes it from the n×n dual',
            'matrix and pads with zeros; the values are the same.',
          ].join('\n'),
          `${dfl('def spectrum(Z) = eigvals(cov(Z))')}\n*stdlib/spectral.dfl*`,
        ].join('\n\n'),
      },
      range: range(9, 8, 9, 19),
    });
  });

  it('shows a declared input’s shape at its use, and a let’s shape at its name', async () => {
    // `balance(spectrum(T))`: T is declared `input T : [n, k]`.
    expect(await hover(CROSS_MODAL, 9, 40)).toEqual({
      contents: { kind: 'markdown', value: `${dfl('T: matrix[n, k]')}\n\n---\n\n${dfl('input T: matrix[n, k]')}` },
      range: range(9, 40, 9, 41),
    });
    expect(await hover(CROSS_MODAL, 7, 6)).toEqual({ contents: { kind: 'markdown', value: dfl('align: scalar') }, range: range(7, 4, 7, 9) });
  });

  it('shows the file’s own def with its ## doc, and a time reference as the input it is', async () => {
    // temporal.dfl line 7: `flat(Z_t) + 0.5*(consistent(Z_t, Z_t+1) + ...`
    expect(await hover(TEMPORAL, 6, 1)).toEqual({
      contents: {
        kind: 'markdown',
        value: [
          dfl('flat(Z_t): scalar'),
          '---',
          dfl('flat(Z, weight=1)'),
          'Spectral balance of one window: 0 when its covariance spectrum is flat.',
          `${dfl('def flat(Z, weight=1) = weight * balance(spectrum(Z))')}\n*defined in this file*`,
        ].join('\n\n'),
      },
      range: range(6, 0, 6, 9),
    });
    expect(await hover(TEMPORAL, 6, 36)).toEqual({
      contents: { kind: 'markdown', value: `${dfl('Z_t+1: matrix[n, d]')}\n\n---\n\n${dfl('input Z_t+1: matrix[n, d]')}` },
      range: range(6, 33, 6, 38),
    });
  });

  it('names a def’s parameter in its body, and says nothing over a comment', async () => {
    // `def flat(Z, weight=1) = weight * ...`: the body's `weight`.
    expect(await hover(TEMPORAL, 4, 26)).toEqual({
      contents: { kind: 'markdown', value: `parameter \`weight=1\` of\n\n${dfl('flat(Z, weight=1)')}` },
      range: range(4, 24, 4, 30),
    });
    expect(await hover(TEMPORAL, 0, 5)).toBeNull();
  });
});

describe('dflc lsp: go to definition', () => {
  it('opens a stdlib def in its file', async () => {
    // `consistent` is the third def of stdlib/alignment.dfl, on its line 13.
    expect(await definition(TEMPORAL, 6, 20)).toEqual({ uri: uriOf('stdlib/alignment.dfl'), range: range(12, 4, 12, 14) });
  });

  it('finds the file’s defs, parameters, lets and declared inputs', async () => {
    expect(await definition(TEMPORAL, 6, 2)).toEqual({ uri: TEMPORAL, range: range(4, 4, 4, 8) });
    expect(await definition(TEMPORAL, 4, 26)).toEqual({ uri: TEMPORAL, range: range(4, 12, 4, 18) });
    expect(await definition(TEMPORAL, 6, 36)).toEqual({ uri: TEMPORAL, range: range(1, 11, 1, 16) });
    // cross-modal.dfl: `2*align` in the objective, defined by `let align = ...` on line 8.
    expect(await definition(CROSS_MODAL, 9, 50)).toEqual({ uri: CROSS_MODAL, range: range(7, 4, 7, 9) });
  });

  it('has nothing for a primitive, which has no DFL definition', async () => {
    const uri = uriOf('primitive.dfl');
    await client.open(uri, 'sum(eigvals(cov(Z)))\n');
    expect(await definition(uri, 0, 6)).toBeNull();
  });
});

describe('dflc lsp: completion and signature help', () => {
  interface Item {
    label: string;
    kind: number;
    detail?: string;
    sortText?: string;
  }

  it('offers the keyword arguments a def still takes, the file’s names, and the library', async () => {
    const uri = uriOf('complete.dfl');
    const text = 'input W : [n, k]\nlet x = cov(Z)\nbarlow(Z_t, Z_t+1, ';
    await client.open(uri, text);
    const items = await client.request<Item[]>('textDocument/completion', at(uri, 2, 19));
    expect(items.filter((i) => i.sortText === '0').map((i) => [i.label, i.detail])).toEqual([['lambda=', 'parameter of barlow(A, B, lambda=0.005)']]);
    // The file does not parse yet, so the let's shape is not known; the input's is declared.
    expect(items.filter((i) => i.sortText === '1').map((i) => [i.label, i.detail])).toEqual([
      ['W', 'input: matrix[n, k]'],
      ['x', 'let'],
    ]);
    const labels = items.map((i) => i.label);
    for (const name of ['cov', 'eigvals', 'spectrum', 'balance', 'barlow', 'uniformity']) expect(labels).toContain(name);
    expect(labels).not.toContain('let');
  });

  it('offers statement keywords at the start of a line, parameters in a def body, and nothing in a comment', async () => {
    const uri = uriOf('complete2.dfl');
    await client.open(uri, 'def g(A, B) = A\n# a comment\n');
    const start = await client.request<Item[]>('textDocument/completion', at(uri, 2, 0));
    expect(start.filter((i) => i.kind === 14).map((i) => i.label)).toEqual(['input', 'param', 'def', 'let', 'minimize']);
    const body = await client.request<Item[]>('textDocument/completion', at(uri, 0, 15));
    expect(body.filter((i) => i.sortText === '1' && i.kind === 6).map((i) => [i.label, i.detail])).toEqual([
      ['A', 'parameter of g'],
      ['B', 'parameter of g'],
    ]);
    expect(await client.request<Item[]>('textDocument/completion', at(uri, 1, 5))).toEqual([]);
  });

  it('shows the signature of the call being written, with the argument under the cursor', async () => {
    const uri = uriOf('signature.dfl');
    await client.open(uri, 'barlow(Z_t, (Z_t+1), lambda=');
    const help = (character: number) => client.request<Record<string, unknown> | null>('textDocument/signatureHelp', at(uri, 0, character));
    const signature = {
      label: 'barlow(A, B, lambda=0.005)',
      documentation: {
        kind: 'markdown',
        value:
          'Barlow Twins: the cross-correlation of two views pushed to the identity; lambda weighs the\noff-diagonal (redundancy) part against the diagonal (invariance) part.',
      },
      parameters: [{ label: 'A' }, { label: 'B' }, { label: 'lambda=0.005' }],
    };
    expect(await help(7)).toEqual({ signatures: [signature], activeSignature: 0, activeParameter: 0 });
    // Inside the grouping parentheses of the second argument: still barlow's B.
    expect(await help(15)).toEqual({ signatures: [signature], activeSignature: 0, activeParameter: 1 });
    expect(await help(28)).toEqual({ signatures: [signature], activeSignature: 0, activeParameter: 2 });
    expect(await help(3)).toBeNull();
  });
});

describe('dflc lsp: formatting, symbols, inlay hints, quick fixes', () => {
  const formatting = (uri: string) =>
    client.request<{ range: WireRange; newText: string }[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });

  it('formats as dflc fmt does, and leaves formatted files and files with syntax errors alone', async () => {
    const uri = uriOf('unformatted.dfl');
    await client.open(uri, 'let  a=cov( Z )  # kept\n\n\nminimize fro2(a)+0.5 * ortho( Z )');
    expect(await formatting(uri)).toEqual([{ range: range(0, 0, 3, 33), newText: 'let a = cov(Z) # kept\n\nminimize fro2(a) + 0.5*ortho(Z)\n' }]);
    expect(await formatting(TEMPORAL)).toEqual([]);
    const broken = uriOf('broken.dfl');
    await client.open(broken, 'let a = (Z\nfro2( a )\n');
    expect(await formatting(broken)).toEqual([]);
  });

  it('outlines a file: inputs, defs with their signatures, lets with their shapes, the objective', async () => {
    const symbols = await client.request<{ name: string; detail: string; kind: number }[]>('textDocument/documentSymbol', { textDocument: { uri: TEMPORAL } });
    expect(symbols.map((s) => [s.name, s.detail, s.kind])).toEqual([
      ['Z_t', 'input: matrix[n, d]', 13],
      ['Z_t+1', 'input: matrix[n, d]', 13],
      ['Z_t+2', 'input: matrix[n, d]', 13],
      ['flat', 'flat(Z, weight=1)', 12],
      ['objective', 'minimised', 24],
    ]);
  });

  it('shows each let’s shape after its name', async () => {
    const uri = uriOf('hints.dfl');
    await client.open(uri, 'input W : [n, k]\nlet g = gram(W)\nlet s = spectrum(Z)\nfro2(g) + sum(s)\n');
    const hints = await client.request('textDocument/inlayHint', { textDocument: { uri }, range: range(0, 0, 4, 0) });
    expect(hints).toEqual([
      { position: { line: 1, character: 5 }, label: ': matrix[k, k]', kind: 1 },
      { position: { line: 2, character: 5 }, label: ': vector[d]', kind: 1 },
    ]);
    expect(await client.request('textDocument/inlayHint', { textDocument: { uri: VICREG }, range: range(2, 0, 3, 0) })).toEqual([
      { position: { line: 2, character: 10 }, label: ': scalar', kind: 1 },
    ]);
  });

  it('turns a did-you-mean into a quick fix that replaces the misspelt name', async () => {
    const uri = uriOf('fix.dfl');
    const published = await client.open(uri, 'balanse(spectrum(Z))\n');
    const diagnostics: readonly WireDiagnostic[] = published.diagnostics;
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: range(0, 0, 0, 7), context: { diagnostics } });
    expect(actions).toEqual([
      {
        title: "Change 'balanse' to 'balance'",
        kind: 'quickfix',
        diagnostics: [diagnostics[0]],
        isPreferred: true,
        edit: { changes: { [uri]: [{ range: range(0, 0, 0, 7), newText: 'balance' }] } },
      },
    ]);
  });
});
