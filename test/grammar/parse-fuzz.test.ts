import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../grammar/diagnostic.ts';
import { format } from '../../grammar/format.ts';
import { LineIndex } from '../../grammar/line-index.ts';
import { MAX_NESTING } from '../../grammar/nesting.ts';
import { parse } from '../../grammar/parse.ts';
import type { Span } from '../../grammar/span.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';
import { stripSpans } from '../helpers/strip-spans.ts';

/**
 * Garbage in, diagnostics out: the parser never throws, never takes long, and every span it
 * reports lies inside the text with line and column matching the offset. Inputs that do parse
 * must survive formatting unchanged in meaning.
 */

function expectSpanInside(span: Span, lines: LineIndex): void {
  const { start, end } = span;
  expect(0 <= start.offset && start.offset <= end.offset && end.offset <= lines.text.length).toBe(true);
  expect(start).toEqual(lines.position(start.offset));
  expect(end).toEqual(lines.position(end.offset));
}

/**
 * CPU milliseconds `work` takes. CPU time rather than wall time, so that other processes on a busy
 * machine do not make a fast parse look slow.
 */
function cpuMs(work: () => unknown): number {
  const began = process.cpuUsage();
  work();
  const { user, system } = process.cpuUsage(began);
  return (user + system) / 1000;
}

function checkParse(text: string): void {
  let result: ReturnType<typeof parse> | undefined;
  // A slow first run may be a garbage collection or a first-time path; a hang is slow twice.
  if (cpuMs(() => (result = parse(text))) >= 50) expect(cpuMs(() => parse(text))).toBeLessThan(50);
  const { ast, diagnostics } = result!;
  const lines = new LineIndex(text);
  for (const d of diagnostics as Diagnostic[]) {
    expect(d.code).not.toBe('internal');
    expectSpanInside(d.span, lines);
    for (const r of d.related ?? []) expectSpanInside(r.span, lines);
  }
  for (const s of ast.statements) expectSpanInside(s.span, lines);
  if (diagnostics.length === 0) {
    const again = parse(format(ast));
    expect(again.diagnostics).toEqual([]);
    expect(stripSpans(again.ast.statements)).toEqual(stripSpans(ast.statements));
  }
}

/** Mostly DFL's own characters, so that random text gets past the lexer and into the parser. */
const dflish = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...'Z_t+1-2*/^@()[],=:#. \n\te'.split(''), 'let ', 'def ', 'input ', 'minimize ', 'Z_t', 'f(') },
    { weight: 2, arbitrary: fc.constantFrom(...'abcxyzABC0123456789'.split('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 1 }) },
  ),
  maxLength: 60,
});

const programs = [
  readFileSync(join(REPO_ROOT, 'examples', 'card.dfl'), 'utf8'),
  'input Z_t, Z_t+1 : [n, d]\ndef f(x, gamma=2, lo=-1) = -x^2 @ t(x) / (gamma - lo)\nlet a = f(Z_t+1, gamma=0.5)\nminimize a + 1e-3*H_t-2',
  ...readdirSync(join(REPO_ROOT, 'stdlib'))
    .filter((f) => f.endsWith('.dfl'))
    .map((f) => readFileSync(join(REPO_ROOT, 'stdlib', f), 'utf8')),
];

const TOKEN = /#[^\n]*|[A-Za-z][A-Za-z0-9_]*(?:_t[+-][0-9]+)?|[0-9.]+(?:e[+-]?[0-9]+)?|\s+|./g;

type Edit = { kind: 'delete' | 'duplicate' | 'swap'; at: number };

const mutated = fc
  .tuple(fc.constantFrom(...programs), fc.array(fc.record({ kind: fc.constantFrom('delete', 'duplicate', 'swap'), at: fc.nat() }), { minLength: 1, maxLength: 4 }))
  .map(([program, edits]: [string, Edit[]]) => {
    const tokens = program.match(TOKEN) ?? [];
    for (const { kind, at } of edits) {
      const i = at % tokens.length;
      if (kind === 'delete') tokens.splice(i, 1);
      else if (kind === 'duplicate') tokens.splice(i, 0, tokens[i]);
      else if (i + 1 < tokens.length) [tokens[i], tokens[i + 1]] = [tokens[i + 1], tokens[i]];
    }
    return tokens.join('');
  });

describe('parse on random and damaged input', () => {
  it('handles 10,000 random strings', () => {
    fc.assert(fc.property(dflish, checkParse), { numRuns: 7_000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), checkParse), { numRuns: 3_000 });
  });

  it('handles valid programs with tokens deleted, duplicated and swapped', () => {
    fc.assert(fc.property(mutated, checkParse), { numRuns: 2_000 });
  });

  it('reports deep nesting instead of crashing', () => {
    const deep = `${'('.repeat(20_000)}1${')'.repeat(20_000)}`;
    const { diagnostics } = parse(deep);
    expect(diagnostics.map((d) => d.message)).toEqual(['this file nests expressions too deeply for dflc to parse']);
  });

  it('parses a long flat sum quickly', () => {
    // Just under the nesting limit (grammar/nesting.ts); longer chains are refused, see test/compiler/long-chains.test.ts.
    const long = Array.from({ length: MAX_NESTING - 2 }, (_, i) => `f(Z_t+${i + 1})`).join(' + ');
    let result: ReturnType<typeof parse> | undefined;
    expect(cpuMs(() => (result = parse(long)))).toBeLessThan(2_000);
    expect(result!.diagnostics).toEqual([]);
    expect(result!.ast.statements).toHaveLength(1);
    expect(format(result!.ast)).toBe(`${long}\n`);
  });
});
