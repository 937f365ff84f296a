import fc from 'fast-check';
import { normals } from '../../../helpers/linalg64.ts';
import { seededUniform } from '../../../helpers/finite-diff.ts';

/** The kinds of symmetric matrices the eigensolver tests draw. */
export const KINDS = ['random', 'repeated', 'low-rank', 'diagonal', 'zero', 'near-identity', 'graded'] as const;
export type Kind = (typeof KINDS)[number];

/** Powers of two and decimal extremes, so that both scaling paths and roundings are exercised. */
export const SCALES = [1, 2 ** -600, 2 ** 600, 1e-300, 1e300, 3.7] as const;

export interface SymmetricCase {
  readonly k: number;
  readonly kind: Kind;
  readonly scale: number;
  readonly seed: number;
}

export const symmetricCase = (maxK: number): fc.Arbitrary<SymmetricCase> =>
  fc.record({
    k: fc.integer({ min: 0, max: maxK }),
    kind: fc.constantFrom(...KINDS),
    scale: fc.constantFrom(...SCALES),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });

/** A random orthogonal k x k matrix (row-major): a product of four random reflections. */
function randomOrthogonal(k: number, next: () => number): Float64Array {
  const q = new Float64Array(k * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  for (let reflection = 0; reflection < 4; reflection++) {
    const u = Float64Array.from({ length: k }, next);
    const uu = u.reduce((s, x) => s + x * x, 0);
    if (uu === 0) continue;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let r = 0; r < k; r++) dot += u[r] * q[r * k + c];
      for (let r = 0; r < k; r++) q[r * k + c] -= (2 * u[r] * dot) / uu;
    }
  }
  return q;
}

/** q diag(lambda) qᵀ, written symmetric exactly (the upper triangle mirrors the lower). */
function fromSpectrum(q: Float64Array, lambda: ArrayLike<number>, k: number): Float64Array {
  const m = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += q[i * k + p] * lambda[p] * q[j * k + p];
      m[i * k + j] = s;
      m[j * k + i] = s;
    }
  }
  return m;
}

/** The matrix of a case: exactly symmetric, row-major. */
export function symmetricMatrix({ k, kind, scale, seed }: SymmetricCase): Float64Array {
  const next = normals(seed);
  const uniform = seededUniform(seed + 1);
  const m = new Float64Array(k * k);
  switch (kind) {
    case 'random':
      for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) m[i * k + j] = m[j * k + i] = uniform() * 2 - 1;
      break;
    case 'repeated': {
      const palette = [-2, 0, 1, 1, 3];
      const lambda = Array.from({ length: k }, () => palette[Math.floor(uniform() * palette.length)]);
      m.set(fromSpectrum(randomOrthogonal(k, next), lambda, k));
      break;
    }
    case 'low-rank': {
      const rank = Math.floor(k / 3);
      const z = Float64Array.from({ length: k * rank }, next);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let p = 0; p < rank; p++) s += z[i * rank + p] * z[j * rank + p];
          m[i * k + j] = m[j * k + i] = s;
        }
      }
      break;
    }
    case 'diagonal':
      for (let i = 0; i < k; i++) m[i * k + i] = Math.floor(uniform() * 7) - 3;
      break;
    case 'zero':
      break;
    case 'near-identity':
      for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) m[i * k + j] = m[j * k + i] = (i === j ? 1 : 0) + 1e-13 * next();
      break;
    case 'graded':
      for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) m[i * k + j] = m[j * k + i] = next() * 10 ** (-(i + j) / 3);
      break;
  }
  for (let i = 0; i < m.length; i++) m[i] *= scale;
  return m;
}

/** Frobenius norm without overflow or underflow in the squares. */
export function frobenius(m: ArrayLike<number>): number {
  let big = 0;
  for (let i = 0; i < m.length; i++) big = Math.max(big, Math.abs(m[i]));
  if (big === 0) return 0;
  let s = 0;
  for (let i = 0; i < m.length; i++) s += (m[i] / big) ** 2;
  return big * Math.sqrt(s);
}

/** max |(A V - V diag(values))_ij| for V's columns. */
export function residual(a: ArrayLike<number>, values: ArrayLike<number>, vectors: ArrayLike<number>, k: number): number {
  let worst = 0;
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[r * k + p] * vectors[p * k + c];
      worst = Math.max(worst, Math.abs(s - values[c] * vectors[r * k + c]));
    }
  }
  return worst;
}

/** max |(VᵀV - I)_ij|. */
export function orthogonalityError(vectors: ArrayLike<number>, k: number): number {
  let worst = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += vectors[p * k + a] * vectors[p * k + b];
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  return worst;
}
