import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../grammar/ast.ts';
import { format, formatExpr } from '../../grammar/format.ts';
import { parse } from '../../grammar/parse.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';

function fmt(source: string): string {
  const { ast, diagnostics } = parse(source);
  expect(diagnostics).toEqual([]);
  return format(ast);
}

describe('format', () => {
  it('leaves the card example byte-identical', () => {
    const card = readFileSync(join(REPO_ROOT, 'examples', 'card.dfl'), 'utf8');
    expect(fmt(card)).toBe(card);
    expect(fmt('balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)\n')).toBe(
      'balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)\n',
    );
  });

  it.each([
    ['Z_t + 1', 'Z_t + 1'],
    ['Z_t+1', 'Z_t+1'],
    ['H_t-2-1', 'H_t-2 - 1'],
    ['a+b*c', 'a + b*c'],
    ['(a+b)*c', '(a + b) * c'],
    ['(a+b)*c + 1', '(a + b)*c + 1'],
    ['x/(n*(n-1))', 'x / (n * (n - 1))'],
    ['a + b*c/d', 'a + b*c/d'],
    ['a + f(b*c)', 'a + f(b * c)'],
    ['a - 2*(b + c*d)', 'a - 2*(b + c*d)'],
    ['A@B + C', 'A@B + C'],
    ['-a*b', '-a * b'],
    ['a^2*b^-1', 'a^2 * b^-1'],
    ['a-(b-c)', 'a - (b - c)'],
    ['(a-b)-c', 'a - b - c'],
    ['a*(b*c)', 'a * (b * c)'],
    ['a @ b', 'a @ b'],
    ['-2^2', '-2^2'],
    ['(-2)^2', '(-2)^2'],
    ['2^-1', '2^-1'],
    ['(a^b)^c', '(a^b)^c'],
    ['a^(b^c)', 'a^b^c'],
    ['-(a+b)', '-(a + b)'],
    ['((((x))))', 'x'],
    ['f( x , gamma = 2 )', 'f(x, gamma=2)'],
    ['0.50 + .25 + 1E+5', '0.50 + .25 + 1E+5'],
    ['def  f( x , g = - 1.50 )=x*g', 'def f(x, g=-1.50) = x * g'],
    ['let a=1', 'let a = 1'],
    ['minimize   a', 'minimize a'],
    ['input Z_t,Z_t+1:[ n,64 ]', 'input Z_t, Z_t+1 : [n, 64]'],
  ])('%s -> %s', (source, expected) => {
    expect(fmt(source)).toBe(`${expected}\n`);
  });

  it('keeps comments where they were and collapses blank lines', () => {
    const source = [
      '## The objective.',
      '',
      '',
      '',
      'let   a = f(x,   # why x',
      '  y)   # trailing   ',
      '# before b',
      'let b=2',
      '',
      'a + b',
      '# the end',
    ].join('\n');
    expect(fmt(source)).toBe(
      ['## The objective.', '', '# why x', 'let a = f(x, y) # trailing', '# before b', 'let b = 2', '', 'a + b', '# the end', ''].join('\n'),
    );
  });

  it('is idempotent on its own output', () => {
    const once = fmt('# c\n\n\nlet a = f(x,\n # inner\n y)\n\n\na # t\n');
    expect(fmt(once)).toBe(once);
  });

  it('prints built trees that have no source spelling', () => {
    const span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
    const minusOne: Expr = { kind: 'number', value: -1, span };
    const tree: Expr = { kind: 'binary', op: '^', left: minusOne, right: { kind: 'number', value: 0.5, span }, span };
    expect(formatExpr(tree)).toBe('(-1)^0.5');
  });

  it('prints an empty file as nothing', () => {
    expect(fmt('')).toBe('');
    expect(fmt('\n\n# c\n\n')).toBe('# c\n');
  });
});
