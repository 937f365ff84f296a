import { noFlops } from '../ir/flops.ts';
import { elementwiseUnary } from './elementwise.ts';

/**
 * The identity in value, a constant for differentiation: nothing flows back through it. Not
 * marked `linear`, so that no pass treats it as an ordinary linear op and moves it away.
 */
export const stopGradient = elementwiseUnary({
  cost: noFlops,
  kernel: (x) => x,
  cotangent: null,
});
