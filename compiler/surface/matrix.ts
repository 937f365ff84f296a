import type { Node } from '../ir/node.ts';
import { guardPositive } from './guards.ts';
import { sameRows, type LowerContext, type Primitive } from './primitive.ts';

const M = { name: 'M', kind: 'matrix' } as const;
const Z = { name: 'Z', kind: 'matrix' } as const;
/** Two embeddings of the same rows. */
const AB = [
  { name: 'A', kind: 'matrix' },
  { name: 'B', kind: 'matrix' },
] as const;

function transpose({ b }: LowerContext, x: Node): Node {
  return b.make('transpose', [x]);
}

/** Z with each column's mean removed. */
export function center(cx: LowerContext, z: Node): Node {
  const { b } = cx;
  const [n] = z.shape;
  const mean = b.make('div', [b.make('sum_rows', [z]), b.make('dimsize', [], { dim: n })]);
  return b.make('sub', [z, b.make('bcast_rows', [mean], { rows: n })]);
}

/** center(A)ᵀ center(B) / (n - 1). */
export function crossCovariance(cx: LowerContext, a: Node, bm: Node): Node {
  const { b } = cx;
  const [n] = a.shape;
  const ca = center(cx, a);
  const cb = a === bm ? ca : center(cx, bm);
  const dof = b.make('sub', [b.make('dimsize', [], { dim: n }), b.make('const', [], { value: 1, shape: [] })]);
  return b.make('div', [b.make('matmul', [transpose(cx, ca), cb]), dof]);
}

/** Standard deviations of the columns of Z, from the diagonal of its covariance (guarded). */
function columnScale(cx: LowerContext, covariance: Node): Node {
  return cx.b.make('sqrt', [guardPositive(cx, cx.b.make('diag', [covariance]))]);
}

/** C / (sa ⊗ sb): a cross-covariance scaled to correlations. */
function scaleToCorrelation(cx: LowerContext, c: Node, sa: Node, sb: Node): Node {
  const { b } = cx;
  const [r, k] = c.shape;
  const outer = b.make('mul', [b.make('bcast_cols', [sa], { cols: k }), b.make('bcast_rows', [sb], { rows: r })]);
  return b.make('div', [c, outer]);
}

/** Matrix primitives. */
export const matrixPrimitives: readonly Primitive[] = [
  { name: 't', params: [M], doc: 'transpose', lower: (cx, [m]) => transpose(cx, m) },
  {
    name: 'gram',
    params: [Z],
    doc: 'ZᵀZ, the d×d Gram matrix of the columns',
    lower: (cx, [z]) => cx.b.make('matmul', [transpose(cx, z), z]),
  },
  { name: 'center', params: [Z], doc: 'Z with column means removed', lower: (cx, [z]) => center(cx, z) },
  {
    name: 'cov',
    params: [Z],
    doc: 'covariance of the columns: center(Z)ᵀcenter(Z)/(n-1)',
    lower: (cx, [z]) => crossCovariance(cx, z, z),
  },
  {
    name: 'xcov',
    params: AB,
    doc: 'cross-covariance center(A)ᵀcenter(B)/(n-1)',
    relate: sameRows('xcov'),
    lower: (cx, [a, bm]) => crossCovariance(cx, a, bm),
  },
  {
    name: 'corr',
    params: [Z],
    doc: 'correlation matrix: cov(Z)ᵢⱼ / sqrt(cov(Z)ᵢᵢ cov(Z)ⱼⱼ), variances guarded',
    lower: (cx, [z]) => {
      const c = crossCovariance(cx, z, z);
      const s = columnScale(cx, c);
      return scaleToCorrelation(cx, c, s, s);
    },
  },
  {
    name: 'xcorr',
    params: AB,
    doc: 'cross-correlation: xcov(A, B)ᵢⱼ / sqrt(cov(A)ᵢᵢ cov(B)ⱼⱼ), variances guarded',
    relate: sameRows('xcorr'),
    lower: (cx, [a, bm]) =>
      scaleToCorrelation(
        cx,
        crossCovariance(cx, a, bm),
        columnScale(cx, crossCovariance(cx, a, a)),
        columnScale(cx, crossCovariance(cx, bm, bm)),
      ),
  },
  {
    name: 'rownorm',
    params: [Z],
    doc: 'each row divided by its Euclidean norm (guarded)',
    lower: (cx, [z]) => {
      const { b } = cx;
      const norms = b.make('sqrt', [guardPositive(cx, b.make('sum_cols', [b.make('square', [z])]))]);
      return b.make('div', [z, b.make('bcast_cols', [norms], { cols: z.shape[1] })]);
    },
  },
  {
    name: 'eye',
    params: [{ name: 'k', kind: 'dimension' }],
    doc: 'the k×k identity; k is an integer or rows(M), cols(M), len(v)',
    lower: ({ b }, [k]) => b.make('eye', [], { n: k.attrs.dim }),
  },
  { name: 'diag', params: [{ name: 'M', kind: 'square' }], doc: 'the diagonal as a vector', lower: ({ b }, [m]) => b.make('diag', [m]) },
  {
    name: 'offdiag',
    params: [{ name: 'M', kind: 'square' }],
    doc: 'M with its diagonal set to zero',
    lower: ({ b }, [m]) => b.make('sub', [m, b.make('diag_embed', [b.make('diag', [m])])]),
  },
  {
    name: 'trace',
    params: [{ name: 'M', kind: 'square' }],
    doc: 'sum of the diagonal',
    lower: ({ b }, [m]) => b.make('sum', [b.make('diag', [m])]),
  },
  {
    name: 'pdist2',
    params: [Z],
    doc: 'n×n squared Euclidean distances between rows, ‖zᵢ − zⱼ‖²',
    lower: (cx, [z]) => {
      const { b } = cx;
      const n = z.shape[0];
      const r = b.make('sum_cols', [b.make('square', [z])]);
      const two = b.make('const', [], { value: 2, shape: [] });
      const cross = b.make('mul', [two, b.make('matmul', [z, transpose(cx, z)])]);
      const sums = b.make('add', [b.make('bcast_cols', [r], { cols: n }), b.make('bcast_rows', [r], { rows: n })]);
      return b.make('sub', [sums, cross]);
    },
  },
];
