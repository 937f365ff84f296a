import type { Node, Program } from '../ir/node.ts';
import { rebuild } from '../ir/rebuild.ts';
import { shapeSize } from '../ir/shape.ts';
import { isTuple, type Tensor64, type Value } from '../ir/tensor.ts';
import { opDef } from '../ops/registry.ts';
import { constant } from './ir-helpers.ts';
import { FiredCounter, type PassResult } from './pass.ts';

/** Largest constant input (in entries) that folding materialises to run a kernel on it. */
export const FOLD_INPUT_LIMIT = 4096;

const NO_SIZES: ReadonlyMap<string, number> = new Map();

/** Leaves whose value is known at compile time. */
function isConstantLeaf(node: Node): boolean {
  return node.op === 'const' || node.op === 'eye' || (node.op === 'dimsize' && typeof node.attrs.dim === 'number');
}

/** The single value every entry of `value` holds, or undefined when they differ (or it is not finite). */
function fillValue(value: Value): number | undefined {
  if (isTuple(value)) return undefined;
  const data = (value as Tensor64).data;
  if (data.length === 0) return undefined;
  const first = data[0];
  if (!Number.isFinite(first)) return undefined;
  for (let i = 1; i < data.length; i++) if (data[i] !== first) return undefined;
  return first;
}

/** Runs the op's own reference kernel on constant inputs; undefined when it is not worth it. */
function evaluateConstant(node: Node, inputs: readonly Node[]): number | undefined {
  const def = opDef(node.op);
  // Elementwise over fills: the result is the fill of the kernel applied to the scalars, whatever
  // the shape (symbolic shapes included).
  if (def.facts?.elementwise && inputs.every((input) => input.op === 'const')) {
    const scalars = inputs.map((input) => opDef('const').evaluate([], { value: input.attrs.value, shape: [] }, NO_SIZES));
    return fillValue(def.evaluate(scalars, node.attrs, NO_SIZES));
  }
  // Otherwise materialise small concrete inputs, run the kernel, keep the result if it is a fill.
  const sizes = inputs.map((input) => shapeSize(input.shape));
  if (sizes.some((size) => size === undefined || size > FOLD_INPUT_LIMIT)) return undefined;
  if (shapeSize(node.shape) === undefined) return undefined;
  const values = inputs.map((input) => opDef(input.op).evaluate([], input.attrs, NO_SIZES));
  return fillValue(def.evaluate(values, node.attrs, NO_SIZES));
}

/**
 * Constant folding: a node whose inputs are all constants (`const`, `eye`, a bound `dimsize`) is
 * evaluated with the op's reference kernel and replaced by a `const` when the result is one
 * repeated number (a scalar, or a fill). Big tensors are never materialised: `const` holds one
 * number, and non-fill results are left alone. Non-finite results are not folded.
 */
export function fold(program: Program): PassResult {
  const fired = new FiredCounter();
  const { program: out } = rebuild(program, (b, node, inputs) => {
    if (node.op === 'dimsize' && typeof node.attrs.dim === 'number') {
      fired.add('dimsize');
      return constant(b, node.attrs.dim);
    }
    if (inputs.length === 0 || !inputs.every(isConstantLeaf)) return undefined;
    const made = b.make(node.op, inputs, node.attrs);
    const value = evaluateConstant(made, inputs);
    if (value === undefined) return made;
    fired.add(`fold-${node.op}`);
    return constant(b, value, made.shape);
  });
  return { program: out, fired: fired.toList() };
}
