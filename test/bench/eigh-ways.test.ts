import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wasmJacobi } from '../../bench/eigh-wasm.ts';
import { warmStartEigh } from '../../bench/eigh-warm-start.ts';
import { hostEigh } from '../../runtime/executors/host/host-eigh.ts';
import { lapackLibrary } from '../../runtime/executors/host/lapack-library.ts';
import { jacobiEigen } from '../../runtime/executors/host/jacobi-eigen.ts';
import { frobenius, orthogonalityError, residual, symmetricCase, symmetricMatrix } from '../runtime/executors/host/symmetric-cases.ts';

const platform = lapackLibrary();
const dgemm = 'dsyevd' in platform ? platform.dgemm : undefined;
const sorted = (xs: ArrayLike<number>): number[] => Array.from(xs).sort((a, b) => a - b);

describe.skipIf(dgemm === undefined)(`bench:eigh's warm start${dgemm === undefined ? ' (skipped: no LAPACK with dgemm here)' : ''}`, () => {
  it('decomposes A from any orthogonal start (here the eigenvectors of another matrix)', () => {
    fc.assert(
      fc.property(symmetricCase(16).filter((c) => c.k > 0 && c.scale === 1), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (c, seed) => {
        const a = symmetricMatrix(c);
        const start = hostEigh(symmetricMatrix({ ...c, kind: 'random', seed }), c.k, { lapack: null }).vectors;
        const solved = warmStartEigh(dgemm!, a, start, c.k, 60)!;
        const norm = frobenius(a);
        expect(residual(a, solved.lambda, solved.z, c.k)).toBeLessThanOrEqual(1e-12 * Math.max(norm, 1));
        expect(orthogonalityError(solved.z, c.k)).toBeLessThanOrEqual(1e-12);
        const want = sorted(hostEigh(a, c.k, { lapack: null }).values);
        sorted(solved.lambda).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-12 * Math.max(norm, 1)));
      }),
      { numRuns: 60 },
    );
  });
});

const wasm = wasmJacobi();
describe.skipIf(typeof wasm === 'string')(`bench:eigh's WebAssembly Jacobi${typeof wasm === 'string' ? ` (skipped: ${wasm})` : ''}`, () => {
  it('gives the JavaScript Jacobi eigenvalues bit for bit (the same operations)', () => {
    fc.assert(
      fc.property(symmetricCase(20).filter((c) => c.k > 0), (c) => {
        const m = symmetricMatrix(c);
        const a = Float64Array.from(m);
        expect(jacobiEigen(a, new Float64Array(c.k * c.k), c.k, 60)).toBe(true);
        expect((wasm as Exclude<typeof wasm, string>)(m, c.k, 60)).toEqual(Float64Array.from({ length: c.k }, (_, i) => a[i * c.k + i]));
      }),
      { numRuns: 60 },
    );
  });
});
