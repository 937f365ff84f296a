import { formatShape, sameDim } from '../ir/shape.ts';
import { tensor64 } from '../ir/tensor.ts';
import type { OpDef } from './op-def.ts';
import { asTensor } from './elementwise.ts';
import { rowIndex } from './gather.ts';
import { dimAttr } from '../ir/attrs.ts';
import { expectRank, resolveDim } from './shape-rules.ts';
import { Flops } from '../ir/flops.ts';

/**
 * Weighted pooling of table rows into buckets: table[V, e], ids[m], weights[m], rows[m] (ids and
 * rows integers stored as floats), attrs {rows: B} -> matrix[B, e] with
 * out[rows[i]] += weights[i] · table[ids[i]]. The fusion of scatter_add(gather(table, ids) ⊙
 * bcast_cols(weights), rows) {rows: B}, without the [m, e] intermediates. Bilinear: linear in the
 * table and in the weights separately; the ids and rows get no gradient. An id or a row out of range is an error that
 * names which list it is in: `segment_pool (ids): id 7 (entry 2) is not a row of a table with 4 rows`.
 */
export const segmentPool: OpDef = {
  arity: 4,
  facts: {
    readsRowIds: [
      { input: 1, label: 'segment_pool (ids)', rows: (node) => node.inputs[0].shape[0] },
      { input: 3, label: 'segment_pool (rows)', rows: (node) => node.shape[0] },
    ],
  },
  shape: ([table, ids, weights, rows], attrs) => {
    const buckets = dimAttr(attrs, 'rows');
    const rankError =
      expectRank('segment_pool', table, 2) ?? expectRank('segment_pool', ids, 1) ?? expectRank('segment_pool', weights, 1) ?? expectRank('segment_pool', rows, 1);
    const got = `${formatShape(table)}, ${formatShape(ids)}, ${formatShape(weights)} and ${formatShape(rows)}`;
    if (rankError !== undefined) {
      return { error: `segment_pool takes a table matrix[V, e] and vectors ids[m], weights[m], rows[m], got ${got}` };
    }
    if (!sameDim(ids[0], weights[0]) || !sameDim(ids[0], rows[0])) {
      return { error: `segment_pool needs one weight and one row per id, got ${got}` };
    }
    return [buckets, table[1]];
  },
  evaluate: ([tableValue, idsValue, weightsValue, rowsValue], attrs, sizes) => {
    const table = asTensor(tableValue);
    const ids = asTensor(idsValue);
    const weights = asTensor(weightsValue);
    const rows = asTensor(rowsValue);
    const [tableRows, width] = table.shape;
    const buckets = resolveDim(dimAttr(attrs, 'rows'), sizes);
    const out = tensor64([buckets, width]);
    for (let i = 0; i < ids.data.length; i++) {
      const from = rowIndex('segment_pool (ids)', ids.data[i], i, tableRows) * width;
      const to = rowIndex('segment_pool (rows)', rows.data[i], i, buckets) * width;
      const w = weights.data[i];
      for (let j = 0; j < width; j++) out.data[to + j] += w * table.data[from + j];
    }
    return out;
  },
  // A multiply and an add for each of the m·e looked-up values.
  cost: (node) => Flops.dim(node.inputs[1].shape[0]).times(Flops.dim(node.inputs[0].shape[1])).scale(2),
  vjp: (b, node, g) => {
    const [table, ids, weights, rows] = node.inputs;
    return [
      // Transpose in the table: entry i sends weights[i] · g[rows[i]] back to table row ids[i],
      // the same op with the roles of ids and rows swapped.
      [table, b.make('segment_pool', [g, rows, weights, ids], { rows: table.shape[0] })],
      // Transpose in the weights: entry i receives <table[ids[i]], g[rows[i]]>.
      [weights, b.make('sum_cols', [b.make('mul', [b.make('gather', [table, ids]), b.make('gather', [g, rows])])])],
    ];
  },
};
