import type { OpName } from '../ops/registry.ts';
import { guardedLog, guardedSqrt } from './guards.ts';
import type { Primitive } from './primitive.ts';

function unary(name: string, op: OpName, doc: string): Primitive {
  return { name, params: [{ name: 'x', kind: 'any' }], doc, lower: ({ b }, [x]) => b.make(op, [x]) };
}

/** Entry-by-entry functions. */
export const elementwisePrimitives: readonly Primitive[] = [
  {
    name: 'log',
    params: [{ name: 'x', kind: 'any' }],
    doc: 'natural logarithm, entry by entry (guarded: the argument is clamped at ε times its largest entry)',
    lower: (cx, [x]) => guardedLog(cx, x),
  },
  unary('exp', 'exp', 'e to the power x, entry by entry'),
  {
    name: 'sqrt',
    params: [{ name: 'x', kind: 'any' }],
    doc: 'square root, entry by entry (guarded: negative rounding noise and zeros give a tiny finite root)',
    lower: (cx, [x]) => guardedSqrt(cx, x),
  },
  unary('abs', 'abs', 'absolute value, entry by entry'),
  unary('square', 'square', 'x², entry by entry'),
  unary('relu', 'relu', 'max(x, 0), entry by entry'),
  unary('softplus', 'softplus', 'log(1 + eˣ), entry by entry, computed stably'),
  unary('tanh', 'tanh', 'hyperbolic tangent, entry by entry: values in (−1, 1)'),
  {
    name: 'clamp',
    params: [
      { name: 'x', kind: 'any' },
      { name: 'lo', kind: 'scalar' },
      { name: 'hi', kind: 'scalar' },
    ],
    doc: 'x limited to [lo, hi], entry by entry',
    lower: ({ b }, [x, lo, hi]) => b.make('minimum', [b.make('maximum', [x, lo]), hi]),
  },
];
