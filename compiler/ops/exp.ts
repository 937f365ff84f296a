import { elementwiseUnary } from './elementwise.ts';

/** e^x, entry by entry. */
export const exp = elementwiseUnary({
  kernel: Math.exp,
  // d/dx e^x = e^x: reuse the forward output instead of recomputing it.
  cotangent: (b, g, _x, out) => b.make('mul', [g, out]),
});
