import { filled } from './elementwise.ts';
import type { OpDef } from './op-def.ts';
import { numberAttr, shapeAttr } from '../ir/attrs.ts';
import { resolveShape } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** A tensor of attrs.shape (dimensions may be symbolic) filled with attrs.value. */
export const constOp: OpDef = {
  arity: 0,
  printedAttr: 'value',
  shape: (_inputs, attrs) => (numberAttr(attrs, 'value'), shapeAttr(attrs)),
  evaluate: (_inputs, attrs, sizes) => filled(resolveShape(shapeAttr(attrs), sizes), numberAttr(attrs, 'value')),
  cost: noFlops,
  vjp: null,
};
