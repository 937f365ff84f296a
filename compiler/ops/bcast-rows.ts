import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { dimAttr } from '../ir/attrs.ts';
import { expectRank, resolveDim } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** vector[c] -> matrix[attrs.rows, c]: the vector repeated as every row. */
export const bcastRows = linearUnary({
  cost: noFlops,
  shape: ([x], attrs) => expectRank('bcast_rows', x, 1) ?? [dimAttr(attrs, 'rows'), x[0]],
  evaluate: ([value], attrs, sizes) => {
    const x = asTensor(value);
    const rows = resolveDim(dimAttr(attrs, 'rows'), sizes);
    const out = tensor64([rows, x.data.length]);
    for (let i = 0; i < rows; i++) out.data.set(x.data, i * x.data.length);
    return out;
  },
  // Transpose: sum over the rows.
  transpose: (b, g) => b.make('sum_rows', [g]),
});
