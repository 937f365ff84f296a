import { describe, expect, it } from 'vitest';
import { checkObjective } from '../../runtime/objective.ts';

/** `dflc check` promises every problem: one bad name must not hide the next in the same statement. */
describe('checking goes on after an error where the rest can still be checked', () => {
  it('reports every unknown function of a statement, in source order', () => {
    const source = 'foo(Z) + bar(baz(Z)) + sum(quux(Z)) + Z_t @ nope(Z)\n';
    const { diagnostics } = checkObjective('bad.dfl', source);
    expect(diagnostics.map((d) => [d.code, d.message, d.span.start.column])).toEqual([
      ['unknown-function', "unknown function 'foo'", 1],
      ['unknown-function', "unknown function 'bar'", 10],
      ['unknown-function', "unknown function 'baz'", 14],
      ['unknown-function', "unknown function 'quux'", 28],
      ['unknown-function', "unknown function 'nope'", 45],
    ]);
  });

  it('reports a shape error beside an unknown name in the other operand', () => {
    const { diagnostics } = checkObjective('bad.dfl', 'ortho(spectrum(Z)) + balanse(spectrum(Z))\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['shape-mismatch', 'unknown-function']);
    expect(diagnostics[1].message).toBe("unknown function 'balanse'; did you mean 'balance'?");
  });
});
