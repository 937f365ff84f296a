import type { IrBuilder } from '../ir/builder.ts';
import { flopPerOutput, type CostRule } from '../ir/flops.ts';
import type { Attrs, Node } from '../ir/node.ts';
import { formatShape, sameShape, type Shape } from '../ir/shape.ts';
import { isTuple, tensor64, type Tensor64, type Value } from '../ir/tensor.ts';
import type { Contribution, OpDef, OpFacts, ShapeError } from './op-def.ts';

/** Helpers shared by the elementwise ops: shape rules, kernels and vjp structure written once. */

export function asTensor(value: Value): Tensor64 {
  if (isTuple(value)) throw new TypeError('expected a tensor, got a tuple');
  return value;
}

export function sameAsInput(inputs: readonly Shape[], _attrs: Attrs): Shape {
  return inputs[0];
}

/** Equal shapes, or one side scalar (it broadcasts). */
export function broadcastShapes([a, b]: readonly Shape[]): Shape | ShapeError {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  if (sameShape(a, b)) return a;
  return { error: `shapes must match or one must be a scalar, got ${formatShape(a)} and ${formatShape(b)}` };
}

export function mapUnary(f: (x: number) => number): (inputs: readonly Value[]) => Tensor64 {
  return ([value]) => {
    const x = asTensor(value);
    const out = tensor64(x.shape);
    for (let i = 0; i < x.data.length; i++) out.data[i] = f(x.data[i]);
    return out;
  };
}

export function mapBinary(f: (x: number, y: number) => number): (inputs: readonly Value[]) => Tensor64 {
  return ([av, bv]) => {
    const a = asTensor(av);
    const b = asTensor(bv);
    const shape = a.shape.length === 0 ? b.shape : a.shape;
    const out = tensor64(shape);
    const aStep = a.shape.length === 0 ? 0 : 1;
    const bStep = b.shape.length === 0 ? 0 : 1;
    for (let i = 0; i < out.data.length; i++) out.data[i] = f(a.data[i * aStep], b.data[i * bStep]);
    return out;
  };
}

/** A scalar constant node. */
export function scalar(b: IrBuilder, value: number): Node {
  return b.make('const', [], { value, shape: [] });
}

/**
 * Brings a cotangent computed at the broadcast (output) shape back to an operand's shape: an
 * operand that was a scalar broadcast against a larger shape receives the sum of the cotangent.
 */
export function reduceToOperand(b: IrBuilder, grad: Node, operand: Node): Node {
  return operand.shape.length === 0 && grad.shape.length > 0 ? b.make('sum', [grad]) : grad;
}

/** x̄ from the cotangent `g` of `out = f(x)`; all three nodes have the output's shape. */
export type UnaryCotangent = (b: IrBuilder, g: Node, x: Node, out: Node) => Node;

/** An elementwise op of one input. `cotangent: null` declares that it has no gradient. */
export function elementwiseUnary(spec: {
  kernel: (x: number) => number;
  cotangent: UnaryCotangent | null;
  facts?: OpFacts;
  /** Default: one flop per entry. */
  cost?: CostRule;
}): OpDef {
  const { cotangent } = spec;
  return {
    arity: 1,
    facts: { elementwise: true, symmetricOutput: true, ...spec.facts },
    shape: sameAsInput,
    evaluate: mapUnary(spec.kernel),
    cost: spec.cost ?? flopPerOutput,
    vjp: cotangent === null ? null : (b, node, g) => [[node.inputs[0], cotangent(b, g, node.inputs[0], node)]],
  };
}

/**
 * x̄ and ȳ from the cotangent `g` of `out = f(x, y)`, at the output's (broadcast) shape; the helper
 * sums them down for a scalar operand. `null` for an input that receives nothing.
 */
export type BinaryCotangents = (b: IrBuilder, g: Node, x: Node, y: Node, out: Node) => CotangentPair;

/** x̄ and ȳ, `null` for an input that receives nothing. */
export type CotangentPair = readonly [Node | null, Node | null];

/** An elementwise op of two inputs: equal shapes, or a scalar on either side. */
export function elementwiseBinary(spec: {
  kernel: (x: number, y: number) => number;
  cotangents: BinaryCotangents | null;
  facts?: OpFacts;
  shape?: OpDef['shape'];
}): OpDef {
  const { cotangents } = spec;
  return {
    arity: 2,
    facts: { elementwise: true, symmetricOutput: true, ...spec.facts },
    shape: spec.shape ?? broadcastShapes,
    evaluate: mapBinary(spec.kernel),
    cost: flopPerOutput,
    vjp:
      cotangents === null
        ? null
        : (b, node, g) => {
            const [x, y] = node.inputs;
            const grads = cotangents(b, g, x, y, node);
            const out: Contribution[] = [];
            grads.forEach((grad, i) => {
              if (grad !== null) out.push([node.inputs[i], reduceToOperand(b, grad, node.inputs[i])]);
            });
            return out;
          },
  };
}

/** A scalar node broadcast to `shape` (the scalar itself when `shape` is scalar). */
export function broadcastTo(b: IrBuilder, value: Node, shape: Shape): Node {
  return shape.length === 0 ? value : b.make('broadcast', [value], { shape });
}

/** A tensor of `shape` with every entry `value`. */
export function filled(shape: readonly number[], value: number): Tensor64 {
  const out = tensor64(shape);
  out.data.fill(value);
  return out;
}
