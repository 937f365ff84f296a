import type { AttrValue, Attrs, Program } from '../ir/node.ts';
import { rebuild } from '../ir/rebuild.ts';
import { bindShape, type Dim } from '../ir/shape.ts';
import { constant } from './ir-helpers.ts';
import { FiredCounter, type PassResult } from './pass.ts';

/** The attributes that hold dimensions (see compiler/ir/node.ts); no other attribute does. */
export const DIMENSION_ATTRS: readonly string[] = ['shape', 'n', 'dim', 'rows', 'cols', 'length'];

function bindDim(dim: AttrValue, sizes: ReadonlyMap<string, number>): AttrValue {
  if (typeof dim === 'string') return sizes.get(dim) ?? dim;
  if (Array.isArray(dim)) return bindShape(dim as readonly Dim[], sizes);
  return dim;
}

function bindAttrs(attrs: Attrs, sizes: ReadonlyMap<string, number>): Attrs {
  let out: Record<string, AttrValue> | undefined;
  for (const key of DIMENSION_ATTRS) {
    if (!(key in attrs)) continue;
    const bound = bindDim(attrs[key], sizes);
    if (JSON.stringify(bound) === JSON.stringify(attrs[key])) continue;
    out ??= { ...attrs };
    out[key] = bound;
  }
  return out ?? attrs;
}

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
    const attrs = bindAttrs(node.attrs, sizes);
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
