import { describe, expect, it } from 'vitest';
import type { Binary, Call, Expr, SourceFile } from '../../grammar/ast.ts';
import { parse } from '../../grammar/parse.ts';
import { stripSpans } from '../helpers/strip-spans.ts';

function onlyExpr(source: string): Expr {
  const { ast, diagnostics } = parse(source);
  expect(diagnostics).toEqual([]);
  const [statement] = ast.statements;
  if (statement?.kind !== 'expr') throw new Error(`not one expression: ${source}`);
  return statement.value;
}

/** Fully parenthesised, to read a tree's grouping at a glance. */
function shape(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'name':
      return e.name;
    case 'timeref':
      return `${e.stream}@${e.offset}`;
    case 'unary':
      return `(-${shape(e.operand)})`;
    case 'binary':
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case 'call':
      return `${e.callee}[${e.args.map((a) => (a.name === undefined ? '' : `${a.name}=`) + shape(a.value)).join(', ')}]`;
  }
}

describe('parse', () => {
  it("reads the card's objective as a sum whose last call takes Z_t+1 as one time reference", () => {
    const e = onlyExpr('balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)');
    expect(shape(e)).toBe('((balance[spectrum[Z]] + (0.5 * ortho[Z])) + consistent[Z@0, Z@1])');
    const last = (e as Binary).right as Call;
    expect(stripSpans(last.args.at(-1)!.value)).toEqual({ kind: 'timeref', stream: 'Z', offset: 1 });
  });

  it('reads Z_t + 1 as a sum of a time reference and a number', () => {
    expect(stripSpans(onlyExpr('Z_t + 1'))).toEqual({
      kind: 'binary',
      op: '+',
      left: { kind: 'timeref', stream: 'Z', offset: 0 },
      right: { kind: 'number', value: 1, raw: '1' },
    });
  });

  it.each([
    ['a - b - c', '((a - b) - c)'],
    ['a + b * c', '(a + (b * c))'],
    ['a * b @ c / d', '(((a * b) @ c) / d)'],
    ['-2^2', '(-(2 ^ 2))'],
    ['2^-1', '(2 ^ (-1))'],
    ['a^b^c', '(a ^ (b ^ c))'],
    ['-a * b', '((-a) * b)'],
    ['a * -b', '(a * (-b))'],
    ['--a', '(-(-a))'],
    ['(a + b) * c', '((a + b) * c)'],
    ['f(x, gamma=2, lo=-1)', 'f[x, gamma=2, lo=(-1)]'],
    ['H_t-2 - Z_t', '(H@-2 - Z@0)'],
    ['1e-3 + .25', '(0.001 + 0.25)'],
  ])('groups %s as %s', (source, expected) => {
    expect(shape(onlyExpr(source))).toBe(expected);
  });

  it('reads every statement kind', () => {
    const source = 'input Z_t, Z_t+1, W : [n, 64]\ndef f(x, gamma=2, lo=-0.5) = x\nlet a = f(W)\nminimize a';
    const { ast, diagnostics } = parse(source);
    expect(diagnostics).toEqual([]);
    expect(stripSpans(ast.statements)).toEqual([
      {
        kind: 'input',
        names: [
          { kind: 'timeref', stream: 'Z', offset: 0 },
          { kind: 'timeref', stream: 'Z', offset: 1 },
          { kind: 'name', name: 'W' },
        ],
        shape: [
          { kind: 'symbol', name: 'n' },
          { kind: 'int', value: 64 },
        ],
      },
      {
        kind: 'def',
        name: 'f',
        params: [{ name: 'x' }, { name: 'gamma', default: { kind: 'number', value: 2, raw: '2' } }, { name: 'lo', default: { kind: 'number', value: -0.5, raw: '-0.5' } }],
        body: { kind: 'name', name: 'x' },
      },
      { kind: 'let', name: 'a', value: { kind: 'call', callee: 'f', args: [{ value: { kind: 'name', name: 'W' } }] } },
      { kind: 'minimize', value: { kind: 'name', name: 'a' } },
    ]);
  });

  it('ends a statement at a line end where it could end, and continues it where it cannot', () => {
    expect(parse('let s = spectrum(Z)\n-effrank(Z)').ast.statements.map((s) => s.kind)).toEqual(['let', 'expr']);
    const { ast, diagnostics } = parse('let a =\n  f(x,\n    y) +\n  2\na');
    expect(diagnostics).toEqual([]);
    expect(ast.statements.map((s) => s.kind)).toEqual(['let', 'expr']);
  });

  it('gives exact spans: 1-based lines and columns, 0-based offsets, end exclusive', () => {
    const { ast } = parse('# c\nlet a = f(x,\n  Z_t+1)');
    const statement = ast.statements[0];
    if (statement.kind !== 'let') throw new Error('expected a let');
    expect(statement.span).toEqual({ start: { line: 2, column: 1, offset: 4 }, end: { line: 3, column: 9, offset: 25 } });
    expect(statement.nameSpan).toEqual({ start: { line: 2, column: 5, offset: 8 }, end: { line: 2, column: 6, offset: 9 } });
    const call = statement.value as Call;
    expect(call.calleeSpan.start.column).toBe(9);
    expect(call.args[1].value.span).toEqual({ start: { line: 3, column: 3, offset: 19 }, end: { line: 3, column: 8, offset: 24 } });
    expect(ast.comments).toEqual([{ text: '# c', span: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 4, offset: 3 } } }]);
  });

  it('widens the span of a parenthesised operand to its parentheses', () => {
    const e = onlyExpr('(a + b)*c') as Binary;
    expect([e.left.span.start.column, e.left.span.end.column]).toEqual([1, 8]);
  });

  it('counts \\r\\n and \\r as one line break each', () => {
    const { ast } = parse('let a = 1\r\nlet b = 2\rb');
    expect(ast.statements.map((s) => s.span.start.line)).toEqual([1, 2, 3]);
  });

  it('returns an empty file for empty and comment-only text', () => {
    const empty: SourceFile = parse('').ast;
    expect(empty.statements).toEqual([]);
    expect(parse('# only\n').ast.comments.map((c) => c.text)).toEqual(['# only']);
  });
});
