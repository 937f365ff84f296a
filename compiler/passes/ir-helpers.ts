import { type IrBuilder } from '../ir/builder.ts';
import { IrError } from '../ir/ir-error.ts';
import type { Node } from '../ir/node.ts';
import { formatShape, sameShape, type Dim, type Shape } from '../ir/shape.ts';

/** Small builders and predicates that rewrite rules share. */

/** `const {value, shape}`: a tensor filled with one number (a scalar by default). */
export function constant(b: IrBuilder, value: number, shape: Shape = []): Node {
  // -0 and 0 intern alike (the key is JSON), so never make a -0.
  return b.make('const', [], { value: value === 0 ? 0 : value, shape: [...shape] });
}

/** The scalar value of a dimension: a const when it is a number, else `dimsize`. */
export function dimValue(b: IrBuilder, dim: Dim): Node {
  return typeof dim === 'number' ? constant(b, dim) : b.make('dimsize', [], { dim });
}

/** The number of entries of `shape` as a scalar node: numbers multiplied out, symbols as `dimsize`. */
export function sizeValue(b: IrBuilder, shape: Shape): Node {
  let numeric = 1;
  const symbolic: Node[] = [];
  for (const dim of shape) {
    if (typeof dim === 'number') numeric *= dim;
    else symbolic.push(b.make('dimsize', [], { dim }));
  }
  let out: Node | undefined = numeric === 1 && symbolic.length > 0 ? undefined : constant(b, numeric);
  for (const s of symbolic) out = out === undefined ? s : b.make('mul', [out, s]);
  return out!;
}

export function isScalar(node: Node): boolean {
  return node.shape.length === 0;
}

/** The fill value of a `const` node, or undefined for any other node. */
export function constValue(node: Node): number | undefined {
  return node.op === 'const' ? (node.attrs.value as number) : undefined;
}

/**
 * Gives `node` the shape `shape`: unchanged when it already has it, broadcast when it is a scalar.
 * A rewrite must never change a node's shape, so anything else is a compiler bug.
 */
export function fitShape(b: IrBuilder, node: Node, shape: Shape): Node {
  if (sameShape(node.shape, shape)) return node;
  if (node.shape.length === 0) {
    const value = constValue(node);
    return value !== undefined ? constant(b, value, shape) : b.make('broadcast', [node], { shape: [...shape] });
  }
  throw new IrError(`rewrite produced ${formatShape(node.shape)} where ${formatShape(shape)} was expected`);
}
