import { elementwiseBinary } from './elementwise.ts';

/** 1 where x = y, else 0 (NaN if either is NaN). Piecewise constant: no gradient. */
export const eq = elementwiseBinary({
  kernel: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : x === y ? 1 : 0),
  facts: { commutative: true },
  cotangents: null,
});
