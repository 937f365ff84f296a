import type { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node } from '../../compiler/ir/node.ts';

/**
 * Weighted pooling of table rows into batch rows: entry i looks up row ids[i] of `table`, scales
 * it by weights[i] and adds it to batch row rows[i]. pooled = scatter_add(gather(table, ids) ⊙
 * weights, rows) {rows: batch}: [batch, width]. The gradient to the table is a scatter_add over
 * the ids; the lists may be empty.
 */
export function weightedPool(b: IrBuilder, table: Node, ids: Node, weights: Node, rows: Node, batch: number): Node {
  const looked = b.make('gather', [table, ids]);
  const scaled = b.make('mul', [looked, b.make('bcast_cols', [weights], { cols: table.shape[1] })]);
  return b.make('scatter_add', [scaled, rows], { rows: batch });
}
