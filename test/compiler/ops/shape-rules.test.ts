import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Node } from '../../../compiler/ir/node.ts';
import type { Shape } from '../../../compiler/ir/shape.ts';
import type { OpName } from '../../../compiler/ops/registry.ts';
import type { Attrs } from '../../../compiler/ir/node.ts';

/** Shape rules refuse with a message that prints the shapes and says what was expected. */
const REFUSALS: [op: OpName, inputs: Shape[], attrs: Attrs, message: string][] = [
  ['add', [['n', 'd'], ['d']], {}, 'shapes must match or one must be a scalar, got matrix[n, d] and vector[d]'],
  ['mul', [['n', 'd'], ['d', 'n']], {}, 'got matrix[n, d] and matrix[d, n]'],
  ['pow', [['d'], ['d']], {}, '^ expects a scalar exponent, got vector[d]'],
  ['matmul', [['n', 'd'], ['n', 'd']], {}, 'columns of the left (d) to match the rows of the right (n)'],
  ['matmul', [['d'], ['d', 'n']], {}, '@ expects two matrices, got vector[d] and matrix[d, n]'],
  ['transpose', [['d']], {}, 'transpose expects a matrix, got vector[d]'],
  ['diag', [['n', 'd']], {}, 'diag expects a square matrix, got matrix[n, d]'],
  ['diag_embed', [['n', 'd']], {}, 'diag_embed expects a vector, got matrix[n, d]'],
  ['eigh', [['n', 'd']], {}, 'eigh expects a square matrix, got matrix[n, d]'],
  ['sum_rows', [['d']], {}, 'sum_rows expects a matrix, got vector[d]'],
  ['sum_cols', [[]], {}, 'sum_cols expects a matrix, got scalar'],
  ['broadcast', [['d']], { shape: ['n', 'd'] }, 'broadcast expects a scalar, got vector[d]'],
  ['bcast_rows', [['n', 'd']], { rows: 'n' }, 'bcast_rows expects a vector, got matrix[n, d]'],
  ['bcast_cols', [[]], { cols: 'd' }, 'bcast_cols expects a vector, got scalar'],
  ['pad', [[5]], { length: 3 }, 'pad cannot shorten vector[5] to length 3'],
  ['slice', [[2]], { length: 3 }, 'slice cannot take 3 entries of vector[2]'],
  ['pad', [['n', 'd']], { length: 'd' }, 'pad expects a vector, got matrix[n, d]'],
];

describe('shape rules', () => {
  for (const [op, shapes, attrs, message] of REFUSALS) {
    it(`${op}(${shapes.map((s) => JSON.stringify(s)).join(', ')}) is refused`, () => {
      const b = new IrBuilder();
      const inputs: Node[] = shapes.map((shape, i) => b.make('input', [], { name: `x${i}`, shape }));
      expect(() => b.make(op, inputs, attrs)).toThrow(message);
    });
  }

  it('symbolic pad and slice lengths are accepted and checked at evaluation', () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'x', shape: ['n'] });
    expect(b.make('pad', [x], { length: 'd' }).shape).toEqual(['d']);
    expect(b.make('slice', [x], { length: 'd' }).shape).toEqual(['d']);
  });

  it('broadcasting ops keep the larger shape whichever side the scalar is on', () => {
    const b = new IrBuilder();
    const m = b.make('input', [], { name: 'm', shape: ['n', 'd'] });
    const k = b.make('input', [], { name: 'k', shape: [] });
    for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'eq'] as const) {
      expect(b.make(op, [m, k]).shape).toEqual(['n', 'd']);
      expect(b.make(op, [k, m]).shape).toEqual(['n', 'd']);
    }
    expect(b.make('pow', [m, k]).shape).toEqual(['n', 'd']);
  });

  it('malformed dimension attributes are internal errors', () => {
    const b = new IrBuilder();
    expect(() => b.make('eye', [], { n: 0 })).toThrow("attribute 'n' must be a positive integer or a dimension name");
    expect(() => b.make('const', [], { value: 'x', shape: [] })).toThrow("attribute 'value' must be a number");
  });
});
