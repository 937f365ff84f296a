import { IrError } from '../ir/ir-error.ts';
import type { Node } from '../ir/node.ts';
import { isTuple } from '../ir/tensor.ts';
import type { OpDef, SelectorFacts } from './op-def.ts';
import { expectSquare } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** The `eigh` node a selector reads, checked: selectors over anything else are malformed IR. */
export function eighOf(node: Node): Node {
  const source = node.inputs[0];
  if (source.op !== 'eigh') throw new IrError(`${node.op} must select from an eigh node, got ${source.op}`);
  return source;
}

/** The eigenvalues of an `eigh` node, descending: vector[k]. */
export const eigvals: OpDef<SelectorFacts> = {
  arity: 1,
  facts: { selectsPart: 0 },
  shape: ([e]) => expectSquare('eigvals', e) ?? [e[0]],
  evaluate: ([value]) => {
    if (!isTuple(value)) throw new TypeError('eigvals expects the tuple of an eigh node');
    return value[0];
  },
  // For distinct eigenvalues dλᵢ = vᵢᵀ dM vᵢ, so M̄ = V diag(g) Vᵀ = (V · bcast_rows(g)) Vᵀ, with
  // V = eigvecs of the same eigh node. The contribution goes straight to eigh's INPUT.
  cost: noFlops,
  vjp: (b, node, g) => {
    const source = eighOf(node);
    const vectors = b.make('eigvecs', [source]);
    const scaled = b.make('mul', [vectors, b.make('bcast_rows', [g], { rows: vectors.shape[0] })]);
    return [[source.inputs[0], b.make('matmul', [scaled, b.make('transpose', [vectors])])]];
  },
};
