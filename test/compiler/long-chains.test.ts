import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format } from '../../grammar/format.ts';
import { MAX_NESTING, nestingDepth } from '../../grammar/nesting.ts';
import { parse } from '../../grammar/parse.ts';
import { compileValueAndGrad } from '../../compiler/pipeline.ts';
import { checkObjective } from '../../runtime/objective.ts';

/**
 * Machine-written objectives get long: a flat chain of 10,000 terms used to end in "Maximum call
 * stack size exceeded" (exit 3). Every chain, up to 100,000 terms, either compiles or gets the
 * nesting limit's error; none throws.
 */

const TERMS = ['sum(Z)', 'mean(Z_t)', '2', 'fro2(Z)', '(0.5 * norm(Z))'];
const OPS = [' + ', ' - ', ' * ', ' / '];

/** A one-line chain of `length` terms, from picks of terms and operators. */
function chain(length: number, picks: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i++) {
    const pick = picks[i % picks.length];
    if (i > 0) parts.push(OPS[pick % OPS.length]);
    parts.push(TERMS[(pick >> 2) % TERMS.length]);
  }
  return `${parts.join('')}\n`;
}

function expectCompilesOrIsRefused(source: string): void {
  const checked = checkObjective('chain.dfl', source);
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    expect(errors.map((d) => d.code)).toEqual(['too-deep']);
    expect(errors[0].message).toContain(`dflc accepts up to ${MAX_NESTING.toLocaleString('en-US')}`);
    return;
  }
  expect(checked.program).toBeDefined();
  const { program } = compileValueAndGrad(checked.program!, {});
  expect(program.outputs.map((o) => o.name)).toContain('value');
}

describe('long flat chains', () => {
  it('10,000 and 100,000 terms get the nesting limit, a chain under it compiles', () => {
    for (const length of [10_000, 100_000]) {
      const checked = checkObjective('chain.dfl', chain(length, [0]));
      expect(checked.diagnostics.map((d) => d.code)).toEqual(['too-deep']);
      expect(checked.diagnostics[0].span.start.line).toBe(1);
    }
    expectCompilesOrIsRefused(chain(MAX_NESTING - 10, [0, 5, 6, 3]));
  }, 120_000);

  it('the depth is counted without recursion and matches the chain', () => {
    const { ast } = parse(chain(50, [0]));
    expect(ast.statements).toHaveLength(1);
    const statement = ast.statements[0];
    expect(statement.kind === 'expr' && nestingDepth(statement.value)).toBe(51);
  });

  it('property: a chain of any length up to 100,000 terms compiles or is refused, never throws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.array(fc.nat(19), { minLength: 1, maxLength: 8 }), (length, picks) => {
        expectCompilesOrIsRefused(chain(length, picks));
      }),
      { numRuns: 6, examples: [[MAX_NESTING - 1, [0]], [MAX_NESTING + 1, [1]]] },
    );
  }, 300_000);

  it('a chain under the limit survives formatting', () => {
    const source = chain(MAX_NESTING - 10, [0, 1]);
    expect(parse(format(parse(source).ast)).diagnostics).toEqual([]);
  }, 60_000);
});
