import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { expectRank } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** Mᵀ: matrix[r, c] -> matrix[c, r]. */
export const transpose = linearUnary({
  cost: noFlops,
  symmetricOutput: true,
  shape: ([x]) => expectRank('transpose', x, 2) ?? [x[1], x[0]],
  evaluate: ([value]) => {
    const x = asTensor(value);
    const [r, c] = x.shape;
    const out = tensor64([c, r]);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[j * r + i] = x.data[i * c + j];
    return out;
  },
  // Its own transpose.
  transpose: (b, g) => b.make('transpose', [g]),
});
