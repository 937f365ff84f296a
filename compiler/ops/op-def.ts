import type { IrBuilder } from '../ir/builder.ts';
import type { Attrs, Node } from '../ir/node.ts';
import type { Shape } from '../ir/shape.ts';
import type { Value } from '../ir/tensor.ts';
import type { OpName } from './op-names.ts';

/** A shape rule's refusal: the message says what was expected and what was found. */
export interface ShapeError {
  readonly error: string;
}

export function isShapeError(result: Shape | ShapeError): result is ShapeError {
  return !Array.isArray(result);
}

/** One contribution of a vector-Jacobian product: add `grad` to the cotangent of `to`. */
export type Contribution = readonly [to: Node, grad: Node];

/** Facts that passes rely on; each is a promise about the op's semantics. */
export interface OpFacts {
  /** Acts entry by entry; scalar operands broadcast. */
  readonly elementwise?: boolean;
  /** f(x, y) = f(y, x): interning puts inputs in a canonical order. */
  readonly commutative?: boolean;
  /** The output is a symmetric matrix whenever the inputs are (for `matmul`, see symmetry.ts). */
  readonly symmetricOutput?: boolean;
  /** Linear in every input: vjp never needs forward values. */
  readonly linear?: boolean;
}

/**
 * Everything dflc knows about one primitive, in one place: shape rule, float64 reference kernel
 * (the specification of its meaning), and its vector-Jacobian product written in IR.
 */
export interface OpDef {
  readonly name: OpName;
  /** Number of inputs. */
  readonly arity: number;
  readonly facts?: OpFacts;
  readonly shape: (inputs: readonly Shape[], attrs: Attrs) => Shape | ShapeError;
  /**
   * Float64 reference kernel. `sizes` binds every symbolic dimension (leaves such as `const`
   * and `dimsize` need it).
   */
  readonly evaluate: (inputs: readonly Value[], attrs: Attrs, sizes: ReadonlyMap<string, number>) => Value;
  /**
   * Contributions to the cotangents of other nodes (usually the inputs) given `g`, the cotangent
   * of `node`; `node` itself is available so that a vjp can reuse the forward output. `null`
   * when the op has no gradient (leaves, `stop_gradient`, comparison ops).
   */
  readonly vjp: ((b: IrBuilder, node: Node, g: Node) => readonly Contribution[]) | null;
}
