import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { householderTridiagonal } from '../../../../runtime/executors/host/householder-tridiagonal.ts';
import { frobenius, orthogonalityError, symmetricCase, symmetricMatrix } from './symmetric-cases.ts';

describe('householderTridiagonal', () => {
  it('gives an orthogonal Q and a tridiagonal T with Q T Qᵀ = A, reading only the lower triangle', () => {
    fc.assert(
      fc.property(symmetricCase(30), (c) => {
        const { k } = c;
        const m = symmetricMatrix({ ...c, scale: 1 });
        const lower = Float64Array.from(m, (x, idx) => (idx % k > Math.floor(idx / k) ? Number.NaN : x));
        const { diagonal, offDiagonal, q } = householderTridiagonal(lower, k);
        expect(orthogonalityError(q, k)).toBeLessThanOrEqual(1e-13);
        if (k > 0) expect(offDiagonal[k - 1]).toBe(0);
        let worst = 0;
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) {
            // (Q T Qᵀ)_ij = Σ_p q_ip (d_p q_jp + e_p q_j,p+1 + e_p-1 q_j,p-1)
            let s = 0;
            for (let p = 0; p < k; p++) {
              let tq = diagonal[p] * q[j * k + p];
              if (p + 1 < k) tq += offDiagonal[p] * q[j * k + p + 1];
              if (p > 0) tq += offDiagonal[p - 1] * q[j * k + p - 1];
              s += q[i * k + p] * tq;
            }
            worst = Math.max(worst, Math.abs(s - m[i * k + j]));
          }
        }
        expect(worst).toBeLessThanOrEqual(1e-13 * Math.max(1, frobenius(m)));
      }),
      { numRuns: 60 },
    );
  });
});
