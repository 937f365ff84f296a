import type { Unsorted } from './host-eigh.ts';
import type { LapackLibrary, Syevd } from './lapack-library.ts';
import { scratch } from './scratch.ts';

/**
 * The LAPACK routines hostEigh can call: dsyevd (divide and conquer, float64), dsyevr (relatively
 * robust representations, float64) and ssyevd (dsyevd in float32: about half the time at
 * k >= 256, eigenvalues to about 2e-7 of the largest; npm run bench:eigh).
 */
export const LAPACK_ROUTINES = ['dsyevd', 'dsyevr', 'ssyevd'] as const;
export type LapackRoutine = (typeof LAPACK_ROUTINES)[number];

/**
 * The environment variable DFLC_EIGH_ROUTINE: the routine of the `eigh` that float32 engines (tfjs,
 * ONNX) run on the host, one of LAPACK_ROUTINES; unset or empty: FLOAT32_ENGINE_ROUTINE.
 */
export const ROUTINE_VARIABLE = 'DFLC_EIGH_ROUTINE';
/**
 * ssyevd: these engines hand over a float32 matrix and take float32 values and vectors back, so a
 * float32 solver adds an error of the size the input already carries. Measured on ONNX Runtime
 * against the float64 reference (2026-12-02): the conformance cases' worst relative error stayed
 * 3.2e-6 (balance_only 3.9e-7 -> 1.3e-6), and the stdlib's spectral objectives at n = 512,
 * d = 64 and 128 stayed under 2.4e-6 (condition(Z) 9.0e-7 -> 1.4e-6); the random programs pass.
 * Nearly rank-deficient spectra cost most: condition(Z)'s gradient at n = 300, d = 256 went from
 * 5.8e-5 (dsyevd: the error of the float32 covariance itself) to 1.5e-4, and at n = 70, d = 64
 * from 1.7e-5 to 9.0e-5, still 14x inside the 2e-3 those tests allow. ssyevd takes 0.5-0.7 of dsyevd's time at
 * k >= 128 (npm run bench:eigh). DFLC_EIGH_ROUTINE=dsyevd keeps float64.
 */
export const FLOAT32_ENGINE_ROUTINE: LapackRoutine = 'ssyevd';

/** The routine float32 engines ask hostEigh for (ROUTINE_VARIABLE, checked). */
export function float32EngineRoutine(): LapackRoutine {
  const value = process.env[ROUTINE_VARIABLE];
  if (value === undefined || value === '') return FLOAT32_ENGINE_ROUTINE;
  if (!(LAPACK_ROUTINES as readonly string[]).includes(value)) {
    throw new Error(`${ROUTINE_VARIABLE} must be one of ${LAPACK_ROUTINES.join(', ')}, not '${value}'`);
  }
  return value as LapackRoutine;
}

/** Whether `library` exports `routine` (dsyevd always; the others where the library has them). */
export function hasRoutine(library: LapackLibrary, routine: LapackRoutine): boolean {
  return library[routine] !== undefined;
}

/**
 * The eigendecomposition of the symmetric k x k matrix `a` (full storage, finite, both triangles
 * equal) by `routine`; null if LAPACK reports failure (info ≠ 0) or lacks the routine, so that the
 * caller can fall back to its own solver. `a` is not modified.
 *
 * LAPACK stores matrices column-major. A symmetric matrix reads the same either way, so `a` goes
 * in as it is, and the eigenvectors come back as the columns of a column-major matrix, which is
 * how they are handed on (the caller's sort reads them there: no transposed copy). The workspace
 * sizes are asked of the routine itself (lwork = liwork = -1) rather than taken from its documented
 * formulas, which libraries have been known to under-state. The k x k buffers, z included, are kept
 * from call to call (scratch.ts): z is valid until the next call.
 */
export function lapackEigh(library: LapackLibrary, a: Float64Array, k: number, routine: LapackRoutine = 'dsyevd'): Unsorted | null {
  if (k === 0) return { lambda: new Float64Array(0), z: new Float64Array(0), columnMajor: true };
  const solved = routine === 'dsyevd' ? syevd(library, 'dsyevd', library.dsyevd, Float64Array, a, k) : routine === 'ssyevd' ? syevd(library, 'ssyevd', library.ssyevd, Float32Array, a, k) : dsyevr(library, a, k);
  return solved === null ? null : { ...solved, columnMajor: true };
}

/** Eigenvalues, and the eigenvectors as the columns of a column-major k x k matrix. */
interface Solved {
  readonly lambda: Float64Array;
  readonly z: Float64Array | Float32Array;
}

/**
 * One workspace per library and routine, kept from call to call while k is unchanged (a training
 * run asks for the same k every step), so that a step neither allocates it nor asks its size (a
 * gain within the noise on a quiet machine; bench:eigh's `dsyevd no reuse`). Per library, since
 * each answers the size query for its own implementation.
 */
interface Workspace<F extends Float64Array | Float32Array> {
  readonly k: number;
  readonly work: F;
  readonly iwork: Int32Array;
}
const workspaces = new WeakMap<LapackLibrary, Map<LapackRoutine, Workspace<Float64Array | Float32Array>>>();

function workspace<F extends Float64Array | Float32Array>(
  library: LapackLibrary,
  routine: LapackRoutine,
  k: number,
  Float: new (length: number) => F,
  query: () => { work: number; iwork: number } | null,
): Workspace<F> | null {
  let byRoutine = workspaces.get(library);
  if (byRoutine === undefined) workspaces.set(library, (byRoutine = new Map()));
  const kept = byRoutine.get(routine);
  // Each routine's workspace is made here with that routine's array type.
  if (kept?.k === k) return kept as Workspace<F>;
  const sizes = query();
  if (sizes === null) return null;
  const made = { k, work: new Float(Math.max(1, Math.ceil(sizes.work))), iwork: new Int32Array(Math.max(1, sizes.iwork)) };
  byRoutine.set(routine, made);
  return made;
}

/** dsyevd or ssyevd (the same routine in float64 or float32), absent when the library lacks it. */
function syevd<F extends Float64Array | Float32Array>(library: LapackLibrary, name: 'dsyevd' | 'ssyevd', routine: Syevd<F> | undefined, Float: new (length: number) => F, a: Float64Array, k: number): Solved | null {
  if (routine === undefined) return null;
  const n = Int32Array.of(k);
  const info = Int32Array.of(0);
  const buffer = scratch(Float, `${name} matrix`, k * k);
  buffer.set(a);
  const lambda = new Float(k);
  const space = workspace(library, name, k, Float, () => {
    const work = new Float(1);
    const iwork = Int32Array.of(0);
    routine('V', 'L', n, buffer, n, lambda, work, Int32Array.of(-1), iwork, Int32Array.of(-1), info, 1, 1);
    return info[0] === 0 ? { work: work[0], iwork: iwork[0] } : null;
  });
  if (space === null) return null;
  routine('V', 'L', n, buffer, n, lambda, space.work, Int32Array.of(space.work.length), space.iwork, Int32Array.of(space.iwork.length), info, 1, 1);
  return info[0] === 0 ? { lambda: Float64Array.from(lambda), z: buffer } : null;
}

function dsyevr(library: LapackLibrary, a: Float64Array, k: number): Solved | null {
  const routine = library.dsyevr;
  if (routine === undefined) return null;
  const n = Int32Array.of(k);
  const info = Int32Array.of(0);
  const found = Int32Array.of(0);
  const buffer = scratch(Float64Array, 'dsyevr matrix', k * k);
  buffer.set(a);
  const lambda = new Float64Array(k);
  const z = scratch(Float64Array, 'dsyevr z', k * k);
  const support = new Int32Array(2 * k);
  // range 'A' (every eigenpair): the bounds and abstol are not read; abstol 0 means LAPACK's default.
  const unused = Float64Array.of(0);
  const none = Int32Array.of(0);
  const call = (work: Float64Array, lwork: number, iwork: Int32Array, liwork: number): void =>
    routine('V', 'A', 'L', n, buffer, n, unused, unused, none, none, unused, found, lambda, z, n, support, work, Int32Array.of(lwork), iwork, Int32Array.of(liwork), info, 1, 1, 1);
  const space = workspace(library, 'dsyevr', k, Float64Array, () => {
    const work = Float64Array.of(0);
    const iwork = Int32Array.of(0);
    call(work, -1, iwork, -1);
    return info[0] === 0 ? { work: work[0], iwork: iwork[0] } : null;
  });
  if (space === null) return null;
  call(space.work, space.work.length, space.iwork, space.iwork.length);
  return info[0] === 0 && found[0] === k ? { lambda, z } : null;
}
