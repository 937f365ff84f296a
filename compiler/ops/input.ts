import type { InputFacts, OpDef } from './op-def.ts';
import { shapeAttr } from '../ir/attrs.ts';
import { noFlops } from '../ir/flops.ts';

/** A program input, attrs {name, shape}. The interpreter binds it; it is never evaluated as a kernel. */
export const input: OpDef<InputFacts> = {
  arity: 0,
  printedAttr: 'name',
  facts: { programInput: true },
  shape: (_inputs, attrs) => shapeAttr(attrs),
  evaluate: (_inputs, attrs) => {
    throw new Error(`input '${String(attrs.name)}' must be bound by the interpreter, not evaluated`);
  },
  cost: noFlops,
  vjp: null,
};
