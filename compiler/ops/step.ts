import { elementwiseUnary } from './elementwise.ts';

/** 1 where x > 0, else 0 (NaN stays NaN). Piecewise constant: no gradient. */
export const step = elementwiseUnary({
  kernel: (x) => (x > 0 ? 1 : x <= 0 ? 0 : Number.NaN),
  cotangent: null,
});
