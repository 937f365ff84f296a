import type { Attrs } from '../ir/node.ts';
import { filled } from './elementwise.ts';
import type { OpDef } from './op-def.ts';
import { resolveShape, shapeAttr } from './shape-rules.ts';

function valueAttr(attrs: Attrs): number {
  if (typeof attrs.value !== 'number') throw new TypeError(`const needs a numeric 'value', got ${JSON.stringify(attrs.value)}`);
  return attrs.value;
}

/** A tensor of attrs.shape (dimensions may be symbolic) filled with attrs.value. */
export const constOp: OpDef = {
  arity: 0,
  shape: (_inputs, attrs) => (valueAttr(attrs), shapeAttr(attrs)),
  evaluate: (_inputs, attrs, sizes) => filled(resolveShape(shapeAttr(attrs), sizes), valueAttr(attrs)),
  vjp: null,
};
