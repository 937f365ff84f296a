import { elementwiseUnary } from './elementwise.ts';

/** -x, entry by entry. */
export const neg = elementwiseUnary({
  kernel: (x) => -x,
  facts: { linear: true },
  // Its own transpose: x̄ = -g.
  cotangent: (b, g) => b.make('neg', [g]),
});
