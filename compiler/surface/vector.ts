import { guardedLog } from './guards.ts';
import type { Primitive } from './primitive.ts';

/** Spectral, vector and shape-constant primitives. */
export const vectorPrimitives: readonly Primitive[] = [
  {
    name: 'eigvals',
    params: [{ name: 'M', kind: 'square' }],
    doc: 'eigenvalues of a symmetric matrix, descending (the gradient is V diag(g) Vᵀ)',
    lower: ({ b }, [m]) => b.make('eigvals', [b.make('eigh', [m])]),
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
