import type { IrBuilder } from '../ir/builder.ts';
import type { Node } from '../ir/node.ts';
import { shapeSize } from '../ir/shape.ts';
import type { OpDef } from '../ops/op-def.ts';
import { OP_NAMES, opDef } from '../ops/registry.ts';
import { constant, constValue, dimValue, isScalar, sizeValue } from './ir-helpers.ts';
import type { Pass } from './pass.ts';
import { isSymmetric } from './symmetry.ts';
import { konst, lit, op, v } from './pattern.ts';
import { rewritePass, rule, type Rule, type RuleContext } from './rewrite-rules.ts';

/**
 * Algebraic simplification: rows of `pattern -> replacement`, each exact (for finite values)
 * by the identity it states. The engine restores the node's shape (a scalar replacement of a
 * tensor-valued node is broadcast), so rows need not. Rows are tried in order; the first match
 * wins.
 */

const x = v('x');
const y = v('y');
const s = v('s', isScalar);
/** A non-scalar operand: pulling a scalar factor out of a reduction of it is a real saving. */
const t = v('t', (node) => !isScalar(node));
const vec = v('v');
const pad = op('pad', [vec], { name: 'p' });
const positive = (value: number) => value > 0;

/** `c · (number of entries of shape)` as a scalar node. */
function scaledSize(b: IrBuilder, c: Node, shape: Node['shape']): Node {
  const size = shapeSize(shape);
  const value = constValue(c);
  if (size !== undefined && value !== undefined) return constant(b, value * size);
  return b.make('mul', [c, sizeValue(b, shape)]);
}

/** xᵀ when it costs nothing: the input of a transpose, or x itself when x is symmetric. */
function freeTranspose(node: Node): Node | undefined {
  if (node.op === 'transpose') return node.inputs[0];
  return isSymmetric(node) ? node : undefined;
}

const w = v('w');
const z = v('z');
const xy = op('matmul', [x, y], { name: 'xy' });
const xz = op('matmul', [x, z], { name: 'xz' });
const yx = op('matmul', [y, x], { name: 'yx' });
const zx = op('matmul', [z, x], { name: 'zx' });

/**
 * Products that share an operand, summed: one product of a sum instead. Reverse mode makes these
 * wherever a matrix meets the same factor twice: the gradient of Xᵀ X with respect to X is
 * X G + X Gᵀ (one n·d² product too many), and the card's consistency term adds a third. Only
 * where the products (and an inner sum) have no other use, so that no product is computed twice.
 */
const usedOnce = (ctx: RuleContext, ...nodes: Node[]): boolean => nodes.every((node) => ctx.uses(node) === 1);
const DISTRIBUTION: readonly Rule[] = [
  rule('matmul-distribute-left', 'X Y + X Z = X (Y + Z)', op('add', [xy, xz]), ({ x, y, z, xy, xz }, ctx) =>
    usedOnce(ctx, xy, xz) ? ctx.b.make('matmul', [x, ctx.b.make('add', [y, z])]) : undefined,
  ),
  rule('matmul-distribute-right', 'Y X + Z X = (Y + Z) X', op('add', [yx, zx]), ({ x, y, z, yx, zx }, ctx) =>
    usedOnce(ctx, yx, zx) ? ctx.b.make('matmul', [ctx.b.make('add', [y, z]), x]) : undefined,
  ),
  rule('matmul-distribute-left-sum', '(W + X Y) + X Z = W + X (Y + Z)', op('add', [op('add', [w, xy], { name: 'inner' }), xz]), ({ w, x, y, z, xy, xz, inner }, ctx) =>
    usedOnce(ctx, xy, xz, inner) ? ctx.b.make('add', [w, ctx.b.make('matmul', [x, ctx.b.make('add', [y, z])])]) : undefined,
  ),
  rule('matmul-distribute-right-sum', '(W + Y X) + Z X = W + (Y + Z) X', op('add', [op('add', [w, yx], { name: 'inner' }), zx]), ({ w, x, y, z, yx, zx, inner }, ctx) =>
    usedOnce(ctx, yx, zx, inner) ? ctx.b.make('add', [w, ctx.b.make('matmul', [ctx.b.make('add', [y, z]), x])]) : undefined,
  ),
];

/** A square matrix: transposing it instead of a product it makes costs at most its own size. */
const square = (node: Node): boolean => node.shape.length === 2 && node.shape[0] === node.shape[1];

/** (A B)ᵀ as Bᵀ Aᵀ with at most one new transpose, of a square factor (none if both are free). */
function transposedProduct(b: IrBuilder, a: Node, c: Node): Node | undefined {
  const [at, ct] = [freeTranspose(a), freeTranspose(c)];
  if (at === undefined && ct === undefined) return undefined;
  if ((at === undefined && !square(a)) || (ct === undefined && !square(c))) return undefined;
  return b.make('matmul', [ct ?? b.make('transpose', [c]), at ?? b.make('transpose', [a])]);
}

/** Mᵀ without a transpose of M's own size: M a transpose, symmetric, or a product transposedProduct takes. */
function transposesCheaply(node: Node): boolean {
  if (freeTranspose(node) !== undefined) return true;
  if (node.op !== 'matmul') return false;
  const [a, c] = node.inputs;
  const [at, ct] = [freeTranspose(a), freeTranspose(c)];
  return (at !== undefined || ct !== undefined) && (at !== undefined || square(a)) && (ct !== undefined || square(c));
}

const ALGEBRA: readonly Rule[] = [
  rule('add-zero', 'x + 0 = x', op('add', [x, lit(0)]), ({ x }) => x),
  rule('sub-zero', 'x - 0 = x', op('sub', [x, lit(0)]), ({ x }) => x),
  rule('zero-sub', '0 - x = -x', op('sub', [lit(0), x]), ({ x }, { b }) => b.make('neg', [x])),
  rule('add-self', 'x + x = 2 x', op('add', [x, x]), ({ x }, { b }) => b.make('mul', [x, constant(b, 2)])),
  rule('sub-self', 'x - x = 0', op('sub', [x, x]), (_, { b }) => constant(b, 0)),
  rule('add-neg', 'x + (-y) = x - y', op('add', [x, op('neg', [y])]), ({ x, y }, { b }) => b.make('sub', [x, y])),
  rule('sub-neg', 'x - (-y) = x + y', op('sub', [x, op('neg', [y])]), ({ x, y }, { b }) => b.make('add', [x, y])),
  rule('neg-neg', '-(-x) = x', op('neg', [op('neg', [x])]), ({ x }) => x),
  rule('neg-sub', '-(x - y) = y - x', op('neg', [op('sub', [x, y])]), ({ x, y }, { b }) => b.make('sub', [y, x])),
  rule('mul-one', 'x * 1 = x', op('mul', [x, lit(1)]), ({ x }) => x),
  rule('mul-zero', 'x * 0 = 0', op('mul', [x, lit(0)]), (_, { b }) => constant(b, 0)),
  rule('mul-minus-one', 'x * -1 = -x', op('mul', [x, lit(-1)]), ({ x }, { b }) => b.make('neg', [x])),
  rule('mul-self', 'x * x = x²', op('mul', [x, x]), ({ x }, { b }) => b.make('square', [x])),
  rule(
    'mul-const-const',
    'a * (b * x) = (a b) * x, a and b scalar constants',
    op('mul', [konst('a'), op('mul', [konst('c'), x])]),
    ({ a, c, x }, { b }) => (isScalar(a) && isScalar(c) ? b.make('mul', [constant(b, constValue(a)! * constValue(c)!), x]) : undefined),
  ),
  rule('div-one', 'x / 1 = x', op('div', [x, lit(1)]), ({ x }) => x),
  rule('div-minus-one', 'x / -1 = -x', op('div', [x, lit(-1)]), ({ x }, { b }) => b.make('neg', [x])),
];

const POWERS: readonly Rule[] = [
  rule('pow-zero', 'x^0 = 1', op('pow', [x, lit(0)]), (_, { b }) => constant(b, 1)),
  rule('pow-one', 'x^1 = x', op('pow', [x, lit(1)]), ({ x }) => x),
  rule('pow-two', 'x^2 = square(x)', op('pow', [x, lit(2)]), ({ x }, { b }) => b.make('square', [x])),
  rule('pow-half', 'x^0.5 = sqrt(x)', op('pow', [x, lit(0.5)]), ({ x }, { b }) => b.make('sqrt', [x])),
  rule('pow-minus-one', 'x^-1 = 1 / x', op('pow', [x, lit(-1)]), ({ x }, { b }) => b.make('div', [constant(b, 1), x])),
  rule('square-neg', '(-x)² = x²', op('square', [op('neg', [x])]), ({ x }, { b }) => b.make('square', [x])),
  rule('abs-neg', '|-x| = |x|', op('abs', [op('neg', [x])]), ({ x }, { b }) => b.make('abs', [x])),
  rule('abs-square', '|x²| = x²', op('abs', [op('square', [x], { name: 'sq' })]), ({ sq }) => sq),
  rule('abs-abs', '||x|| = |x|', op('abs', [op('abs', [x], { name: 'inner' })]), ({ inner }) => inner),
  rule('relu-relu', 'relu(relu(x)) = relu(x)', op('relu', [op('relu', [x], { name: 'inner' })]), ({ inner }) => inner),
];

const STRUCTURE: readonly Rule[] = [
  rule('transpose-transpose', '(xᵀ)ᵀ = x', op('transpose', [op('transpose', [x])]), ({ x }) => x),
  rule('transpose-eye', 'Iᵀ = I', op('transpose', [op('eye', [], { name: 'i' })]), ({ i }) => i),
  rule('transpose-symmetric', 'Sᵀ = S for S symmetric by construction (symmetry.ts)', op('transpose', [v('x', isSymmetric)]), ({ x }) => x),
  rule('transpose-matmul', '(A B)ᵀ = Bᵀ Aᵀ, when both transposes are free (A, B transposes or symmetric)', op('transpose', [op('matmul', [x, y])]), ({ x, y }, { b }) => {
    const [xt, yt] = [freeTranspose(x), freeTranspose(y)];
    return xt !== undefined && yt !== undefined ? b.make('matmul', [yt, xt]) : undefined;
  }),
  // (G Xᵀ)ᵀ = X Gᵀ: the n×d product is made as it is used, and only the d×d factor is transposed
  // (ONNX Runtime's Gemm reads it transposed at no cost). Reverse mode makes these for Xᵀ X.
  rule('transpose-matmul-square', '(A B)ᵀ = Bᵀ Aᵀ, when one transpose is free and the other operand is square', op('transpose', [op('matmul', [x, y])]), ({ x, y }, { b }) =>
    transposedProduct(b, x, y),
  ),
  rule('transpose-add', '(A + B)ᵀ = Aᵀ + Bᵀ, when the sum has no other use and both transposes are cheap', op('transpose', [op('add', [x, y], { name: 'sum' })]), ({ x, y, sum }, ctx) =>
    ctx.uses(sum) === 1 && transposesCheaply(x) && transposesCheaply(y) && x.shape.length === 2 && y.shape.length === 2
      ? ctx.b.make('add', [ctx.b.make('transpose', [x]), ctx.b.make('transpose', [y])])
      : undefined,
  ),
  rule('transpose-const', 'fill(c)ᵀ = fill(c)', op('transpose', [konst('c')]), ({ c }, { b }) => constant(b, constValue(c)!)),
  rule('transpose-broadcast', 'broadcast(s)ᵀ = broadcast(s)', op('transpose', [op('broadcast', [s])]), ({ s }) => s),
  rule('broadcast-const', 'broadcast(c) = fill(c)', op('broadcast', [konst('c')]), ({ c }, { b }) => constant(b, constValue(c)!)),
  rule('broadcast-to-scalar', 'broadcast(s) to a scalar = s', op('broadcast', [s], { where: isScalar }), ({ s }) => s),
  rule('bcast-rows-const', 'bcast_rows(fill(c)) = fill(c)', op('bcast_rows', [konst('c')]), ({ c }, { b }) => constant(b, constValue(c)!)),
  rule('bcast-cols-const', 'bcast_cols(fill(c)) = fill(c)', op('bcast_cols', [konst('c')]), ({ c }, { b }) => constant(b, constValue(c)!)),
  rule('diag-transpose', 'diag(Mᵀ) = diag(M)', op('diag', [op('transpose', [x])]), ({ x }, { b }) => b.make('diag', [x])),
  rule('diag-eye', 'diag(I) = 1', op('diag', [op('eye', [])]), (_, { b }) => constant(b, 1)),
  rule('diag-const', 'diag(fill(c)) = fill(c)', op('diag', [konst('c')]), ({ c }, { b }) => constant(b, constValue(c)!)),
  rule('diag-diag-embed', 'diag(diag_embed(v)) = v', op('diag', [op('diag_embed', [vec])]), ({ v }) => v),
  rule('diag-scaled', 'diag(M s) = diag(M) s', op('diag', [op('mul', [t, s])]), ({ t, s }, { b }) => b.make('mul', [b.make('diag', [t]), s])),
  rule('diag-divided', 'diag(M / s) = diag(M) / s', op('diag', [op('div', [t, s])]), ({ t, s }, { b }) => b.make('div', [b.make('diag', [t]), s])),
  rule('matmul-eye-left', 'I X = X', op('matmul', [op('eye', []), x]), ({ x }) => x),
  rule('matmul-eye-right', 'X I = X', op('matmul', [x, op('eye', [])]), ({ x }) => x),
  rule('matmul-zero-left', '0 X = 0', op('matmul', [lit(0), x]), (_, { b }) => constant(b, 0)),
  rule('matmul-zero-right', 'X 0 = 0', op('matmul', [x, lit(0)]), (_, { b }) => constant(b, 0)),
  ...DISTRIBUTION,
];

const REDUCTIONS: readonly Rule[] = [
  rule('sum-scalar', 'Σ s = s', op('sum', [s]), ({ s }) => s),
  rule('sum-const', 'Σ fill(c) over k entries = c k', op('sum', [konst('c')]), ({ c }, { b }) => scaledSize(b, constant(b, constValue(c)!), c.shape)),
  rule('sum-broadcast', 'Σ broadcast(s) over k entries = s k', op('sum', [op('broadcast', [s], { name: 'bc' })]), ({ s, bc }, { b }) =>
    scaledSize(b, s, bc.shape),
  ),
  rule('sum-bcast-rows', 'Σ bcast_rows(v, r) = r Σ v', op('sum', [op('bcast_rows', [vec], { name: 'bc' })]), ({ v, bc }, { b }) =>
    b.make('mul', [b.make('sum', [v]), dimValue(b, bc.shape[0])]),
  ),
  rule('sum-bcast-cols', 'Σ bcast_cols(v, c) = c Σ v', op('sum', [op('bcast_cols', [vec], { name: 'bc' })]), ({ v, bc }, { b }) =>
    b.make('mul', [b.make('sum', [v]), dimValue(b, bc.shape[1])]),
  ),
  rule('sum-rows-bcast-rows', 'sum_rows(bcast_rows(v, r)) = r v', op('sum_rows', [op('bcast_rows', [vec], { name: 'bc' })]), ({ v, bc }, { b }) =>
    b.make('mul', [v, dimValue(b, bc.shape[0])]),
  ),
  rule('sum-cols-bcast-cols', 'sum_cols(bcast_cols(v, c)) = c v', op('sum_cols', [op('bcast_cols', [vec], { name: 'bc' })]), ({ v, bc }, { b }) =>
    b.make('mul', [v, dimValue(b, bc.shape[1])]),
  ),
  rule('sum-rows-const', 'sum_rows(fill(c) [r, k]) = fill(c r) [k]', op('sum_rows', [konst('c')]), ({ c }, { b }) =>
    scaledSize(b, constant(b, constValue(c)!), [c.shape[0]]),
  ),
  rule('sum-cols-const', 'sum_cols(fill(c) [r, k]) = fill(c k) [r]', op('sum_cols', [konst('c')]), ({ c }, { b }) =>
    scaledSize(b, constant(b, constValue(c)!), [c.shape[1]]),
  ),
  rule('sum-eye', 'Σ I_n = n', op('sum', [op('eye', [], { name: 'i' })]), ({ i }, { b }) => dimValue(b, i.shape[0])),
  rule('sum-transpose', 'Σ xᵀ = Σ x', op('sum', [op('transpose', [x])]), ({ x }, { b }) => b.make('sum', [x])),
  rule('sum-neg', 'Σ(-x) = -Σ x', op('sum', [op('neg', [x])]), ({ x }, { b }) => b.make('neg', [b.make('sum', [x])])),
  rule('sum-scaled', 'Σ(x s) = (Σ x) s', op('sum', [op('mul', [t, s])]), ({ t, s }, { b }) => b.make('mul', [b.make('sum', [t]), s])),
  rule('sum-divided', 'Σ(x / s) = (Σ x) / s', op('sum', [op('div', [t, s])]), ({ t, s }, { b }) => b.make('div', [b.make('sum', [t]), s])),
  rule('sum-square-scaled', 'Σ(x s)² = s² Σ x²', op('sum', [op('square', [op('mul', [t, s])])]), ({ t, s }, { b }) =>
    b.make('mul', [b.make('sum', [b.make('square', [t])]), b.make('square', [s])]),
  ),
  rule('sum-square-divided', 'Σ(x / s)² = Σ x² / s²', op('sum', [op('square', [op('div', [t, s])])]), ({ t, s }, { b }) =>
    b.make('div', [b.make('sum', [b.make('square', [t])]), b.make('square', [s])]),
  ),
  rule('sum-diag-embed', 'Σ diag_embed(v) = Σ v', op('sum', [op('diag_embed', [vec])]), ({ v }, { b }) => b.make('sum', [v])),
  rule('sum-pad', 'Σ pad(v) = Σ v (the padding is zeros)', op('sum', [pad]), ({ v }, { b }) => b.make('sum', [v])),
  rule('trace-matmul', 'tr(A B) = Σ_ik A_ik B_ki = Σ(Aᵀ ∘ B)', op('sum', [op('diag', [op('matmul', [x, y])])]), ({ x, y }, { b }) =>
    b.make('sum', [b.make('mul', [b.make('transpose', [x]), y])]),
  ),
  rule('max-const', 'max fill(c) = c', op('max', [konst('c')]), ({ c }, { b }) => constant(b, constValue(c)!)),
  rule('min-const', 'min fill(c) = c', op('min', [konst('c')]), ({ c }, { b }) => constant(b, constValue(c)!)),
  rule('max-broadcast', 'max broadcast(s) = s', op('max', [op('broadcast', [s])]), ({ s }) => s),
  rule('min-broadcast', 'min broadcast(s) = s', op('min', [op('broadcast', [s])]), ({ s }) => s),
];

const PADDING: readonly Rule[] = [
  rule('pad-same-length', 'pad(v) to its own length = v', op('pad', [vec], { where: (n) => n.attrs.length === n.inputs[0].shape[0] }), ({ v }) => v),
  rule('slice-same-length', 'slice(v) to its own length = v', op('slice', [vec], { where: (n) => n.attrs.length === n.inputs[0].shape[0] }), ({ v }) => v),
  rule('slice-pad', 'slice(pad(v), len v) = v', op('slice', [pad], { where: (n) => n.attrs.length === n.inputs[0].inputs[0].shape[0] }), ({ v }) => v),
  rule('pad-zero', 'pad(fill(0)) = fill(0)', op('pad', [lit(0)]), (_, { b }) => constant(b, 0)),
  rule('square-pad', 'pad(v)² = pad(v²), as 0² = 0', op('square', [pad]), ({ v, p }, { b }) => b.make('pad', [b.make('square', [v])], p.attrs)),
  rule('abs-pad', '|pad(v)| = pad(|v|)', op('abs', [pad]), ({ v, p }, { b }) => b.make('pad', [b.make('abs', [v])], p.attrs)),
  rule('neg-pad', '-pad(v) = pad(-v)', op('neg', [pad]), ({ v, p }, { b }) => b.make('pad', [b.make('neg', [v])], p.attrs)),
  rule('relu-pad', 'relu(pad(v)) = pad(relu(v))', op('relu', [pad]), ({ v, p }, { b }) => b.make('pad', [b.make('relu', [v])], p.attrs)),
  rule('sqrt-pad', 'sqrt(pad(v)) = pad(sqrt(v)), as sqrt(0) = 0', op('sqrt', [pad]), ({ v, p }, { b }) => b.make('pad', [b.make('sqrt', [v])], p.attrs)),
  rule('pow-pad', 'pad(v)^k = pad(v^k) for k > 0, as 0^k = 0', op('pow', [pad, konst('k', positive)]), ({ v, p, k }, { b }) =>
    isScalar(k) ? b.make('pad', [b.make('pow', [v, k])], p.attrs) : undefined,
  ),
  rule('mul-pad', 'pad(v) s = pad(v s) for finite s', op('mul', [pad, s]), ({ v, p, s }, { b }) => b.make('pad', [b.make('mul', [v, s])], p.attrs)),
  rule('div-pad', 'pad(v) / s = pad(v / s) for s ≠ 0', op('div', [pad, s]), ({ v, p, s }, { b }) => b.make('pad', [b.make('div', [v, s])], p.attrs)),
];

/**
 * Elementwise ops act entry by entry and broadcast scalars themselves, so a `broadcast` operand
 * can be replaced by its scalar: rows generated from the ops' facts (one per operand position
 * that the op's shape rule allows to be a tensor; one for both positions of a commutative op).
 */
function unbroadcastRules(): Rule[] {
  const rows: Rule[] = [];
  const allows = (def: OpDef, shapes: Node['shape'][]) => Array.isArray(def.shape(shapes, {}));
  for (const f of OP_NAMES) {
    const def = opDef(f);
    if (!def.facts?.elementwise) continue;
    if (def.arity === 1) {
      rows.push(rule(`${f}-of-broadcast`, `${f}(broadcast(s)) = broadcast(${f}(s))`, op(f, [op('broadcast', [s])]), ({ s }, { b }) => b.make(f, [s])));
      continue;
    }
    if (def.arity !== 2) continue;
    const left = rule(`${f}-broadcast-left`, `${f}(broadcast(s), y) = ${f}(s, y)`, op(f, [op('broadcast', [s]), y]), ({ s, y }, { b }) => b.make(f, [s, y]));
    if (def.facts.commutative) {
      rows.push({ ...left, name: `${f}-broadcast-operand`, identity: `${f}(broadcast(s), y) = ${f}(s, y), either operand` });
      continue;
    }
    if (allows(def, [[2, 3], []])) rows.push(left);
    if (allows(def, [[], [2, 3]])) {
      rows.push(rule(`${f}-broadcast-right`, `${f}(x, broadcast(s)) = ${f}(x, s)`, op(f, [x, op('broadcast', [s])]), ({ x, s }, { b }) => b.make(f, [x, s])));
    }
  }
  return rows;
}

export const SIMPLIFY_RULES: readonly Rule[] = [...ALGEBRA, ...POWERS, ...STRUCTURE, ...REDUCTIONS, ...PADDING, ...unbroadcastRules()];

/** The algebraic simplification pass. */
export const simplify: Pass = rewritePass('simplify', SIMPLIFY_RULES);
