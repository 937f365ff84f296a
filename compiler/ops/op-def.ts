import type { IrBuilder } from '../ir/builder.ts';
import type { CostRule } from '../ir/flops.ts';
import type { Attrs, Node } from '../ir/node.ts';
import type { Dim, Shape } from '../ir/shape.ts';
import type { Value } from '../ir/tensor.ts';

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
  /** The caller gives its value (program inputs): no executor computes it. */
  readonly programInput?: boolean;
  /**
   * No graph kernel computes it: executors run it on the host, in float64, with the kernel of
   * runtime/executors/host/host-kernels.ts. On ONNX it splits the program into stages (graphs run
   * before and after it). Its value is a tuple, read through selector ops (`selectsPart`).
   */
  readonly runsOnHost?: boolean;
  /** Selects part `selectsPart` of a host op's tuple value: free, no kernel. */
  readonly selectsPart?: number;
  /** Inputs that hold row ids, checked on the host before any kernel runs (kernels may not check). */
  readonly readsRowIds?: readonly RowIdInput[];
}

/** An input of integer ids stored as floats, each of which must name one of `rows(node)` rows. */
export interface RowIdInput {
  readonly input: number;
  /** Names the input in an error message, e.g. `segment_pool (rows)`. */
  readonly label: string;
  readonly rows: (node: Node) => Dim;
}

/** The facts of an op that runs on the host: its type lists it among the host ops (registry.ts). */
export interface HostFacts extends OpFacts {
  readonly runsOnHost: true;
  /** What it computes, for summaries and messages: `symmetric eigendecomposition`. */
  readonly noun: string;
}

/** The facts of a selector of a host op's tuple. */
export interface SelectorFacts extends OpFacts {
  readonly selectsPart: number;
}

/** The facts of the program-input leaf. */
export interface InputFacts extends OpFacts {
  readonly programInput: true;
}

/**
 * Everything dflc knows about one primitive, in one place: shape rule, float64 reference kernel
 * (the specification of its meaning), its vector-Jacobian product written in IR, and the facts
 * that passes and executors rely on. Its name is its key in registry.ts. `F` keeps facts that the
 * type checker must see (HostFacts, SelectorFacts, InputFacts).
 */
export interface OpDef<F extends OpFacts = OpFacts> {
  /** Number of inputs. */
  readonly arity: number;
  readonly facts?: F;
  /** The attribute printed bare after the op's name in a printed program (`input Z`, `const 2.5`). */
  readonly printedAttr?: string;
  /** For an op whose value is a tuple (runsOnHost): the shapes of its parts, given the node's shape. */
  readonly partShapes?: (shape: Shape) => readonly Shape[];
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
  /** FLOPs of one node, a polynomial in its dimensions (conventions in compiler/cost.ts). */
  readonly cost: CostRule;
}
