import { tensor64 } from '../ir/tensor.ts';
import type { OpDef } from './op-def.ts';
import { dimAttr } from '../ir/attrs.ts';
import { resolveDim } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** The identity matrix[attrs.n, attrs.n]. */
export const eye: OpDef = {
  arity: 0,
  printedAttr: 'n',
  facts: { symmetricOutput: true },
  shape: (_inputs, attrs) => [dimAttr(attrs, 'n'), dimAttr(attrs, 'n')],
  evaluate: (_inputs, attrs, sizes) => {
    const n = resolveDim(dimAttr(attrs, 'n'), sizes);
    const out = tensor64([n, n]);
    for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
    return out;
  },
  cost: noFlops,
  vjp: null,
};
