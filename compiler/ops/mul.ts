import { elementwiseBinary } from './elementwise.ts';

/** x * y, entry by entry. Bilinear: each operand's cotangent is g times the other operand. */
export const mul = elementwiseBinary({
  kernel: (x, y) => x * y,
  facts: { commutative: true },
  cotangents: (b, g, x, y) => [b.make('mul', [g, y]), b.make('mul', [g, x])],
});
