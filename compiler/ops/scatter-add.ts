import { formatShape, sameDim } from '../ir/shape.ts';
import { tensor64 } from '../ir/tensor.ts';
import type { OpDef } from './op-def.ts';
import { asTensor } from './elementwise.ts';
import { rowIndex } from './gather.ts';
import { dimAttr } from '../ir/attrs.ts';
import { expectRank, resolveDim } from './shape-rules.ts';
import { flopPerInput } from '../ir/flops.ts';

/**
 * Sums rows into buckets: values[m, e], ids[m] (integers stored as floats), attrs {rows} ->
 * matrix[rows, e] whose row r is the sum of the values rows i with ids[i] = r (zeros for a row no
 * id names). Pooling by segment, and the transpose of `gather`. Linear in the values; the ids get
 * no gradient.
 */
export const scatterAdd: OpDef = {
  arity: 2,
  facts: { readsRowIds: [{ input: 1, label: 'scatter_add', rows: (node) => node.shape[0] }] },
  shape: ([values, ids], attrs) => {
    const rows = dimAttr(attrs, 'rows');
    const rankError = expectRank('scatter_add', values, 2) ?? expectRank('scatter_add', ids, 1);
    if (rankError !== undefined) {
      return { error: `scatter_add takes values matrix[m, e] and ids vector[m], got ${formatShape(values)} and ${formatShape(ids)}` };
    }
    if (!sameDim(values[0], ids[0])) {
      return { error: `scatter_add needs one id per row of values, got ${formatShape(values)} and ${formatShape(ids)}` };
    }
    return [rows, values[1]];
  },
  evaluate: ([valuesValue, idsValue], attrs, sizes) => {
    const values = asTensor(valuesValue);
    const ids = asTensor(idsValue);
    const rows = resolveDim(dimAttr(attrs, 'rows'), sizes);
    const width = values.shape[1];
    const out = tensor64([rows, width]);
    for (let i = 0; i < ids.data.length; i++) {
      const row = rowIndex('scatter_add', ids.data[i], i, rows);
      for (let j = 0; j < width; j++) out.data[row * width + j] += values.data[i * width + j];
    }
    return out;
  },
  // Transpose in the values: every value row receives the cotangent of the row it was added to.
  // Each of the m·e values is added once.
  cost: flopPerInput,
  vjp: (b, node, g) => {
    const [values, ids] = node.inputs;
    return [[values, b.make('gather', [g, ids])]];
  },
};
