import { describe, expect, it } from 'vitest';
import { differentiate } from '../../compiler/autodiff.ts';
import { evaluate, inferSizes } from '../../compiler/backends/reference/evaluate.ts';
import { tensor64, type Tensor64 } from '../../compiler/ir/tensor.ts';
import { forwardProgram } from '../helpers/compile-source.ts';
import {
  centered,
  cov,
  eigvalsDesc,
  entropy,
  flat,
  fro2,
  matmul,
  offdiag,
  randomRows,
  rownorm,
  sum,
  transpose,
  xcov,
  type Rows,
} from '../helpers/linalg64.ts';

/** Each stdlib def against an independent float64 formula written from LANGUAGE.md. */

function bind(arrays: Record<string, Rows>): Map<string, Tensor64> {
  return new Map(Object.entries(arrays).map(([k, v]) => [k, tensor64([v.length, v[0].length], flat(v))]));
}

function valueOf(source: string, arrays: Record<string, Rows>): number {
  const program = forwardProgram(source);
  const inputs = bind(arrays);
  return evaluate(program, inputs, inferSizes(program, inputs)).get('value')!.data[0];
}

function corr(z: Rows): Rows {
  const c = cov(z);
  return c.map((row, i) => row.map((v, j) => v / Math.sqrt(c[i][i] * c[j][j])));
}

function xcorr(a: Rows, b: Rows): Rows {
  const c = xcov(a, b);
  const va = cov(a);
  const vb = cov(b);
  return c.map((row, i) => row.map((v, j) => v / Math.sqrt(va[i][i] * vb[j][j])));
}

function cka(a: Rows, b: Rows): number {
  const ca = centered(a);
  const cb = centered(b);
  const num = fro2(matmul(transpose(cb), ca));
  return num / (Math.sqrt(fro2(matmul(transpose(ca), ca))) * Math.sqrt(fro2(matmul(transpose(cb), cb))));
}

const spectrum = (z: Rows) => eigvalsDesc(cov(z)).map((v) => Math.max(v, 0));

const formulas: Record<string, (z: Rows, w: Rows) => number> = {
  'balance(spectrum(Z))': (z) => {
    const s = spectrum(z);
    return 1 - entropy(s.map((x) => x / sum(s))) / Math.log(s.length);
  },
  'balance2(spectrum(Z))': (z) => {
    const s = spectrum(z);
    return 1 - sum(s) ** 2 / sum(s.map((x) => x * x)) / s.length;
  },
  'condition(Z)': (z) => {
    const s = spectrum(z);
    return Math.log(s[0] / Math.max(s[s.length - 1], 1e-6 * s[0]));
  },
  'effrank(Z)': (z) => {
    // The documented guard: roots of eigenvalues clamped at 1e-12 of the largest.
    const raw = spectrum(z);
    const s = raw.map((v) => Math.sqrt(Math.max(v, 1e-12 * raw[0])));
    return Math.exp(entropy(s.map((x) => x / sum(s))));
  },
  'ortho(Z)': (z) => {
    const d = z[0].length;
    return fro2(offdiag(corr(z))) / (d * (d - 1));
  },
  'cka(Z, W)': (z, w) => cka(z, w),
  'consistent(Z, W)': (z, w) => 1 - cka(z, w),
  'variance(Z)': (z) => {
    const c = cov(z);
    const terms = c.map((row, i) => Math.max(0, 1 - Math.sqrt(row[i] + 0.0001)));
    return sum(terms) / terms.length;
  },
  'variance(Z, gamma=1.5)': (z) => {
    const c = cov(z);
    const terms = c.map((row, i) => Math.max(0, 1.5 - Math.sqrt(row[i] + 0.0001)));
    return sum(terms) / terms.length;
  },
  'covariance(Z)': (z) => fro2(offdiag(cov(z))) / z[0].length,
  'invariance(Z, W)': (z, w) => sum(z.flatMap((row, i) => row.map((v, j) => (v - w[i][j]) ** 2))) / (z.length * z[0].length),
  'barlow(Z, W)': (z, w) => {
    const c = xcorr(z, w);
    return sum(c.map((row, i) => (1 - row[i]) ** 2)) + 0.005 * fro2(offdiag(c));
  },
  'barlow(Z, W, lambda=0.1)': (z, w) => {
    const c = xcorr(z, w);
    return sum(c.map((row, i) => (1 - row[i]) ** 2)) + 0.1 * fro2(offdiag(c));
  },
  'uniformity(Z)': (z) => {
    const u = rownorm(z);
    const n = z.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i !== j) total += Math.exp(-2 * sum(u[i].map((v, k) => (v - u[j][k]) ** 2)));
      }
    }
    return Math.log(total / (n * (n - 1)));
  },
  'alignment(Z, W)': (z, w) => {
    const a = rownorm(z);
    const b = rownorm(w);
    return sum(a.flatMap((row, i) => row.map((v, j) => (v - b[i][j]) ** 2))) / z.length;
  },
};

describe('stdlib defs match independent float64 formulas', () => {
  for (const [n, d] of [
    [24, 6],
    [5, 9],
  ]) {
    for (const [source, formula] of Object.entries(formulas)) {
      it(`${source} at n=${n}, d=${d}`, () => {
        const z = randomRows(7 + n, n, d);
        const w = randomRows(91 + d, n, d).map((row, i) => row.map((v, j) => 0.6 * v + z[i][j]));
        const arrays: Record<string, Rows> = source.includes('W') ? { Z: z, W: w } : { Z: z };
        const expected = formula(z, w);
        const got = valueOf(source, arrays);
        // n < d makes the spectrum exactly rank-deficient: its zero eigenvalues come out of the
        // eigensolver as rounding noise, which moves sqrt-based values at the 1e-8 level.
        const tolerance = n < d && /effrank|condition/.test(source) ? 1e-6 : 1e-10;
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
      });
    }
  }
});

const COLLAPSED: Record<string, (n: number, d: number) => Rows> = {
  'rank one': (n, d) => randomRows(3, n, 1).map(([a]) => Array.from({ length: d }, (_, j) => a * (j + 1))),
  'a constant column': (n, d) => randomRows(4, n, d).map((row) => row.map((v, j) => (j === 0 ? 2.5 : v))),
  'all zeros': (n, d) => Array.from({ length: n }, () => new Array<number>(d).fill(0)),
};

describe('collapsed embeddings give finite values and gradients', () => {
  for (const [kind, make] of Object.entries(COLLAPSED)) {
    for (const source of [...Object.keys(formulas), '-effrank(Z)']) {
      it(`${source} on ${kind}`, () => {
        const z = make(10, 4);
        const program = differentiate(forwardProgram(source));
        const inputs = bind(source.includes('W') ? { Z: z, W: z } : { Z: z });
        const outputs = evaluate(program, inputs, inferSizes(program, inputs));
        for (const [name, out] of outputs) {
          for (const v of out.data) expect(Number.isFinite(v), `${name} has ${v}`).toBe(true);
        }
      });
    }
  }
});

describe('eigvals of a matrix that is not symmetric', () => {
  it('uses the symmetric part (M + Mᵀ)/2, with finite gradients', () => {
    const z = randomRows(5, 6, 3);
    const w = randomRows(6, 6, 3);
    const m = matmul(z, transpose(w));
    const sym = m.map((row, i) => row.map((v, j) => (v + m[j][i]) / 2));
    const expected = eigvalsDesc(sym)[0];
    expect(Math.abs(valueOf('max(eigvals(Z @ t(W)))', { Z: z, W: w }) - expected)).toBeLessThan(1e-10 * Math.abs(expected));
    const program = differentiate(forwardProgram('max(eigvals(Z @ t(W)))'));
    const inputs = bind({ Z: z, W: w });
    for (const out of evaluate(program, inputs, inferSizes(program, inputs)).values()) {
      expect(out.data.every(Number.isFinite)).toBe(true);
    }
  });

  it('leaves a provably symmetric matrix as it is (no extra transpose)', () => {
    const program = forwardProgram('max(eigvals(cov(Z)))');
    const ops = new Set<string>();
    const visit = (n: { op: string; inputs: readonly unknown[] }): void => {
      ops.add(n.op);
      for (const i of n.inputs) visit(i as typeof n);
    };
    visit(program.outputs[0].node);
    expect([...ops].filter((op) => op === 'add')).toEqual([]);
  });
});
