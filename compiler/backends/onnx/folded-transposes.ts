import type { Node } from '../../ir/node.ts';
import type { GraphEmitter } from './graph-emitter.ts';
import type { Stage } from './stages.ts';

/**
 * The IR spells every transposed matrix product with an explicit `transpose` (matmul.ts): right for
 * tfjs, whose transposed-operand kernels are slow, wasteful on ONNX Runtime, whose Gemm reads
 * either operand transposed at no cost. At n = 65536, d = 64 the card's gradient materialised five
 * n×d transposes. This stage-local plan folds them:
 *
 *   matmul(t(x), y)                    -> Gemm(x, y, transA)           t(x) is never built
 *   t(matmul(a, b))  = bᵀ aᵀ           -> Gemm(b, a, transA, transB)   the product is never built
 *   t(matmul(a, b) + matmul(c, d))     -> Gemm(d, c, ..., C = Gemm(b, a, ...))
 *
 * (transposed operands of a, b, c, d fold in too, their flags flipped). A node is left out of the
 * graph only where every use of it in the stage is one of these folds and no later stage reads it.
 */
export interface FoldedTransposes {
  /** Nodes the graph does not compute: their every use reads them through a fold. */
  readonly skipped: ReadonlySet<number>;
  /** Whether `node` is lowered here (lowerFolded) rather than by its row of the lowering table. */
  folds(node: Node): boolean;
  /** Whether a product reads the operand `input`, a transpose, as its input with Gemm's flag. */
  foldable(input: Node): boolean;
}

/** An operand of Gemm: a value's name and whether Gemm reads it transposed. */
interface Operand {
  readonly name: string;
  readonly transposed: boolean;
}

export function foldedTransposes(stage: Stage): FoldedTransposes {
  const own = new Set(stage.nodes.map((n) => n.id));
  const written = new Set(stage.writes.map((n) => n.id));
  const users = new Map<number, Node[]>();
  for (const node of stage.nodes) for (const input of node.inputs) users.set(input.id, [...(users.get(input.id) ?? []), node]);
  const usedOnlyBy = (node: Node, ok: (user: Node) => boolean): boolean =>
    own.has(node.id) && !written.has(node.id) && (users.get(node.id) ?? []).every((user) => own.has(user.id) && ok(user));
  const isTranspose = (user: Node): boolean => user.op === 'transpose';

  const skipped = new Set<number>();
  for (const node of stage.nodes) {
    // A product read only transposed is computed transposed.
    if (node.op === 'matmul' && usedOnlyBy(node, isTranspose)) skipped.add(node.id);
    // A sum of two products read only transposed: the second product accumulates onto the first.
    if (node.op === 'add' && usedOnlyBy(node, isTranspose) && sumOfProducts(node, usedOnlyBy)) {
      for (const n of [node, ...node.inputs]) skipped.add(n.id);
    }
  }
  // A transpose of a value the graph has is folded into the products that read it; if products
  // are its only readers, it is never built.
  const foldable = (input: Node): boolean => input.op === 'transpose' && own.has(input.id) && !skipped.has(input.inputs[0].id);
  for (const node of stage.nodes) {
    if (foldable(node) && usedOnlyBy(node, (user) => user.op === 'matmul')) skipped.add(node.id);
  }
  return {
    skipped,
    foldable,
    folds: (node) =>
      (node.op === 'matmul' && node.inputs.some(foldable)) || (node.op === 'transpose' && skipped.has(node.inputs[0].id)),
  };
}

/** add(matmul, matmul) of two distinct products that nothing else reads. */
function sumOfProducts(node: Node, usedOnlyBy: (node: Node, ok: (user: Node) => boolean) => boolean): boolean {
  const [a, b] = node.inputs;
  return a !== b && [a, b].every((p) => p.op === 'matmul' && usedOnlyBy(p, (user) => user === node));
}

/**
 * The ONNX value of a node that `plan.folds`: a matmul with a transposed operand, or the transpose
 * of a skipped product or sum of products. `valueOf` names the graph value of a node that is built.
 */
export function lowerFolded(e: GraphEmitter, node: Node, plan: FoldedTransposes, valueOf: (node: Node) => string): string {
  const operand = (input: Node): Operand =>
    plan.foldable(input) ? { name: valueOf(input.inputs[0]), transposed: true } : { name: valueOf(input), transposed: false };
  const flip = ({ name, transposed }: Operand): Operand => ({ name, transposed: !transposed });
  // (a b)ᵀ = bᵀ aᵀ
  const transposedProduct = (product: Node, c?: string): string =>
    gemm(e, flip(operand(product.inputs[1])), flip(operand(product.inputs[0])), c);

  if (node.op === 'matmul') return gemm(e, operand(node.inputs[0]), operand(node.inputs[1]));
  const inner = node.inputs[0];
  if (inner.op === 'matmul') return transposedProduct(inner);
  const [first, second] = inner.inputs;
  return transposedProduct(second, transposedProduct(first));
}

/** a·b (+ c): MatMul when neither operand is transposed and there is no c, else Gemm. */
function gemm(e: GraphEmitter, a: Operand, b: Operand, c?: string): string {
  if (!a.transposed && !b.transposed && c === undefined) return e.op('MatMul', [a.name, b.name]);
  return e.op('Gemm', [a.name, b.name, ...(c === undefined ? [] : [c])], {
    ...(a.transposed ? { transA: { int: 1 } } : {}),
    ...(b.transposed ? { transB: { int: 1 } } : {}),
  });
}
