import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../compiler/ir/node.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { IrShapeError } from '../../../compiler/ir/ir-error.ts';
import type { Shape } from '../../../compiler/ir/shape.ts';
import { INFIX_OPERATORS } from '../../../compiler/surface/operators.ts';
import { compileSource } from '../../helpers/compile-source.ts';

/** `def f0(X) = sum(X)`, then `def fi(X) = f(i-1)(X) + f(i-1)(X)`, then `fL(Z)`. */
function nestedDefs(levels: number): string {
  const lines = ['def f0(X) = sum(X)'];
  for (let i = 1; i <= levels; i++) lines.push(`def f${i}(X) = f${i - 1}(X) + f${i - 1}(X)`);
  lines.push(`f${levels}(Z)`);
  return lines.join('\n');
}

function reachable(root: Node): number {
  const seen = new Set<number>();
  const visit = (n: Node): void => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    n.inputs.forEach(visit);
  };
  visit(root);
  return seen.size;
}

const nodeCount = (levels: number): number => {
  const { program, diagnostics } = compileSource(nestedDefs(levels));
  expect(diagnostics).toEqual([]);
  return reachable(program!.outputs[0].node);
};

describe('elaboration of nested def calls', () => {
  it('expands a def once per distinct argument: 60 levels of f(X) + f(X) give a program linear in the levels', () => {
    // Expanded per call, this would be 2^60 expansions; the test would never finish.
    const counts = [1, 2, 30, 60].map(nodeCount);
    const perLevel = counts[1] - counts[0];
    expect(perLevel).toBeGreaterThan(0);
    expect(counts[2]).toBe(counts[0] + 29 * perLevel);
    expect(counts[3]).toBe(counts[0] + 59 * perLevel);
  });

  it('reports an error inside a def at every call that meets it, each at its own call site', () => {
    const source = 'def g(X) = X @ X\nlet a = sum(g(Z))\nlet b = sum(g(Z))\na + b';
    const errors = compileSource(source).diagnostics.filter((d) => d.code === 'shape-mismatch');
    expect(errors.map((d) => `${d.span.start.line}:${d.span.start.column}`)).toEqual(['2:13', '3:13']);
  });
});

describe('infix operators', () => {
  const dims = ['n', 'd', 3] as const;
  const shapes = fc.oneof(
    fc.constant<Shape>([]),
    fc.constantFrom(...dims).map((a): Shape => [a]),
    fc.tuple(fc.constantFrom(...dims), fc.constantFrom(...dims)).map(([a, b]): Shape => [a, b]),
  );

  it("refuse operands exactly when the IR's shape rules refuse the lowering, and accept all others", () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(INFIX_OPERATORS) as (keyof typeof INFIX_OPERATORS)[])), shapes, shapes, (op, ls, rs) => {
        const operator = INFIX_OPERATORS[op];
        const b = new IrBuilder();
        const left = b.make('input', [], { name: 'L', shape: [...ls] });
        const right = b.make('input', [], { name: 'R', shape: [...rs] });
        let lowered: Node | undefined;
        if (operator.ranks?.(ls, rs) === undefined) {
          try {
            lowered = operator.lower({ b, epsilon: 1e-12 }, left, right);
          } catch (error) {
            if (!(error instanceof IrShapeError)) throw error;
          }
        }
        const decls = `input L : [${ls.join(', ')}]\ninput R : [${rs.join(', ')}]\n`;
        const result = compileSource(`${decls}let V = L ${op} R\nsum(V)`);
        expect(result.diagnostics.filter((d) => d.code === 'shape-mismatch').length).toBe(lowered === undefined ? 1 : 0);
        if (lowered !== undefined) expect(result.program?.inputs.length).toBe(2);
      }),
      { numRuns: 200 },
    );
  });
});
