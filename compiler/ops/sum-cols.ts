import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { expectRank } from './shape-rules.ts';
import { flopPerInput } from '../ir/flops.ts';

/** Sums over the columns: matrix[r, c] -> vector[r] (a row sum for each row). */
export const sumCols = linearUnary({
  cost: flopPerInput,
  shape: ([x]) => expectRank('sum_cols', x, 2) ?? [x[0]],
  evaluate: ([value]) => {
    const x = asTensor(value);
    const [r, c] = x.shape;
    const out = tensor64([r]);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[i] += x.data[i * c + j];
    return out;
  },
  // Transpose: repeat the cotangent in every column.
  transpose: (b, g, x) => b.make('bcast_cols', [g], { cols: x.shape[1] }),
});
