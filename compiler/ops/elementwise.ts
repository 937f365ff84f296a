import type { Attrs } from '../ir/node.ts';
import { formatShape, sameShape, type Shape } from '../ir/shape.ts';
import { isTuple, tensor64, type Tensor64, type Value } from '../ir/tensor.ts';
import type { ShapeError } from './op-def.ts';

/** Helpers shared by the elementwise ops: shape rules and kernels written once. */

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
