import type { OpDef } from './op-def.ts';
import { formatShape, sameDim } from '../ir/shape.ts';
import { asTensor } from './elementwise.ts';
import { tensor64 } from '../ir/tensor.ts';
import { Flops } from '../ir/flops.ts';

/** A @ B. The backward products use explicit transposes: no backend's transposed-operand path. */
export const matmul: OpDef = {
  arity: 2,
  facts: { linear: false },
  shape: ([a, b]) => {
    if (a.length !== 2 || b.length !== 2) {
      return { error: `@ expects two matrices, got ${formatShape(a)} and ${formatShape(b)}` };
    }
    if (!sameDim(a[1], b[0])) {
      return { error: `@ needs the columns of the left (${a[1]}) to match the rows of the right (${b[0]})` };
    }
    return [a[0], b[1]];
  },
  evaluate: ([av, bv]) => {
    const a = asTensor(av);
    const b = asTensor(bv);
    const [r, k] = a.shape;
    const c = b.shape[1];
    const out = tensor64([r, c]);
    for (let i = 0; i < r; i++) {
      for (let p = 0; p < k; p++) {
        const aip = a.data[i * k + p];
        if (aip === 0) continue;
        for (let j = 0; j < c; j++) out.data[i * c + j] += aip * b.data[p * c + j];
      }
    }
    return out;
  },
  // d(A@B) = dA@B + A@dB, so Ā = G Bᵀ and B̄ = Aᵀ G.
  // [r, k] @ [k, c]: r·c dot products of length k, a multiply and an add each.
  cost: (node) => Flops.size(node.inputs[0].shape).times(Flops.dim(node.inputs[1].shape[1])).scale(2),
  vjp: (b, node, g) => {
    const [x, y] = node.inputs;
    return [
      [x, b.make('matmul', [g, b.make('transpose', [y])])],
      [y, b.make('matmul', [b.make('transpose', [x]), g])],
    ];
  },
};
