import { elementwiseBinary } from './elementwise.ts';
import type { OpDef } from './op-def.ts';

/**
 * `maximum` and `minimum` share their gradient: the cotangent goes to the operand the output
 * equals. Tie rule: where x = y, ALL of it goes to the first input (after the builder's canonical
 * ordering of commutative inputs), which is a valid one-sided derivative. The mask eq(x, out)
 * reuses the forward output: it is 1 exactly where x was selected (x >= y for maximum, x <= y for
 * minimum), and y receives the rest.
 */
export function pairwiseExtreme(kernel: (x: number, y: number) => number): OpDef {
  return elementwiseBinary({
    kernel,
    facts: { commutative: true },
    cotangents: (b, g, x, _y, out) => {
      const toX = b.make('mul', [g, b.make('eq', [x, out])]);
      return [toX, b.make('sub', [g, toX])];
    },
  });
}
