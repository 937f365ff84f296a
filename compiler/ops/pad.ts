import { formatShape } from '../ir/shape.ts';
import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { dimAttr } from '../ir/attrs.ts';
import { expectRank, resolveDim } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/**
 * vector[k] -> vector[attrs.length], zeros appended (k <= length; when either is symbolic this is
 * checked at evaluation).
 */
export const pad = linearUnary({
  cost: noFlops,
  shape: ([x], attrs) => {
    const length = dimAttr(attrs, 'length');
    if (typeof x[0] === 'number' && typeof length === 'number' && x[0] > length) {
      return { error: `pad cannot shorten ${formatShape(x)} to length ${length}` };
    }
    return expectRank('pad', x, 1) ?? [length];
  },
  evaluate: ([value], attrs, sizes) => {
    const x = asTensor(value);
    const length = resolveDim(dimAttr(attrs, 'length'), sizes);
    if (x.data.length > length) throw new RangeError(`pad: ${x.data.length} entries do not fit in ${length}`);
    const out = tensor64([length]);
    out.data.set(x.data);
    return out;
  },
  // Transpose: keep the first k entries of the cotangent.
  transpose: (b, g, x) => b.make('slice', [g], { length: x.shape[0] }),
});
