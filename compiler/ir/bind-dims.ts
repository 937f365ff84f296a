import { formatShape, type Shape } from './shape.ts';

/** One array to bind: how messages name it (`input 'Z'`), its declared shape and its actual shape. */
export interface DimSource {
  readonly label: string;
  readonly declared: Shape;
  readonly actual: readonly number[];
}

/**
 * The sizes of the symbolic dimensions in `sources`' declared shapes, read off the arrays'
 * shapes, starting from `known` (which messages call `knownAs`): ranks, fixed dimensions and
 * every repeated symbol must agree. The first disagreement is thrown as `fail(message)`, in one
 * wording for the reference interpreter, the executors and their loops alike:
 * `input 'W' should be matrix[d, 3], got an array of shape [4, 2]`,
 * `input 'Z_t+1' gives d = 2, but d is 4 in input 'Z'`.
 */
export function bindDims(
  sources: Iterable<DimSource>,
  fail: (message: string) => Error,
  known: ReadonlyMap<string, number> = new Map(),
  knownAs = 'the given sizes',
): Map<string, number> {
  const sizes = new Map(known);
  const boundBy = new Map([...known.keys()].map((dim) => [dim, knownAs]));
  for (const { label, declared, actual } of sources) {
    const mismatch = () => fail(`${label} should be ${formatShape(declared)}, got an array of shape [${actual.join(', ')}]`);
    if (actual.length !== declared.length) throw mismatch();
    declared.forEach((dim, axis) => {
      const size = actual[axis];
      if (typeof dim === 'number') {
        if (dim !== size) throw mismatch();
        return;
      }
      const bound = sizes.get(dim);
      if (bound === undefined) {
        sizes.set(dim, size);
        boundBy.set(dim, label);
      } else if (bound !== size) {
        throw fail(`${label} gives ${dim} = ${size}, but ${dim} is ${bound} in ${boundBy.get(dim)}`);
      }
    });
  }
  return sizes;
}
