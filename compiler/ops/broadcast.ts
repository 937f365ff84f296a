import { asTensor, filled } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { shapeAttr } from '../ir/attrs.ts';
import { expectRank, resolveShape } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** A scalar repeated over attrs.shape. */
export const broadcast = linearUnary({
  cost: noFlops,
  shape: ([x], attrs) => expectRank('broadcast', x, 0) ?? shapeAttr(attrs),
  evaluate: ([value], attrs, sizes) => filled(resolveShape(shapeAttr(attrs), sizes), asTensor(value).data[0]),
  // Transpose: sum the cotangent back to a scalar.
  transpose: (b, g) => b.make('sum', [g]),
});
