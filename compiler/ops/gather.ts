import { formatShape } from '../ir/shape.ts';
import { tensor64 } from '../ir/tensor.ts';
import type { OpDef } from './op-def.ts';
import { asTensor } from './elementwise.ts';
import { expectRank } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/**
 * The row of a table that an id (an integer stored in a float) names: rounded, and an error when
 * it is not a row. Shared with `scatter_add`, whose ids name rows the same way.
 */
export function rowIndex(op: string, id: number, position: number, rows: number): number {
  const row = Math.round(id);
  if (!(row >= 0 && row < rows)) {
    throw new RangeError(`${op}: id ${id} (entry ${position}) is not a row of a table with ${rows} rows (0..${rows - 1})`);
  }
  return row;
}

/**
 * Rows of a table: table[V, e], ids[m] (integers stored as floats) -> matrix[m, e] whose row i is
 * table row ids[i]. An embedding lookup. Linear in the table; the ids get no gradient.
 */
export const gather: OpDef = {
  arity: 2,
  facts: { readsRowIds: [{ input: 1, label: 'gather', rows: (node) => node.inputs[0].shape[0] }] },
  shape: ([table, ids]) => {
    const rankError = expectRank('gather', table, 2) ?? expectRank('gather', ids, 1);
    if (rankError !== undefined) {
      return { error: `gather takes a table matrix[V, e] and ids vector[m], got ${formatShape(table)} and ${formatShape(ids)}` };
    }
    return [ids[0], table[1]];
  },
  evaluate: ([tableValue, idsValue]) => {
    const table = asTensor(tableValue);
    const ids = asTensor(idsValue);
    const [rows, width] = table.shape;
    const out = tensor64([ids.data.length, width]);
    for (let i = 0; i < ids.data.length; i++) {
      const row = rowIndex('gather', ids.data[i], i, rows);
      out.data.set(table.data.subarray(row * width, (row + 1) * width), i * width);
    }
    return out;
  },
  // Transpose in the table: each cotangent row is added back to the row it was read from,
  // scatter_add(g, ids) {rows: V} (rows read twice receive both).
  // A row lookup moves data.
  cost: noFlops,
  vjp: (b, node, g) => {
    const [table, ids] = node.inputs;
    return [[table, b.make('scatter_add', [g, ids], { rows: table.shape[0] })]];
  },
};
