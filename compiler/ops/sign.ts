import { elementwiseUnary } from './elementwise.ts';

/** -1, 0 or 1 (0 for both zeros; NaN stays NaN). Piecewise constant: no gradient. */
export const sign = elementwiseUnary({
  kernel: (x) => Math.sign(x) + 0,
  cotangent: null,
});
