import type { BinaryOp } from '../../grammar/ast.ts';
import type { Node } from '../ir/node.ts';
import type { Shape } from '../ir/shape.ts';
import { guardedDivide } from './guards.ts';
import type { LowerContext } from './primitive.ts';

/** An operand of the wrong rank, and what the operator expected there. */
export interface RankRefusal {
  readonly operand: 'left' | 'right';
  readonly expected: string;
}

/**
 * An infix operator as users see it: the operand ranks it takes, checked first so that a message can
 * name the operand at fault, and its lowering to IR ops. Whether the operands' dimensions agree is
 * left to those ops' own shape rules (compiler/ops/): when they refuse, the diagnostic says what
 * the operator `needs`. The front end and the IR thus cannot disagree about which programs are valid.
 */
export interface InfixOperator {
  readonly ranks?: (left: Shape, right: Shape) => RankRefusal | undefined;
  readonly needs: string;
  readonly lower: (cx: LowerContext, left: Node, right: Node) => Node;
}

/** A vector against a matrix is repeated as every row (a bias, a per-column scale). */
function elementwise(op: (cx: LowerContext, left: Node, right: Node) => Node): InfixOperator {
  const matrixAndVector = (m: Node, v: Node) => m.shape.length === 2 && v.shape.length === 1;
  return {
    needs: 'needs equal shapes, a scalar, or a matrix[r, c] and a vector[c] (applied to every row)',
    lower: (cx, left, right) => {
      const l = matrixAndVector(right, left) ? cx.b.make('bcast_rows', [left], { rows: right.shape[0] }) : left;
      const r = matrixAndVector(left, right) ? cx.b.make('bcast_rows', [right], { rows: left.shape[0] }) : right;
      return op(cx, l, r);
    },
  };
}

/** M @ N, M @ v (a vector over M's rows) and v @ M (one over M's columns). */
function matrixProduct(cx: LowerContext, left: Node, right: Node): Node {
  const { b } = cx;
  if (right.shape.length === 1) return b.make('sum_cols', [b.make('mul', [left, b.make('bcast_rows', [right], { rows: left.shape[0] })])]);
  if (left.shape.length === 1) return b.make('sum_rows', [b.make('mul', [b.make('bcast_cols', [left], { cols: right.shape[1] }), right])]);
  return b.make('matmul', [left, right]);
}

export const INFIX_OPERATORS: Record<BinaryOp, InfixOperator> = {
  '+': elementwise((cx, l, r) => cx.b.make('add', [l, r])),
  '-': elementwise((cx, l, r) => cx.b.make('sub', [l, r])),
  '*': elementwise((cx, l, r) => cx.b.make('mul', [l, r])),
  '/': elementwise(guardedDivide),
  '@': {
    ranks: (l, r) =>
      l.length === 0
        ? { operand: 'left', expected: 'a matrix or vector on the left' }
        : r.length === 0
          ? { operand: 'right', expected: 'a matrix or vector on the right' }
          : l.length === 1 && r.length === 1
            ? { operand: 'right', expected: 'a matrix on one side (for a dot product write sum(u * v))' }
            : undefined,
    needs: 'needs the columns of the left to match the rows of the right',
    lower: matrixProduct,
  },
  '^': {
    ranks: (_l, r) => (r.length === 0 ? undefined : { operand: 'right', expected: 'a scalar exponent' }),
    needs: 'needs a scalar exponent',
    lower: (cx, l, r) => cx.b.make('pow', [l, r]),
  },
};
