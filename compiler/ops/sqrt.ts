import { elementwiseUnary, scalar } from './elementwise.ts';

/** Square root, entry by entry. */
export const sqrt = elementwiseUnary({
  kernel: Math.sqrt,
  // d/dx √x = 1/(2√x): reuse the forward output.
  cotangent: (b, g, _x, out) => b.make('div', [g, b.make('mul', [scalar(b, 2), out])]),
});
