import { IrError } from '../ir/ir-error.ts';
import { isTuple } from '../ir/tensor.ts';
import { eighOf } from './eigvals.ts';
import type { OpDef, SelectorFacts } from './op-def.ts';
import { expectSquare } from './shape-rules.ts';
import { noFlops } from '../ir/flops.ts';

/** The eigenvectors of an `eigh` node, as columns in the order of the eigenvalues: matrix[k, k]. */
export const eigvecs: OpDef<SelectorFacts> = {
  arity: 1,
  facts: { selectsPart: 1 },
  shape: ([e]) => expectSquare('eigvecs', e) ?? e,
  evaluate: ([value]) => {
    if (!isTuple(value)) throw new TypeError('eigvecs expects the tuple of an eigh node');
    return value[1];
  },
  // Nothing in DFL differentiates eigenvectors (their gradient needs distinct eigenvalues and
  // is not implemented): reaching this is a compiler bug, not a zero gradient.
  cost: noFlops,
  vjp: (_b, node) => {
    eighOf(node);
    throw new IrError('eigvecs is not differentiable: a value depends on eigenvectors outside stop_gradient');
  },
};
