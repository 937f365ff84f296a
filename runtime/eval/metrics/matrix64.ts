/**
 * The float64 matrices the evaluation metrics work on: row-major, one flat array. Embeddings come
 * from the encoder as float32; every metric converts once and computes in float64.
 */
export interface Matrix64 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function matrix64(data: ArrayLike<number>, rows: number, cols: number): Matrix64 {
  if (data.length !== rows * cols) throw new RangeError(`${data.length} entries for a ${rows} x ${cols} matrix`);
  return { rows, cols, data: Float64Array.from(data) };
}

/** The rows of `m` at `indices`, in that order. */
export function selectRows(m: Matrix64, indices: ArrayLike<number>): Matrix64 {
  const data = new Float64Array(indices.length * m.cols);
  for (let i = 0; i < indices.length; i++) data.set(m.data.subarray(indices[i] * m.cols, (indices[i] + 1) * m.cols), i * m.cols);
  return { rows: indices.length, cols: m.cols, data };
}

/** Column means. */
export function columnMeans(m: Matrix64): Float64Array {
  const means = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) means[j] += m.data[i * m.cols + j];
  for (let j = 0; j < m.cols; j++) means[j] /= m.rows;
  return means;
}

/** `m` with each column's mean subtracted. */
export function centreColumns(m: Matrix64): Matrix64 {
  const means = columnMeans(m);
  const data = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) data[i * m.cols + j] = m.data[i * m.cols + j] - means[j];
  return { rows: m.rows, cols: m.cols, data };
}

/** Aᵀ B for A (n x p) and B (n x q): a p x q matrix. */
export function crossProduct(a: Matrix64, b: Matrix64): Matrix64 {
  if (a.rows !== b.rows) throw new RangeError(`cross product of ${a.rows} and ${b.rows} rows`);
  const { cols: p } = a;
  const { cols: q } = b;
  const out = new Float64Array(p * q);
  for (let i = 0; i < a.rows; i++) {
    const ai = i * p;
    const bi = i * q;
    for (let r = 0; r < p; r++) {
      const x = a.data[ai + r];
      if (x === 0) continue;
      const o = r * q;
      for (let c = 0; c < q; c++) out[o + c] += x * b.data[bi + c];
    }
  }
  return { rows: p, cols: q, data: out };
}

/** A B for A (n x p) and B (p x q). */
export function product(a: Matrix64, b: Matrix64): Matrix64 {
  if (a.cols !== b.rows) throw new RangeError(`product of ${a.rows} x ${a.cols} and ${b.rows} x ${b.cols}`);
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const x = a.data[i * a.cols + k];
      if (x === 0) continue;
      for (let c = 0; c < b.cols; c++) out[i * b.cols + c] += x * b.data[k * b.cols + c];
    }
  return { rows: a.rows, cols: b.cols, data: out };
}

/** Squared Frobenius norm. */
export function frobenius2(m: Matrix64): number {
  let s = 0;
  for (const x of m.data) s += x * x;
  return s;
}
