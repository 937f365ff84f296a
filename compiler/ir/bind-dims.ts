import { formatShape, type Dim, type Shape } from './shape.ts';

/**
 * One value to bind: how messages name it (`input 'Z'`), its declared shape, and its actual shape:
 * an array's sizes, or (when inlining one program into another) a node's dimensions.
 */
export interface DimSource<D extends Dim> {
  readonly label: string;
  readonly declared: Shape;
  readonly actual: readonly D[];
  /** What was found, for messages (default: `an array of shape [4, 2]`). */
  readonly found?: string;
}

/**
 * The dimensions that the symbols of `sources`' declared shapes take, read off their actual
 * shapes, starting from `known` (which messages call `knownAs`): ranks, fixed dimensions and
 * every repeated symbol must agree. The first disagreement is thrown as `fail(message)`, in one
 * wording for the reference interpreter, the executors, their loops and inlining alike:
 * `input 'W' should be matrix[d, 3], got an array of shape [4, 2]`,
 * `input 'Z_t+1' gives d = 2, but d is 4 in input 'Z'`.
 */
export function bindDims<D extends Dim>(
  sources: Iterable<DimSource<D>>,
  fail: (message: string) => Error,
  known: ReadonlyMap<string, D> = new Map(),
  knownAs = 'the given sizes',
): Map<string, D> {
  const dims = new Map(known);
  const boundBy = new Map([...known.keys()].map((dim) => [dim, knownAs]));
  for (const { label, declared, actual, found } of sources) {
    const mismatch = () => fail(`${label} should be ${formatShape(declared)}, got ${found ?? `an array of shape [${actual.join(', ')}]`}`);
    if (actual.length !== declared.length) throw mismatch();
    declared.forEach((dim, axis) => {
      const size = actual[axis];
      if (typeof dim === 'number') {
        if (dim !== size) throw mismatch();
        return;
      }
      const bound = dims.get(dim);
      if (bound === undefined) {
        dims.set(dim, size);
        boundBy.set(dim, label);
      } else if (bound !== size) {
        throw fail(`${label} gives ${dim} = ${size}, but ${dim} is ${bound} in ${boundBy.get(dim)}`);
      }
    });
  }
  return dims;
}
