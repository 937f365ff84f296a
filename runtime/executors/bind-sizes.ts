import type { Program } from '../../compiler/ir/node.ts';
import { bindDims } from '../../compiler/ir/bind-dims.ts';
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
  const declared = new Set(program.inputs.map((input) => input.name));
  for (const name of shapes.keys()) {
    if (!declared.has(name)) {
      const names = [...declared].map((n) => `'${n}'`).join(', ') || 'none';
      throw new InputShapeError(`unknown input '${name}'; the program's inputs are ${names}`);
    }
  }
  const sources = program.inputs.map((input) => {
    const actual = shapes.get(input.name);
    if (actual === undefined) throw new InputShapeError(`input '${input.name}' (${formatShape(input.shape)}) is not given`);
    return { label: `input '${input.name}'`, declared: input.shape, actual };
  });
  return bindDims(sources, (message) => new InputShapeError(message), known);
}
