import { SCALAR } from '../ir/shape.ts';
import { tensor64 } from '../ir/tensor.ts';
import { asTensor, broadcastTo } from './elementwise.ts';
import { linearUnary } from './linear.ts';
import { flopPerInput } from '../ir/flops.ts';

/** The sum of all entries: a scalar. */
export const sum = linearUnary({
  cost: flopPerInput,
  shape: () => SCALAR,
  evaluate: ([value]) => {
    const x = asTensor(value);
    let total = 0;
    for (let i = 0; i < x.data.length; i++) total += x.data[i];
    return tensor64([], [total]);
  },
  // Transpose of summing: broadcasting.
  transpose: (b, g, x) => broadcastTo(b, g, x.shape),
});
