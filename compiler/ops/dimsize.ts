import { SCALAR } from '../ir/shape.ts';
import { tensor64 } from '../ir/tensor.ts';
import type { OpDef } from './op-def.ts';
import { dimAttr } from '../ir/attrs.ts';
import { resolveDim } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** The size of dimension attrs.dim as a scalar (`rows(M)`, `len(v)`). */
export const dimsize: OpDef = {
  arity: 0,
  printedAttr: 'dim',
  shape: (_inputs, attrs) => (dimAttr(attrs, 'dim'), SCALAR),
  evaluate: (_inputs, attrs, sizes) => tensor64([], [resolveDim(dimAttr(attrs, 'dim'), sizes)]),
  cost: noFlops,
  vjp: null,
};
