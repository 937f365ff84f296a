import type { Program } from '../../compiler/ir/node.ts';
import { formatShape, type Dim } from '../../compiler/ir/shape.ts';
import type { Float32Tensor } from './executor.ts';

/** A run's `into` arrays do not fit: an unknown output, a wrong type or length, shared memory. */
export class OutputArrayError extends Error {
  override name = 'OutputArrayError';
}

const quoted = (names: Iterable<string>): string => [...names].map((n) => `'${n}'`).join(', ') || 'none';

/** The bytes of `a` and `b` overlap (views of one buffer). */
const overlaps = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;

/**
 * Checks `into` (output name -> the caller's array, RunOptions.into) against `program` with its
 * dimensions bound: every name is an output, every array a Float32Array with exactly the output's
 * number of values, and no array shares memory with an input or another array (an executor reads
 * the inputs while it writes the outputs). Throws OutputArrayError naming the output.
 */
export function checkOutputArrays(
  program: Program,
  into: ReadonlyMap<string, Float32Array>,
  bound: ReadonlyMap<string, number>,
  inputs: ReadonlyMap<string, Float32Tensor>,
): void {
  const outputs = new Map(program.outputs.map((output) => [output.name, output.node.shape]));
  const dim = (d: Dim): number => (typeof d === 'number' ? d : bound.get(d)!);
  const seen: [string, Float32Array][] = [];
  for (const [name, array] of into) {
    const shape = outputs.get(name);
    if (shape === undefined) throw new OutputArrayError(`into: '${name}' is not an output of the program; its outputs are ${quoted(outputs.keys())}`);
    if (!(array instanceof Float32Array)) throw new OutputArrayError(`into: the array for output '${name}' is a ${Object.prototype.toString.call(array).slice(8, -1)}, not a Float32Array`);
    const size = shape.map(dim).reduce((a, b) => a * b, 1);
    if (array.length !== size) {
      throw new OutputArrayError(`into: output '${name}' is ${formatShape(shape)} = [${shape.map(dim).join(', ')}], ${size} values, but its array has ${array.length}`);
    }
    for (const [input, t] of inputs) if (overlaps(array, t.data)) throw new OutputArrayError(`into: the array for output '${name}' shares memory with input '${input}'`);
    for (const [other, kept] of seen) if (overlaps(array, kept)) throw new OutputArrayError(`into: outputs '${other}' and '${name}' share memory`);
    seen.push([name, array]);
  }
}
