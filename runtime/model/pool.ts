import type { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node } from '../../compiler/ir/node.ts';

/**
 * Weighted pooling of table rows into batch rows: entry i looks up row ids[i] of `table`, scales
 * it by weights[i] and adds it to batch row rows[i]. One `segment_pool` node {rows: batch}:
 * [batch, width], whose gradient to the table is again one `segment_pool` (ids and rows swapped);
 * the lists may be empty.
 */
export function weightedPool(b: IrBuilder, table: Node, ids: Node, weights: Node, rows: Node, batch: number): Node {
  return b.make('segment_pool', [table, ids, weights, rows], { rows: batch });
}
