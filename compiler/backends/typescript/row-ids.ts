import * as tf from '@tensorflow/tfjs-core';

/**
 * What a generated module calls for the ids of `gather` and `scatter_add`: ids are integers stored
 * as float32; each is rounded (as the reference kernels round it, compiler/ops/gather.ts) and must
 * name one of `rows` rows, checked on the host first, because tfjs-wasm's ScatterNd writes outside
 * its output buffer on an id out of range. Returns the row indices as an int32 tensor of the same
 * shape. A synchronous read, so it may run inside `tf.tidy`.
 */
export function rowIds(op: string, ids: tf.Tensor, rows: number): tf.Tensor {
  const data = ids.dataSync();
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const row = Math.round(data[i]);
    if (!(row >= 0 && row < rows)) {
      throw new RangeError(`${op}: id ${data[i]} (entry ${i}) is not a row of a table with ${rows} rows (0..${rows - 1})`);
    }
    out[i] = row;
  }
  return tf.tensor(out, ids.shape, 'int32');
}
