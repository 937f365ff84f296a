import type { Node } from '../ir/node.ts';
import { guardedSqrt } from './guards.ts';
import type { LowerContext, Primitive } from './primitive.ts';

/** The number of entries of `x` as a scalar node (symbolic until sizes are bound). */
export function entryCount({ b }: LowerContext, x: Node): Node {
  let count: Node = b.make('const', [], { value: 1, shape: [] });
  for (const dim of x.shape) count = b.make('mul', [count, b.make('dimsize', [], { dim })]);
  return count;
}

export function fro2({ b }: LowerContext, x: Node): Node {
  return b.make('sum', [b.make('square', [x])]);
}

/** Reductions of all entries to a scalar. */
export const reductionPrimitives: readonly Primitive[] = [
  { name: 'sum', params: [{ name: 'x', kind: 'any' }], doc: 'sum of all entries', lower: ({ b }, [x]) => b.make('sum', [x]) },
  {
    name: 'mean',
    params: [{ name: 'x', kind: 'any' }],
    doc: 'mean of all entries',
    lower: (cx, [x]) => cx.b.make('div', [cx.b.make('sum', [x]), entryCount(cx, x)]),
  },
  {
    name: 'max',
    params: [{ name: 'x', kind: 'any' }],
    doc: 'largest entry (at ties the gradient is split evenly)',
    lower: ({ b }, [x]) => b.make('max', [x]),
  },
  {
    name: 'min',
    params: [{ name: 'x', kind: 'any' }],
    doc: 'smallest entry (at ties the gradient is split evenly)',
    lower: ({ b }, [x]) => b.make('min', [x]),
  },
  { name: 'fro2', params: [{ name: 'x', kind: 'any' }], doc: 'sum of squares of all entries', lower: (cx, [x]) => fro2(cx, x) },
  {
    name: 'norm',
    params: [{ name: 'x', kind: 'any' }],
    doc: 'Euclidean (Frobenius) norm: sqrt(fro2(x)), guarded at 0',
    lower: (cx, [x]) => guardedSqrt(cx, fro2(cx, x)),
  },
];
