import { elementwiseUnary } from './elementwise.ts';

/** |x|, entry by entry. */
export const abs = elementwiseUnary({
  kernel: Math.abs,
  // d/dx |x| = sign(x); at 0 the subgradient 0.
  cotangent: (b, g, x) => b.make('mul', [g, b.make('sign', [x])]),
});
