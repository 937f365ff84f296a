/**
 * Ids of `gather`, `scatter_add` and `segment_pool` (integers stored as float32) as int32 row
 * indices. Each is rounded, as the reference kernels round it (compiler/ops/gather.ts), and must
 * name one of `rows` rows: checked on the host before any kernel runs, because tfjs-wasm's
 * ScatterNd writes outside its output buffer on an id out of range.
 */
export function hostRowIds(op: string, ids: ArrayLike<number>, rows: number): Int32Array {
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const row = Math.round(ids[i]);
    if (!(row >= 0 && row < rows)) {
      throw new RangeError(`${op}: id ${ids[i]} (entry ${i}) is not a row of a table with ${rows} rows (0..${rows - 1})`);
    }
    out[i] = row;
  }
  return out;
}

/**
 * hostRowIds' check without its copy, for executors that hand the ids to a kernel as they are
 * (ONNX Runtime rounds them itself): `Math.round(x)` names a row of `rows` exactly when
 * -0.5 <= x < rows - 0.5, and NaN fails both comparisons. On a bad id, the same RangeError.
 */
export function checkRowIds(op: string, ids: Float32Array, rows: number): void {
  const below = rows - 0.5;
  for (let i = 0; i < ids.length; i++) {
    const x = ids[i];
    if (!(x >= -0.5 && x < below)) hostRowIds(op, ids, rows);
  }
}
