/**
 * Shapes with symbolic dimensions. A dimension is a positive integer or the name of a symbolic
 * size (`n`, `d`); two symbolic names are equal only when they are the same name. Rank 0 is a
 * scalar, rank 1 a vector, rank 2 a matrix: DFL has nothing else.
 */
export type Dim = number | string;
export type Shape = readonly Dim[];

export const SCALAR: Shape = [];

export function sameDim(a: Dim, b: Dim): boolean {
  return a === b;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, i) => sameDim(dim, b[i]));
}

/** `scalar`, `vector[d]`, `matrix[n, d]`: the spelling every diagnostic uses. */
export function formatShape(shape: Shape): string {
  if (shape.length === 0) return 'scalar';
  if (shape.length === 1) return `vector[${shape[0]}]`;
  return `matrix[${shape.join(', ')}]`;
}

/** Replaces symbolic dimensions that `sizes` knows by their numbers. */
export function bindShape(shape: Shape, sizes: ReadonlyMap<string, Dim>): Shape {
  return shape.map((dim) => (typeof dim === 'string' ? sizes.get(dim) ?? dim : dim));
}

/** Number of entries, or undefined while a dimension is still symbolic. */
export function shapeSize(shape: Shape): number | undefined {
  let size = 1;
  for (const dim of shape) {
    if (typeof dim !== 'number') return undefined;
    size *= dim;
  }
  return size;
}
