import { elementwiseUnary } from './elementwise.ts';

/** -x, entry by entry. */
export const neg = elementwiseUnary({
  name: 'neg',
  kernel: (x) => -x,
  facts: { linear: true },
  // Its own transpose: x̄ = -g.
  cotangent: (b, g) => b.make('neg', [g]),
});
