import { filled } from './elementwise.ts';
import type { OpDef } from './op-def.ts';
import { numberAttr, shapeAttr } from '../ir/attrs.ts';
import { resolveShape } from './shape-rules.ts';

/** A tensor of attrs.shape (dimensions may be symbolic) filled with attrs.value. */
export const constOp: OpDef = {
  arity: 0,
  shape: (_inputs, attrs) => (numberAttr(attrs, 'value'), shapeAttr(attrs)),
  evaluate: (_inputs, attrs, sizes) => filled(resolveShape(shapeAttr(attrs), sizes), numberAttr(attrs, 'value')),
  vjp: null,
};
