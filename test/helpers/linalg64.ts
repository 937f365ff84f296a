import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { seededUniform } from './finite-diff.ts';

/**
 * Plain float64 linear algebra for hand-written reference formulas in tests. Deliberately
 * independent of the compiler: arrays of rows, loops, and ml-matrix only for eigenvalues.
 */
export type Rows = number[][];

/** A seeded generator of standard normals (Box–Muller over the tests' seeded uniform). */
export function normals(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function randomRows(seed: number, n: number, d: number): Rows {
  const next = normals(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => next()));
}

export function flat(rows: Rows): Float64Array {
  return Float64Array.from(rows.flat());
}

export function transpose(a: Rows): Rows {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

export function matmul(a: Rows, b: Rows): Rows {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

export function centered(z: Rows): Rows {
  const n = z.length;
  const means = z[0].map((_, j) => z.reduce((s, row) => s + row[j], 0) / n);
  return z.map((row) => row.map((v, j) => v - means[j]));
}

export function xcov(a: Rows, b: Rows): Rows {
  const n = a.length;
  return matmul(transpose(centered(a)), centered(b)).map((row) => row.map((v) => v / (n - 1)));
}

export function cov(z: Rows): Rows {
  return xcov(z, z);
}

export function eigvalsDesc(m: Rows): number[] {
  const evd = new EigenvalueDecomposition(new Matrix(m), { assumeSymmetric: true });
  return [...evd.realEigenvalues].sort((x, y) => y - x);
}

export function sum(v: number[]): number {
  return v.reduce((s, x) => s + x, 0);
}

export function fro2(m: Rows): number {
  return sum(m.map((row) => sum(row.map((v) => v * v))));
}

export function offdiag(m: Rows): Rows {
  return m.map((row, i) => row.map((v, j) => (i === j ? 0 : v)));
}

export function entropy(p: number[]): number {
  return -sum(p.map((x) => (x > 0 ? x * Math.log(x) : 0)));
}

export function rownorm(z: Rows): Rows {
  return z.map((row) => {
    const norm = Math.sqrt(sum(row.map((v) => v * v)));
    return row.map((v) => v / norm);
  });
}
