import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { expectRank } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** A diagonal matrix from a vector: vector[k] -> matrix[k, k], zero off the diagonal. */
export const diagEmbed = linearUnary({
  cost: noFlops,
  symmetricOutput: true,
  shape: ([x]) => expectRank('diag_embed', x, 1) ?? [x[0], x[0]],
  evaluate: ([value]) => {
    const x = asTensor(value);
    const k = x.data.length;
    const out = tensor64([k, k]);
    for (let i = 0; i < k; i++) out.data[i * k + i] = x.data[i];
    return out;
  },
  // Transpose: read the diagonal of the cotangent.
  transpose: (b, g) => b.make('diag', [g]),
});
