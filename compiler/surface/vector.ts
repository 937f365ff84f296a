import { isSymmetric } from '../passes/symmetry.ts';
import { guardedLog } from './guards.ts';
import type { Primitive } from './primitive.ts';

/** Spectral, vector and shape-constant primitives. */
export const vectorPrimitives: readonly Primitive[] = [
  {
    name: 'eigvals',
    params: [{ name: 'M', kind: 'square' }],
    doc: 'eigenvalues of the symmetric part (M + Mᵀ)/2, descending: M itself when M is symmetric',
    // A matrix dflc cannot prove symmetric is symmetrised, so that eigvals is defined (and its
    // gradient V diag(g) Vᵀ exact) for every square matrix, not only for those built symmetric.
    lower: ({ b }, [m]) => {
      const symmetric = isSymmetric(m) ? m : b.make('mul', [b.make('add', [m, b.make('transpose', [m])]), b.make('const', [], { value: 0.5, shape: [] })]);
      return b.make('eigvals', [b.make('eigh', [symmetric])]);
    },
  },
  {
    name: 'entropy',
    params: [{ name: 'p', kind: 'vector' }],
    doc: '−Σ pᵢ log pᵢ (natural log; log guarded so that pᵢ = 0 contributes 0)',
    lower: (cx, [p]) => cx.b.make('neg', [cx.b.make('sum', [cx.b.make('mul', [p, guardedLog(cx, p)])])]),
  },
  {
    name: 'len',
    params: [{ name: 'v', kind: 'vector' }],
    doc: 'the length of a vector, as a scalar',
    lower: ({ b }, [v]) => b.make('dimsize', [], { dim: v.shape[0] }),
  },
  {
    name: 'rows',
    params: [{ name: 'M', kind: 'matrix' }],
    doc: 'the number of rows of a matrix, as a scalar',
    lower: ({ b }, [m]) => b.make('dimsize', [], { dim: m.shape[0] }),
  },
  {
    name: 'cols',
    params: [{ name: 'M', kind: 'matrix' }],
    doc: 'the number of columns of a matrix, as a scalar',
    lower: ({ b }, [m]) => b.make('dimsize', [], { dim: m.shape[1] }),
  },
];
