import type { Node } from '../ir/node.ts';
import { opDef } from '../ops/registry.ts';

/** How deep the structural proof may look before it gives up (and says "not known"). */
const MAX_DEPTH = 32;

const memo = new WeakMap<Node, boolean>();

function isSquare(node: Node): boolean {
  return node.shape.length === 2 && node.shape[0] === node.shape[1];
}

/** B is Aᵀ by structure. */
function transposeOf(a: Node, b: Node): boolean {
  return (b.op === 'transpose' && b.inputs[0] === a) || (a.op === 'transpose' && a.inputs[0] === b);
}

/** `x` scaled column by column, x · bcast_rows(v) = X diag(v), in either operand order. */
function columnScaled(node: Node, x: Node): boolean {
  if (node.op !== 'mul') return false;
  const [p, q] = node.inputs;
  return (p === x && q.op === 'bcast_rows') || (q === x && p.op === 'bcast_rows');
}

/** `x` scaled row by row, x · bcast_cols(v) = diag(v) X, in either operand order. */
function rowScaled(node: Node, x: Node): boolean {
  if (node.op !== 'mul') return false;
  const [p, q] = node.inputs;
  return (p === x && q.op === 'bcast_cols') || (q === x && p.op === 'bcast_cols');
}

/** A B is X diag(v) Xᵀ or Xᵀ diag(v) X (what the eigenvalue gradient V diag(g) Vᵀ looks like). */
function congruence(a: Node, b: Node): boolean {
  if (b.op === 'transpose' && columnScaled(a, b.inputs[0])) return true;
  if (a.op === 'transpose' && rowScaled(b, a.inputs[0])) return true;
  return false;
}

function prove(node: Node, depth: number): boolean {
  if (!isSquare(node) || depth > MAX_DEPTH) return false;
  const cached = memo.get(node);
  if (cached !== undefined) return cached;
  let result: boolean;
  if (node.op === 'const' || node.op === 'broadcast') {
    // A fill of a square shape.
    result = true;
  } else if (node.op === 'matmul') {
    // A Aᵀ and Aᵀ A are Gram matrices, X diag(v) Xᵀ a congruence; S S is symmetric for symmetric S.
    const [a, b] = node.inputs;
    result = transposeOf(a, b) || congruence(a, b) || (a === b && prove(a, depth + 1));
  } else if (opDef(node.op).facts?.commutative && node.inputs.length === 2 && transposeOf(node.inputs[0], node.inputs[1])) {
    // f(A, Aᵀ)ᵀ = f(Aᵀ, A) = f(A, Aᵀ) for a commutative elementwise f, e.g. A + Aᵀ.
    result = true;
  } else if (opDef(node.op).facts?.symmetricOutput) {
    // Symmetric whenever its matrix inputs are (scalars and vectors impose nothing).
    result = node.inputs.every((input) => input.shape.length < 2 || prove(input, depth + 1));
  } else {
    result = false;
  }
  memo.set(node, result);
  return result;
}

/**
 * Whether `node` is a symmetric matrix by construction: fills, Gram products A Aᵀ and Aᵀ A,
 * congruences X diag(v) Xᵀ and Xᵀ diag(v) X (bcast_rows / bcast_cols scalings),
 * squares of symmetric matrices, A + Aᵀ (any commutative op of A and Aᵀ), and ops whose facts say `symmetricOutput` (eye, diag_embed,
 * transpose, elementwise ops) over symmetric operands. False means "not known", not "asymmetric".
 */
export function isSymmetric(node: Node): boolean {
  return prove(node, 0);
}
