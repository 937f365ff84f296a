import type { Unsorted } from './host-eigh.ts';
import type { LapackLibrary } from './lapack-library.ts';
import { scratchFloat32, scratchFloat64 } from './scratch.ts';

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
 * in as it is; the eigenvectors come back as the COLUMNS of a column-major matrix, that is as the
 * rows of the buffer read row-major, so they are transposed into z's row-major columns. The
 * workspace sizes are asked of the routine itself (lwork = liwork = -1) rather than taken from its
 * documented formulas, which libraries have been known to under-state. The k x k buffers, z
 * included, are kept from call to call (scratch.ts): z is valid until the next call.
 */
export function lapackEigh(library: LapackLibrary, a: Float64Array, k: number, routine: LapackRoutine = 'dsyevd'): Unsorted | null {
  if (k === 0) return { lambda: new Float64Array(0), z: new Float64Array(0) };
  const solved = routine === 'dsyevd' ? dsyevd(library, a, k) : routine === 'dsyevr' ? dsyevr(library, a, k) : ssyevd(library, a, k);
  if (solved === null) return null;
  const { lambda, columnMajor } = solved;
  const z = scratchFloat64('lapackEigh z', k * k);
  for (let col = 0; col < k; col++) {
    const from = col * k;
    for (let r = 0; r < k; r++) z[r * k + col] = columnMajor[from + r];
  }
  return { lambda, z };
}

/** Eigenvalues, and the eigenvectors as the columns of a column-major k x k matrix. */
interface Solved {
  readonly lambda: Float64Array;
  readonly columnMajor: ArrayLike<number>;
}

/**
 * One workspace per library and routine, kept from call to call while k is unchanged (a training
 * run asks for the same k every step), so that a step neither allocates it nor asks its size (a
 * gain within the noise on a quiet machine; bench:eigh's `dsyevd no reuse`). Per library, since
 * each answers the size query for its own implementation.
 */
interface Workspace {
  readonly k: number;
  readonly work: Float64Array | Float32Array;
  readonly iwork: Int32Array;
}
const workspaces = new WeakMap<LapackLibrary, Map<LapackRoutine, Workspace>>();

function workspace(
  library: LapackLibrary,
  routine: LapackRoutine,
  k: number,
  query: () => { work: number; iwork: number } | null,
  float32: boolean,
): Workspace | null {
  let byRoutine = workspaces.get(library);
  if (byRoutine === undefined) workspaces.set(library, (byRoutine = new Map()));
  const kept = byRoutine.get(routine);
  if (kept?.k === k) return kept;
  const sizes = query();
  if (sizes === null) return null;
  const length = Math.max(1, Math.ceil(sizes.work));
  const made = { k, work: float32 ? new Float32Array(length) : new Float64Array(length), iwork: new Int32Array(Math.max(1, sizes.iwork)) };
  byRoutine.set(routine, made);
  return made;
}

function dsyevd(library: LapackLibrary, a: Float64Array, k: number): Solved | null {
  const n = Int32Array.of(k);
  const info = Int32Array.of(0);
  const buffer = scratchFloat64('dsyevd matrix', k * k);
  buffer.set(a);
  const lambda = new Float64Array(k);
  const space = workspace(
    library,
    'dsyevd',
    k,
    () => {
      const work = Float64Array.of(0);
      const iwork = Int32Array.of(0);
      library.dsyevd('V', 'L', n, buffer, n, lambda, work, Int32Array.of(-1), iwork, Int32Array.of(-1), info, 1, 1);
      return info[0] === 0 ? { work: work[0], iwork: iwork[0] } : null;
    },
    false,
  );
  if (space === null) return null;
  const work = space.work as Float64Array;
  library.dsyevd('V', 'L', n, buffer, n, lambda, work, Int32Array.of(work.length), space.iwork, Int32Array.of(space.iwork.length), info, 1, 1);
  return info[0] === 0 ? { lambda, columnMajor: buffer } : null;
}

function ssyevd(library: LapackLibrary, a: Float64Array, k: number): Solved | null {
  const routine = library.ssyevd;
  if (routine === undefined) return null;
  const n = Int32Array.of(k);
  const info = Int32Array.of(0);
  const buffer = scratchFloat32('ssyevd matrix', k * k);
  buffer.set(a);
  const lambda = new Float32Array(k);
  const space = workspace(
    library,
    'ssyevd',
    k,
    () => {
      const work = Float32Array.of(0);
      const iwork = Int32Array.of(0);
      routine('V', 'L', n, buffer, n, lambda, work, Int32Array.of(-1), iwork, Int32Array.of(-1), info, 1, 1);
      return info[0] === 0 ? { work: work[0], iwork: iwork[0] } : null;
    },
    true,
  );
  if (space === null) return null;
  const work = space.work as Float32Array;
  routine('V', 'L', n, buffer, n, lambda, work, Int32Array.of(work.length), space.iwork, Int32Array.of(space.iwork.length), info, 1, 1);
  return info[0] === 0 ? { lambda: Float64Array.from(lambda), columnMajor: buffer } : null;
}

function dsyevr(library: LapackLibrary, a: Float64Array, k: number): Solved | null {
  const routine = library.dsyevr;
  if (routine === undefined) return null;
  const n = Int32Array.of(k);
  const info = Int32Array.of(0);
  const found = Int32Array.of(0);
  const buffer = scratchFloat64('dsyevr matrix', k * k);
  buffer.set(a);
  const lambda = new Float64Array(k);
  const z = scratchFloat64('dsyevr z', k * k);
  const support = new Int32Array(2 * k);
  // range 'A' (every eigenpair): the bounds and abstol are not read; abstol 0 means LAPACK's default.
  const unused = Float64Array.of(0);
  const none = Int32Array.of(0);
  const call = (work: Float64Array, lwork: number, iwork: Int32Array, liwork: number): void =>
    routine('V', 'A', 'L', n, buffer, n, unused, unused, none, none, unused, found, lambda, z, n, support, work, Int32Array.of(lwork), iwork, Int32Array.of(liwork), info, 1, 1, 1);
  const space = workspace(
    library,
    'dsyevr',
    k,
    () => {
      const work = Float64Array.of(0);
      const iwork = Int32Array.of(0);
      call(work, -1, iwork, -1);
      return info[0] === 0 ? { work: work[0], iwork: iwork[0] } : null;
    },
    false,
  );
  if (space === null) return null;
  call(space.work as Float64Array, space.work.length, space.iwork, space.iwork.length);
  return info[0] === 0 && found[0] === k ? { lambda, columnMajor: z } : null;
}
