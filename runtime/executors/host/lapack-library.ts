import { createRequire } from 'node:module';

type Koffi = typeof import('koffi');

/**
 * LAPACK's `dsyevd` (symmetric eigendecomposition, divide and conquer; F = Float64Array) or
 * `ssyevd` (the same in float32; F = Float32Array), Fortran calling convention: every argument by
 * pointer, and the two CHARACTER arguments' hidden lengths at the end (gfortran's convention; a
 * library built otherwise ignores the trailing arguments).
 */
export type Syevd<F extends Float32Array | Float64Array> = (
  jobz: string,
  uplo: string,
  n: Int32Array,
  a: F,
  lda: Int32Array,
  w: F,
  work: F,
  lwork: Int32Array,
  iwork: Int32Array,
  liwork: Int32Array,
  info: Int32Array,
  jobzLength: number,
  uploLength: number,
) => void;

export type Dsyevd = Syevd<Float64Array>;
export type Ssyevd = Syevd<Float32Array>;

/**
 * LAPACK's `dsyevr` (relatively robust representations), all eigenpairs when range is 'A'; vl, vu,
 * il, iu and abstol are then read but unused. The vectors come back in `z`, `a` is destroyed.
 */
export type Dsyevr = (
  jobz: string,
  range: string,
  uplo: string,
  n: Int32Array,
  a: Float64Array,
  lda: Int32Array,
  vl: Float64Array,
  vu: Float64Array,
  il: Int32Array,
  iu: Int32Array,
  abstol: Float64Array,
  m: Int32Array,
  w: Float64Array,
  z: Float64Array,
  ldz: Int32Array,
  isuppz: Int32Array,
  work: Float64Array,
  lwork: Int32Array,
  iwork: Int32Array,
  liwork: Int32Array,
  info: Int32Array,
  jobzLength: number,
  rangeLength: number,
  uploLength: number,
) => void;

/** BLAS's `dgemm`: C = alpha op(A) op(B) + beta C, column-major (bench:eigh's warm start). */
export type Dgemm = (
  transa: string,
  transb: string,
  m: Int32Array,
  n: Int32Array,
  k: Int32Array,
  alpha: Float64Array,
  a: Float64Array,
  lda: Int32Array,
  b: Float64Array,
  ldb: Int32Array,
  beta: Float64Array,
  c: Float64Array,
  ldc: Int32Array,
  transaLength: number,
  transbLength: number,
) => void;

/**
 * A loaded LAPACK: its `dsyevd`, the other routines bench:eigh compares with it where the library
 * has them, and where it came from (for the backend line).
 */
export interface LapackLibrary {
  readonly dsyevd: Dsyevd;
  readonly ssyevd?: Ssyevd;
  readonly dsyevr?: Dsyevr;
  readonly dgemm?: Dgemm;
  /** OpenBLAS's thread count (openblas_set_num_threads); absent for other libraries. */
  readonly setThreads?: (threads: number) => void;
  /** For example `OpenBLAS 0.3.21, /usr/lib/.../libopenblas.so.0`. */
  readonly description: string;
}

/** Why no LAPACK is used: turned off, or none of the candidates loaded. */
export interface LapackMissing {
  readonly reason: string;
}

/**
 * Where to look, best first. OpenBLAS carries LAPACK built on its own tuned BLAS (about 3x faster
 * than reference LAPACK on reference BLAS at k = 512); Debian installs it under openblas-pthread/
 * and points the generic names at it through alternatives. Bare names go through the dynamic
 * linker's search path; full paths cover a library that is installed but not configured there.
 */
const CANDIDATES: Readonly<Partial<Record<string, readonly string[]>>> = {
  linux: [
    'libopenblas.so.0',
    `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/openblas-pthread/libopenblas.so.0`,
    'liblapack.so.3',
    `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/lapack/liblapack.so.3`,
  ],
  darwin: ['/System/Library/Frameworks/Accelerate.framework/Accelerate'],
};

/**
 * The environment variable DFLC_LAPACK: `off` keeps the JavaScript solver; a path loads that
 * library (anything exporting `dsyevd_`); unset or empty searches CANDIDATES.
 */
export const LAPACK_VARIABLE = 'DFLC_LAPACK';

let loaded: LapackLibrary | LapackMissing | undefined;

/**
 * The platform's LAPACK, loaded on first use and kept for the process (a library that failed to
 * load fails again, and koffi declares each prototype once). Never throws: a machine without one
 * gets the reason instead, and hostEigh runs its JavaScript solver.
 */
export function lapackLibrary(): LapackLibrary | LapackMissing {
  loaded ??= loadLapack(process.env[LAPACK_VARIABLE]);
  return loaded;
}

/** The library a DFLC_LAPACK setting names (see lapackLibrary), loaded afresh. */
export function loadLapack(setting: string | undefined): LapackLibrary | LapackMissing {
  if (setting === 'off') return { reason: `${LAPACK_VARIABLE}=off` };
  let koffi: Koffi;
  try {
    const module = createRequire(import.meta.url)('koffi') as Koffi & { default?: Koffi };
    koffi = module.default ?? module;
  } catch (error) {
    return { reason: `koffi failed to load (${firstLine(error)})` };
  }
  const paths = setting !== undefined && setting !== '' ? [setting] : (CANDIDATES[process.platform] ?? []);
  const failures: string[] = [];
  for (const path of paths) {
    try {
      return bind(koffi, koffi.load(path), path);
    } catch (error) {
      failures.push(`${path}: ${firstLine(error)}`);
    }
  }
  if (paths.length === 0) return { reason: `no LAPACK is known for platform ${process.platform}` };
  return { reason: `no LAPACK loaded (${failures.join('; ')})` };
}

function bind(koffi: Koffi, library: ReturnType<Koffi['load']>, path: string): LapackLibrary {
  const dsyevd = library.func(
    'void dsyevd_(const char *jobz, const char *uplo, const int *n, _Inout_ double *a, const int *lda, _Out_ double *w, _Out_ double *work, const int *lwork, _Out_ int *iwork, const int *liwork, _Out_ int *info, size_t jobzLength, size_t uploLength)',
  ) as Dsyevd;
  const ssyevd = optional(
    () =>
      library.func(
        'void ssyevd_(const char *jobz, const char *uplo, const int *n, _Inout_ float *a, const int *lda, _Out_ float *w, _Out_ float *work, const int *lwork, _Out_ int *iwork, const int *liwork, _Out_ int *info, size_t jobzLength, size_t uploLength)',
      ) as Ssyevd,
  );
  const dsyevr = optional(
    () =>
      library.func(
        'void dsyevr_(const char *jobz, const char *range, const char *uplo, const int *n, _Inout_ double *a, const int *lda, const double *vl, const double *vu, const int *il, const int *iu, const double *abstol, _Out_ int *m, _Out_ double *w, _Out_ double *z, const int *ldz, _Out_ int *isuppz, _Out_ double *work, const int *lwork, _Out_ int *iwork, const int *liwork, _Out_ int *info, size_t jobzLength, size_t rangeLength, size_t uploLength)',
      ) as Dsyevr,
  );
  const dgemm = optional(
    () =>
      library.func(
        'void dgemm_(const char *transa, const char *transb, const int *m, const int *n, const int *k, const double *alpha, const double *a, const int *lda, const double *b, const int *ldb, const double *beta, _Inout_ double *c, const int *ldc, size_t transaLength, size_t transbLength)',
      ) as Dgemm,
  );
  // Not OpenBLAS (reference LAPACK, Accelerate): no thread pool of its own, and no vendor string.
  const setThreads = optional(() => library.func('void openblas_set_num_threads(int threads)') as (threads: number) => void);
  const config = optional(() => library.func('const char *openblas_get_config()') as () => string);
  // OpenBLAS starts a thread per core; ONNX Runtime's threads already use them, and at
  // k <= 1024 one thread is as fast on a loaded machine (npm run bench:eigh).
  setThreads?.(1);
  const vendor = config === undefined ? 'LAPACK' : `OpenBLAS ${config().split(' ')[1] ?? ''}`.trim();
  return { dsyevd, ssyevd, dsyevr, dgemm, setThreads, description: `${vendor}, ${path}` };
}

/** A symbol the library may lack: koffi throws when it is not exported. */
function optional<T>(declare: () => T): T | undefined {
  try {
    return declare();
  } catch {
    return undefined;
  }
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
