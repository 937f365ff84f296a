import { describe, expect, it } from 'vitest';
import type { Expr } from '../../grammar/ast.ts';
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
    // Built by hand: the parser refuses expressions this deep (grammar/nesting.ts).
    const deep = (length: number, at: number): Expr => {
      const span = parse(' '.repeat(at) + 'x').ast.statements[0].span;
      let tree: Expr = { kind: 'name', name: 'x0', span };
      for (let i = 1; i < length; i++) tree = { kind: 'binary', op: '+', left: tree, right: { kind: 'name', name: `x${i}`, span }, span };
      return tree;
    };
    expect(equalIgnoringSpans(deep(20_000, 0), deep(20_000, 3))).toBe(true);
    expect(equalIgnoringSpans(deep(20_000, 0), deep(19_999, 0))).toBe(false);
  });
});
