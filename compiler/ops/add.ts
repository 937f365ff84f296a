import { elementwiseBinary } from './elementwise.ts';

/** x + y. */
export const add = elementwiseBinary({
  kernel: (x, y) => x + y,
  facts: { commutative: true, linear: true },
  // Both operands receive the cotangent unchanged (summed down where one was a scalar).
  cotangents: (_b, g) => [g, g],
});
