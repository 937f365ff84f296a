import type { IrBuilder } from '../ir/builder.ts';
import type { Node } from '../ir/node.ts';
import { formatShape, type Shape } from '../ir/shape.ts';

/** What a surface primitive accepts in one argument position. */
export type ArgKind = 'any' | 'scalar' | 'vector' | 'matrix' | 'square' | 'tensor' | 'dimension';

/** The context a primitive lowers in: the builder and the numerical-guard settings. */
export interface LowerContext {
  readonly b: IrBuilder;
  /** Relative size of the numerical guards (1e-12 in float64; see guards.ts). */
  readonly epsilon: number;
}

/**
 * A DFL built-in as users see it (`cov`, `log`, `eye`, ...): its signature, a one-line doc, and
 * its lowering to IR ops. Surface primitives are compositions; only IR ops need kernels and vjps.
 */
export interface Primitive {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly kind: ArgKind }[];
  readonly doc: string;
  /** Shape relations between arguments beyond their kinds; a message when they fail. */
  readonly relate?: (shapes: readonly Shape[]) => string | undefined;
  /**
   * Builds the IR. A `dimension` argument arrives as a `dimsize` node whose `dim` attribute is
   * the dimension itself.
   */
  readonly lower: (cx: LowerContext, args: readonly Node[]) => Node;
}

const EXPECTED: Record<ArgKind, string> = {
  any: 'any value',
  scalar: 'scalar',
  vector: 'vector[_]',
  matrix: 'matrix[_, _]',
  square: 'a square matrix[k, k]',
  tensor: 'a vector or matrix',
  dimension: 'an integer or rows(M), cols(M), len(v)',
};

/** Whether `shape` fits `kind`; if not, the expected spelling for the diagnostic. */
export function checkKind(kind: ArgKind, shape: Shape): string | undefined {
  const ok =
    kind === 'any' ||
    kind === 'dimension' ||
    (kind === 'scalar' && shape.length === 0) ||
    (kind === 'vector' && shape.length === 1) ||
    (kind === 'matrix' && shape.length === 2) ||
    (kind === 'tensor' && shape.length > 0) ||
    (kind === 'square' && shape.length === 2 && shape[0] === shape[1]);
  return ok ? undefined : EXPECTED[kind];
}

export function sameRows(name: string): (shapes: readonly Shape[]) => string | undefined {
  return ([a, b]) =>
    a[0] === b[0]
      ? undefined
      : `${name} needs both arguments to have the same number of rows, got ${formatShape(a)} and ${formatShape(b)}`;
}
