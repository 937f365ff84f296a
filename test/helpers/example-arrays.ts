import type { Shape } from '../../compiler/ir/shape.ts';

/**
 * The small float64 arrays the per-op examples (op-rows.ts, OP_TESTS[op].examples) are written on,
 * and the helpers their hand formulas use. Sizes: n = 2, d = 3, k = 2 (EXAMPLE_SIZES).
 */

export interface Array64 {
  readonly shape: Shape;
  readonly data: readonly number[];
}

export const s = (x: number): Array64 => ({ shape: [], data: [x] });
export const v = (shape: Shape, data: number[]): Array64 => ({ shape, data });
export const m = (shape: Shape, rows: number[][]): Array64 => ({ shape, data: rows.flat() });

/** The sizes the example arrays have; inferSizes must find them again. */
export const EXAMPLE_SIZES: Readonly<Record<string, number>> = { n: 2, d: 3, k: 2 };

export const X = v(['d'], [0.7, -1.3, 2.1]);
export const P = v(['d'], [0.7, 1.3, 2.1]); // positive
export const A = m(['n', 'd'], [[1, -2, 0.5], [0.25, 3, -1.5]]);
export const B = m(['n', 'd'], [[-0.5, 1, 2], [1.5, -0.75, 0.3]]);
export const S = m(['d', 'd'], [[2, 0.5, -1], [0.3, 1, 0.2], [0.1, -0.4, -1.5]]);
export const T = m(['k', 'k'], [[1, 0.4], [-0.2, 2]]); // T + Tᵀ = [[2, 0.2], [0.2, 4]]

export const map = (xs: readonly number[], f: (x: number) => number): number[] => xs.map(f);
export const zip = (xs: readonly number[], ys: readonly number[], f: (x: number, y: number) => number): number[] =>
  xs.map((x, i) => f(x, ys[i]));

/** Symmetric 2x2 [[a, b], [b, c]]: eigenvalues (a+c)/2 ± √(((a-c)/2)² + b²). */
export function eig2(a: number, b: number, cc: number): [number, number] {
  const mid = (a + cc) / 2;
  const r = Math.hypot((a - cc) / 2, b);
  return [mid + r, mid - r];
}
