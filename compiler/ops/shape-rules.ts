import { formatShape, type Dim, type Shape } from '../ir/shape.ts';
import type { ShapeError } from './op-def.ts';

/** Shape-rule helpers shared by the structural ops, so that every refusal reads the same way. */

const RANK_NAMES = ['a scalar', 'a vector', 'a matrix'] as const;

/** `transpose expects a matrix, got vector[d]`, or undefined when `shape` has the wanted rank. */
export function expectRank(op: string, shape: Shape, rank: 0 | 1 | 2): ShapeError | undefined {
  if (shape.length === rank) return undefined;
  return { error: `${op} expects ${RANK_NAMES[rank]}, got ${formatShape(shape)}` };
}

/** A matrix whose two dimensions are the same (symbolic names must be the same name). */
export function expectSquare(op: string, shape: Shape): ShapeError | undefined {
  const rankError = expectRank(op, shape, 2);
  if (rankError !== undefined) return rankError;
  if (shape[0] === shape[1]) return undefined;
  return { error: `${op} expects a square matrix, got ${formatShape(shape)}` };
}

/** The number a dimension has in `sizes`; an unbound symbolic dimension is an error. */
export function resolveDim(dim: Dim, sizes: ReadonlyMap<string, number>): number {
  if (typeof dim === 'number') return dim;
  const size = sizes.get(dim);
  if (size === undefined) throw new RangeError(`dimension '${dim}' has no size`);
  return size;
}

export function resolveShape(shape: Shape, sizes: ReadonlyMap<string, number>): number[] {
  return shape.map((dim) => resolveDim(dim, sizes));
}
