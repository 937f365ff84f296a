import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { isSymmetric } from '../../../compiler/passes/symmetry.ts';
import { input, scalarConst } from './fixtures.ts';

describe('isSymmetric', () => {
  const b = new IrBuilder();
  const x = input(b, 'X', ['n', 'd']);
  const a = input(b, 'A', ['d', 'd']);
  const t = (m: ReturnType<typeof input>) => b.make('transpose', [m]);
  const gram = b.make('matmul', [t(x), x]);

  it('knows Gram matrices, their powers, scalings, sums and elementwise maps', () => {
    expect(isSymmetric(gram)).toBe(true);
    expect(isSymmetric(b.make('matmul', [x, t(x)]))).toBe(true);
    expect(isSymmetric(b.make('matmul', [gram, gram]))).toBe(true);
    expect(isSymmetric(b.make('div', [gram, scalarConst(b, 3)]))).toBe(true);
    expect(isSymmetric(b.make('exp', [b.make('add', [gram, b.make('eye', [], { n: 'd' })])]))).toBe(true);
    expect(isSymmetric(b.make('add', [a, t(a)]))).toBe(true);
    expect(isSymmetric(b.make('diag_embed', [b.make('sum_rows', [x])]))).toBe(true);
    expect(isSymmetric(t(gram))).toBe(true);
    // V diag(g) Vᵀ and Xᵀ diag(v) X, as the eigenvalue gradient writes them.
    const g = b.make('sum_rows', [a]);
    expect(isSymmetric(b.make('matmul', [b.make('mul', [a, b.make('bcast_rows', [g], { rows: 'd' })]), t(a)]))).toBe(true);
    const w = b.make('sum_cols', [x]);
    expect(isSymmetric(b.make('matmul', [t(x), b.make('mul', [b.make('bcast_cols', [w], { cols: 'd' }), x])]))).toBe(true);
  });

  it('does not claim what it cannot prove', () => {
    expect(isSymmetric(a)).toBe(false);
    expect(isSymmetric(b.make('sub', [a, t(a)]))).toBe(false);
    expect(isSymmetric(b.make('matmul', [a, a]))).toBe(false);
    expect(isSymmetric(b.make('matmul', [gram, a]))).toBe(false);
    expect(isSymmetric(x)).toBe(false);
    // X diag(v) X (no transpose) is not a congruence.
    const g = b.make('sum_rows', [a]);
    expect(isSymmetric(b.make('matmul', [b.make('mul', [a, b.make('bcast_rows', [g], { rows: 'd' })]), a]))).toBe(false);
  });
});
