import * as tf from '@tensorflow/tfjs-core';
import { hostRowIds } from '../executors/host-row-ids.ts';

/**
 * What a generated module calls for the ids of `gather`, `scatter_add` and `segment_pool`: the checked, rounded
 * row indices of hostRowIds as an int32 tensor of the ids' shape. A synchronous read, so it may
 * run inside `tf.tidy`.
 */
export function rowIds(op: string, ids: tf.Tensor, rows: number): tf.Tensor {
  return tf.tensor(hostRowIds(op, ids.dataSync(), rows), ids.shape, 'int32');
}
