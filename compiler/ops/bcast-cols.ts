import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { dimAttr } from '../ir/attrs.ts';
import { expectRank, resolveDim } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** vector[r] -> matrix[r, attrs.cols]: the vector repeated as every column. */
export const bcastCols = linearUnary({
  cost: noFlops,
  shape: ([x], attrs) => expectRank('bcast_cols', x, 1) ?? [x[0], dimAttr(attrs, 'cols')],
  evaluate: ([value], attrs, sizes) => {
    const x = asTensor(value);
    const cols = resolveDim(dimAttr(attrs, 'cols'), sizes);
    const out = tensor64([x.data.length, cols]);
    for (let i = 0; i < x.data.length; i++) out.data.fill(x.data[i], i * cols, (i + 1) * cols);
    return out;
  },
  // Transpose: sum over the columns.
  transpose: (b, g) => b.make('sum_cols', [g]),
});
