import { elementwiseUnary } from './elementwise.ts';

/** max(x, 0), entry by entry (NaN stays NaN). */
export const relu = elementwiseUnary({
  kernel: (x) => Math.max(x, 0),
  // d/dx relu(x) = step(x): 0 at the kink.
  cotangent: (b, g, x) => b.make('mul', [g, b.make('step', [x])]),
});
