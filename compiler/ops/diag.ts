import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { expectSquare } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** The diagonal of a square matrix: matrix[k, k] -> vector[k]. */
export const diag = linearUnary({
  cost: noFlops,
  shape: ([x]) => expectSquare('diag', x) ?? [x[0]],
  evaluate: ([value]) => {
    const x = asTensor(value);
    const k = x.shape[0];
    const out = tensor64([k]);
    for (let i = 0; i < k; i++) out.data[i] = x.data[i * k + i];
    return out;
  },
  // Transpose: put the cotangent back on a diagonal.
  transpose: (b, g) => b.make('diag_embed', [g]),
});
