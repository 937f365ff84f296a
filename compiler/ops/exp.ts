import type { OpDef } from './op-def.ts';
import { mapUnary, sameAsInput } from './elementwise.ts';

/** e^x, entry by entry. */
export const exp: OpDef = {
  name: 'exp',
  arity: 1,
  facts: { elementwise: true },
  shape: sameAsInput,
  evaluate: mapUnary(Math.exp),
  // d/dx e^x = e^x: reuse the forward output instead of recomputing it.
  vjp: (b, node, g) => [[node.inputs[0], b.make('mul', [g, node])]],
};
