import { flopPerInput } from '../ir/flops.ts';
import { SCALAR } from '../ir/shape.ts';
import { tensor64 } from '../ir/tensor.ts';
import { asTensor } from './elementwise.ts';
import type { OpDef } from './op-def.ts';

/**
 * `max` and `min` over all entries. The gradient is split EVENLY among the entries equal to the
 * result: x̄ = eq(x, out) · g / Σ eq(x, out) (the scalar output broadcasts in `eq`).
 */
export function reduceExtreme(pick: (a: number, b: number) => number): OpDef {
  return {
    arity: 1,
    shape: () => SCALAR,
    evaluate: ([value]) => {
      const x = asTensor(value);
      let best = x.data[0];
      for (let i = 1; i < x.data.length; i++) best = pick(best, x.data[i]);
      return tensor64([], [best]);
    },
    cost: flopPerInput,
    vjp: (b, node, g) => {
      const x = node.inputs[0];
      const mask = b.make('eq', [x, node]);
      return [[x, b.make('mul', [mask, b.make('div', [g, b.make('sum', [mask])])])]];
    },
  };
}
