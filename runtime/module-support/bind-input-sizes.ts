import * as tf from '@tensorflow/tfjs-core';
import type { ProgramInput } from '../../compiler/ir/node.ts';
import { formatShape } from '../../compiler/ir/shape.ts';
import { bindSizes, InputShapeError } from '../executors/bind-sizes.ts';

/** One input of a generated module: its name as written in the source and its declared shape. */
export type InputSignature = ProgramInput;

/**
 * What a generated module calls first: checks that `given` holds a live float32 tensor of the
 * declared rank for every input in `signature`, that fixed dimensions match and that each
 * symbolic dimension has one size in all inputs, and returns the sizes of `dims`, in order (as a
 * tuple, so that `const [n, d] = ...` types each as a number). A failure is an InputShapeError
 * naming the input and the dimension, with the executors' wording (runtime/executors/bind-sizes.ts).
 *
 * `given` is read by plain property access, as the generated code reads it, so that an input
 * named `__proto__` or `constructor` means the same thing here as there; a value that is not a
 * tensor (such as the `constructor` every object inherits) counts as not given.
 */
export function bindInputSizes<const D extends readonly string[]>(
  signature: readonly InputSignature[],
  dims: D,
  given: object,
): { -readonly [K in keyof D]: number } {
  const shapes = new Map<string, readonly number[]>();
  for (const { name, shape } of signature) {
    const value: unknown = (given as Record<string, unknown>)[name];
    if (!(value instanceof tf.Tensor)) {
      throw new InputShapeError(`input '${name}' (${formatShape(shape)}) is not given, or is not a tf.Tensor`);
    }
    if (value.isDisposed) throw new InputShapeError(`input '${name}' is a disposed tensor`);
    if (value.dtype !== 'float32') throw new InputShapeError(`input '${name}' should be float32, got ${value.dtype}`);
    shapes.set(name, value.shape);
  }
  const sizes = bindSizes({ inputs: signature, outputs: [] }, shapes);
  return dims.map((dim) => {
    const size = sizes.get(dim);
    if (size === undefined) throw new InputShapeError(`dimension '${dim}' is not bound by any input's shape`);
    return size;
  }) as { -readonly [K in keyof D]: number };
}
