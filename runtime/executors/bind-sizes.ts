import type { Program } from '../../compiler/ir/node.ts';
import { formatShape } from '../../compiler/ir/shape.ts';

/** The arrays given to a run do not fit the program's inputs (missing, unknown, wrong shape). */
export class InputShapeError extends Error {
  override name = 'InputShapeError';
}

/**
 * Binds every symbolic dimension of `program`'s inputs (`n`, `d`) to a number, from the shapes of
 * the arrays given for them; checks that each input is given, that no unknown name is, and that
 * ranks, fixed dimensions and repeated symbols agree. Sizes already in `known` are checked too.
 */
export function bindSizes(
  program: Program,
  shapes: ReadonlyMap<string, readonly number[]>,
  known: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const sizes = new Map(known);
  const boundBy = new Map([...known.keys()].map((dim) => [dim, 'the given sizes']));
  const declared = new Set(program.inputs.map((input) => input.name));
  for (const name of shapes.keys()) {
    if (!declared.has(name)) {
      const names = [...declared].map((n) => `'${n}'`).join(', ') || 'none';
      throw new InputShapeError(`unknown input '${name}'; the program's inputs are ${names}`);
    }
  }
  for (const input of program.inputs) {
    const actual = shapes.get(input.name);
    if (actual === undefined) throw new InputShapeError(`input '${input.name}' (${formatShape(input.shape)}) is not given`);
    const mismatch = () =>
      new InputShapeError(
        `input '${input.name}' should be ${formatShape(input.shape)}, got an array of shape [${actual.join(', ')}]`,
      );
    if (actual.length !== input.shape.length) throw mismatch();
    input.shape.forEach((dim, axis) => {
      const size = actual[axis];
      if (typeof dim === 'number') {
        if (dim !== size) throw mismatch();
        return;
      }
      const bound = sizes.get(dim);
      if (bound === undefined) {
        sizes.set(dim, size);
        boundBy.set(dim, `input '${input.name}'`);
      } else if (bound !== size) {
        throw new InputShapeError(`input '${input.name}' gives ${dim} = ${size}, but ${dim} is ${bound} in ${boundBy.get(dim)}`);
      }
    });
  }
  return sizes;
}
