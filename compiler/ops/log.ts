import { elementwiseUnary } from './elementwise.ts';

/** Natural logarithm, entry by entry (no guard here: DFL's guards are explicit `maximum`s). */
export const log = elementwiseUnary({
  kernel: Math.log,
  // d/dx log x = 1/x.
  cotangent: (b, g, x) => b.make('div', [g, x]),
});
