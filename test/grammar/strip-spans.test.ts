import { describe, expect, it } from 'vitest';
import { equalIgnoringSpans, stripSpans } from '../../grammar/strip-spans.ts';
import { parse } from '../../grammar/parse.ts';

describe('stripSpans and equalIgnoringSpans', () => {
  it('ignore where nodes are, not what they are', () => {
    const a = parse('let a = f(x, k=2)').ast.statements;
    const b = parse('\n\nlet  a =\n  f( x,k = 2 )').ast.statements;
    const c = parse('let a = f(x, k=3)').ast.statements;
    expect(stripSpans(a)).toEqual(stripSpans(b));
    expect(equalIgnoringSpans(a, b)).toBe(true);
    expect(equalIgnoringSpans(a, c)).toBe(false);
    expect(equalIgnoringSpans({ x: [1, 2] }, { x: [1, 2, 3] })).toBe(false);
    expect(equalIgnoringSpans({ x: undefined, y: 1 }, { y: 1 })).toBe(true);
  });

  it('compare trees thousands of levels deep', () => {
    const sum = Array.from({ length: 20_000 }, (_, i) => `x${i}`).join(' + ');
    const { ast } = parse(sum);
    expect(equalIgnoringSpans(ast.statements, parse(sum).ast.statements)).toBe(true);
  });
});
