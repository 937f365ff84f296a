import { formatShape } from '../ir/shape.ts';
import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { dimAttr } from '../ir/attrs.ts';
import { expectRank, resolveDim } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/**
 * vector[m] -> vector[attrs.length], the first entries (length <= m; when either is symbolic this
 * is checked at evaluation).
 */
export const slice = linearUnary({
  cost: noFlops,
  shape: ([x], attrs) => {
    const length = dimAttr(attrs, 'length');
    if (typeof x[0] === 'number' && typeof length === 'number' && length > x[0]) {
      return { error: `slice cannot take ${length} entries of ${formatShape(x)}` };
    }
    return expectRank('slice', x, 1) ?? [length];
  },
  evaluate: ([value], attrs, sizes) => {
    const x = asTensor(value);
    const length = resolveDim(dimAttr(attrs, 'length'), sizes);
    if (length > x.data.length) throw new RangeError(`slice: ${length} entries asked of ${x.data.length}`);
    return tensor64([length], x.data.subarray(0, length));
  },
  // Transpose: the cotangent followed by zeros, back to length m.
  transpose: (b, g, x) => b.make('pad', [g], { length: x.shape[0] }),
});
