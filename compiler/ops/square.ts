import { elementwiseUnary, scalar } from './elementwise.ts';

/** x², entry by entry. */
export const square = elementwiseUnary({
  kernel: (x) => x * x,
  // d/dx x² = 2x.
  cotangent: (b, g, x) => b.make('mul', [b.make('mul', [scalar(b, 2), g]), x]),
});
