import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { expectRank } from './shape-rules.ts';
import { flopPerInput } from '../ir/flops.ts';

/** Sums over the rows: matrix[r, c] -> vector[c] (a column sum for each column). */
export const sumRows = linearUnary({
  cost: flopPerInput,
  shape: ([x]) => expectRank('sum_rows', x, 2) ?? [x[1]],
  evaluate: ([value]) => {
    const x = asTensor(value);
    const [r, c] = x.shape;
    const out = tensor64([c]);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[j] += x.data[i * c + j];
    return out;
  },
  // Transpose: repeat the cotangent on every row.
  transpose: (b, g, x) => b.make('bcast_rows', [g], { rows: x.shape[0] }),
});
