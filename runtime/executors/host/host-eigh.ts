import { householderTridiagonal } from './householder-tridiagonal.ts';
import { jacobiEigen } from './jacobi-eigen.ts';
import { hasRoutine, lapackEigh, type LapackRoutine } from './lapack-eigh.ts';
import { lapackLibrary, type LapackLibrary } from './lapack-library.ts';
import { scratch } from './scratch.ts';
import { tridiagonalQl } from './tridiagonal-ql.ts';

/** Eigenvalues (descending) and eigenvectors (as columns, row-major k x k) of a symmetric matrix. */
export interface HostEigh<F extends Float64Array | Float32Array = Float64Array> {
  readonly values: F;
  readonly vectors: F;
}

/** The array type of an answer, made zero-filled. */
type Make<F extends Float64Array | Float32Array> = new (length: number) => F;

/** Knobs for tests and benchmarks only: which solver, and the JavaScript solver's budgets. */
export interface HostEighOptions {
  /**
   * The LAPACK to call: the platform's (lapack-library.ts) when undefined, none (the JavaScript
   * solver) when null.
   */
  readonly lapack?: LapackLibrary | null;
  /** The LAPACK routine (default dsyevd); dsyevd where the library lacks this one. */
  readonly routine?: LapackRoutine;
  /** QL iterations for the whole matrix before falling back to Jacobi (default 30 k). */
  readonly qlIterations?: number;
  /** Jacobi sweeps before giving up with NaN (default 60). */
  readonly jacobiSweeps?: number;
}

/**
 * The symmetric eigendecomposition that float32 engines (tfjs, ONNX, generated modules) run on the
 * host: the one entry point they share. It computes in float64 unless `routine` is ssyevd, which
 * tfjs and ONNX ask for (FLOAT32_ENGINE_ROUTINE in lapack-eigh.ts says why).
 *
 * `data` is a k x k matrix in row-major order (float32 from a device read-back, or float64). It is
 * symmetrised as (A + Aᵀ)/2 first, since float32 products such as ZᵀZ are symmetric only to
 * rounding. Values come back in DESCENDING order and the vectors as the matching COLUMNS, each with
 * its sign fixed so that its entry of largest magnitude (the first, at ties) is positive, which
 * makes the result deterministic. A matrix with a non-finite entry gives all-NaN values and vectors
 * rather than an exception or a hang.
 *
 * The matrix is first scaled by a power of two (exact) so that its largest entry is of order 1,
 * which keeps every square in range. The solver is the platform's LAPACK (`routine`, default
 * dsyevd, through koffi; lapack-library.ts says where it is looked for, and dsyevd stands in for a
 * routine the library lacks) when one loads, about 6-10x faster at k = 256-512. Without one, or if
 * it reports failure, the JavaScript solver of this folder runs: Householder
 * reduction to tridiagonal form, then implicit QL (Wilkinson shifts, sharpened by precomputed
 * eigenvalues), both on flat Float64Arrays with row-contiguous inner loops. QL takes 1-2 sweeps per eigenvalue; if it has not
 * converged within 30 k sweeps, cyclic Jacobi on the matrix itself takes over, because Jacobi
 * converges for every finite symmetric matrix, where an answer of NaN would poison a training run.
 * Only if Jacobi also exceeds its sweep budget (never observed) is the answer all NaN, so the call
 * always returns in bounded time. The float64 reference backend keeps ml-matrix as its independent
 * oracle.
 */
export function hostEigh(data: ArrayLike<number>, k: number, options: HostEighOptions = {}): HostEigh {
  return eighAs(Float64Array, data, k, options);
}

/**
 * hostEigh's answer rounded to float32, as the host kernels hand it to float32 engines, written
 * straight into float32 arrays: no float64 copy of the vectors to allocate (and page-fault) and
 * convert, and the same numbers as Float32Array.from of hostEigh's.
 */
export function hostEighFloat32(data: ArrayLike<number>, k: number, options: HostEighOptions = {}): HostEigh<Float32Array> {
  return eighAs(Float32Array, data, k, options);
}

function eighAs<F extends Float64Array | Float32Array>(make: Make<F>, data: ArrayLike<number>, k: number, options: HostEighOptions): HostEigh<F> {
  if (data.length !== k * k) throw new RangeError(`hostEigh: ${data.length} entries for a ${k} x ${k} matrix`);
  let largest = 0;
  for (let i = 0; i < data.length; i++) {
    const x = Math.abs(data[i]);
    if (!(x <= Number.MAX_VALUE)) return allNaN(make, k); // NaN or ±Infinity
    if (x > largest) largest = x;
  }
  if (largest === 0) {
    // Also k = 0. The zero matrix: values 0, vectors I.
    const vectors = new make(k * k);
    for (let r = 0; r < k; r++) vectors[r * k + r] = 1;
    return { values: new make(k), vectors };
  }
  // Scale by 2^-exponent, exactly, so that the largest entry is in [1, 2).
  const exponent = Math.floor(Math.log2(largest));
  const lapack = options.lapack === undefined ? platformLapack() : options.lapack;
  // Kept from call to call (scratch.ts): the solvers read it or work in it, and
  // descendingWithSigns copies the answer out.
  const scaled = symmetrisedScaled(data, k, -exponent, scratch(Float64Array, 'hostEigh matrix', k * k));
  const solved =
    (lapack === null ? null : lapackEigh(lapack, scaled, k, routineIn(lapack, options.routine))) ??
    qlSolve(scaled, k, options.qlIterations ?? 30 * k) ??
    jacobiSolve(symmetrisedScaled(data, k, -exponent, new Float64Array(k * k)), k, options.jacobiSweeps ?? 60);
  if (solved === null) return allNaN(make, k);
  scaleByPowerOfTwo(solved.lambda, exponent);
  return descendingWithSigns(make, solved);
}

function platformLapack(): LapackLibrary | null {
  const library = lapackLibrary();
  return 'dsyevd' in library ? library : null;
}

/** `wanted` (default dsyevd) if `library` has it, else dsyevd, which every LAPACK has. */
function routineIn(library: LapackLibrary, wanted: LapackRoutine = 'dsyevd'): LapackRoutine {
  return hasRoutine(library, wanted) ? wanted : 'dsyevd';
}

/** The solver hostEigh runs here with `routine`, in words, for the backend line. */
export function hostEighSolver(routine?: LapackRoutine): string {
  const library = lapackLibrary();
  return 'dsyevd' in library ? `LAPACK ${routineIn(library, routine)} (${library.description})` : `JavaScript Householder + QL (${library.reason})`;
}

/** Values sorted descending (ties: in solver order) and the matching columns, signs fixed. */
function descendingWithSigns<F extends Float64Array | Float32Array>(make: Make<F>, { lambda, z, columnMajor }: Unsorted): HostEigh<F> {
  const k = lambda.length;
  // Entry (r, c) of z is z[r * across + c * down].
  const [across, down] = columnMajor ? [1, k] : [k, 1];
  const order = Int32Array.from({ length: k }, (_, i) => i).sort((x, y) => lambda[y] - lambda[x] || x - y);
  // The sign of each column: that of its first entry of largest magnitude.
  const sign = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let biggest = 0;
    let s = 1;
    for (let r = 0; r < k; r++) {
      const x = z[r * across + c * down];
      const m = Math.abs(x);
      if (m > biggest) {
        biggest = m;
        s = x < 0 ? -1 : 1;
      }
    }
    sign[c] = s;
  }
  const values = new make(k);
  const vectors = new make(k * k);
  // + 0 turns -0 into 0: dsyevr answers -0 (values and vectors) for a matrix that symmetrises to
  // zero, the other solvers 0.
  for (let col = 0; col < k; col++) {
    const src = order[col];
    values[col] = lambda[src] + 0;
    const s = sign[src];
    const from = src * down;
    for (let r = 0; r < k; r++) vectors[r * k + col] = s * z[from + r * across] + 0;
  }
  return { values, vectors };
}

/**
 * Eigenvalues (unsorted) and eigenvectors as the matching columns of z, k x k: row-major from the
 * JavaScript solvers, column-major (LAPACK's layout) from LAPACK.
 */
export interface Unsorted {
  readonly lambda: Float64Array;
  readonly z: Float64Array | Float32Array;
  readonly columnMajor: boolean;
}

function qlSolve(a: Float64Array, k: number, maxIterations: number): Unsorted | null {
  const { diagonal, offDiagonal, q } = householderTridiagonal(a, k);
  return tridiagonalQl(diagonal, offDiagonal, q, k, maxIterations) ? { lambda: diagonal, z: q, columnMajor: false } : null;
}

function jacobiSolve(a: Float64Array, k: number, maxSweeps: number): Unsorted | null {
  const z = new Float64Array(k * k);
  if (!jacobiEigen(a, z, k, maxSweeps)) return null;
  return { lambda: Float64Array.from({ length: k }, (_, i) => a[i * k + i]), z, columnMajor: false };
}

/**
 * (A + Aᵀ)/2 times 2^power, full storage, written over every entry of `a`. (x + y) / 2 rounds
 * once; where x + y overflows, x / 2 + y / 2 is exact instead (both halves are normal numbers there).
 */
function symmetrisedScaled(data: ArrayLike<number>, k: number, power: number, a: Float64Array): Float64Array {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      const x = Number(data[i * k + j]);
      const y = Number(data[j * k + i]);
      const sum = x + y;
      const mean = Math.abs(sum) <= Number.MAX_VALUE ? 0.5 * sum : 0.5 * x + 0.5 * y;
      a[i * k + j] = mean;
      a[j * k + i] = mean;
    }
  }
  scaleByPowerOfTwo(a, power);
  return a;
}

function allNaN<F extends Float64Array | Float32Array>(make: Make<F>, k: number): HostEigh<F> {
  const values = new make(k);
  const vectors = new make(k * k);
  values.fill(Number.NaN);
  vectors.fill(Number.NaN);
  return { values, vectors };
}

/** x *= 2^power for every entry, in steps that cannot overflow the factor itself. */
function scaleByPowerOfTwo(x: Float64Array, power: number): void {
  while (power !== 0) {
    const step = Math.max(-1000, Math.min(1000, power));
    const factor = 2 ** step;
    for (let i = 0; i < x.length; i++) x[i] *= factor;
    power -= step;
  }
}
