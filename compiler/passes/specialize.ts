import type { Program } from '../ir/node.ts';
import { bindAttrDims } from '../ir/attrs.ts';
import { rebuild } from '../ir/rebuild.ts';
import { bindShape } from '../ir/shape.ts';
import { constant } from './ir-helpers.ts';
import { FiredCounter, type PassResult } from './pass.ts';

/**
 * Binds symbolic dimensions to the numbers in `sizes`: program input shapes and every dimension
 * attribute of every node. A `dimsize` of a bound dimension becomes a scalar `const`. Dimensions
 * that `sizes` does not name stay symbolic. Sizes must be positive integers.
 */
export function specialize(program: Program, sizes: ReadonlyMap<string, number>): PassResult {
  for (const [name, size] of sizes) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size of '${name}' must be a positive integer, got ${size}`);
  }
  const fired = new FiredCounter();
  const { program: out } = rebuild(program, (b, node, inputs) => {
    const attrs = bindAttrDims(node.attrs, sizes);
    if (attrs !== node.attrs) fired.add('bind-dims');
    if (node.op === 'dimsize' && typeof attrs.dim === 'number') {
      fired.add('dimsize-to-const');
      return constant(b, attrs.dim);
    }
    return b.make(node.op, inputs, attrs);
  });
  return {
    program: {
      inputs: program.inputs.map((input) => ({ name: input.name, shape: bindShape(input.shape, sizes) })),
      outputs: out.outputs,
    },
    fired: fired.toList(),
  };
}
