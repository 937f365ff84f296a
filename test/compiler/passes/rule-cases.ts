import type { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Node } from '../../../compiler/ir/node.ts';
import type { Shape } from '../../../compiler/ir/shape.ts';
import { OP_NAMES, opDef } from '../../../compiler/ops/registry.ts';
import { input, scalarConst } from './fixtures.ts';

/**
 * One small program per rewrite rule in which that rule fires, over standard inputs:
 * X, Y: [n, d]; A: [d, d]; V: [d]; W: [k] (k < d); S: scalar.
 */
export interface RuleInputs {
  readonly b: IrBuilder;
  readonly X: Node;
  readonly Y: Node;
  readonly A: Node;
  readonly V: Node;
  readonly W: Node;
  readonly S: Node;
  readonly c: (value: number, shape?: Shape) => Node;
  readonly m: (op: Parameters<IrBuilder['make']>[0], ...inputs: Node[]) => Node;
}

export const RULE_SIZES = new Map([
  ['n', 4],
  ['d', 3],
  ['k', 2],
]);

export function ruleInputs(b: IrBuilder): RuleInputs {
  return {
    b,
    X: input(b, 'X', ['n', 'd']),
    Y: input(b, 'Y', ['n', 'd']),
    A: input(b, 'A', ['d', 'd']),
    V: input(b, 'V', ['d']),
    W: input(b, 'W', ['k']),
    S: input(b, 'S', []),
    c: (value, shape = []) => b.make('const', [], { value, shape: [...shape] }),
    m: (op, ...inputs) => b.make(op, inputs),
  };
}

type Case = (h: RuleInputs) => Node;

const padW = ({ b, W }: RuleInputs) => b.make('pad', [W], { length: 'd' });
const bcastS = ({ b, S }: RuleInputs) => b.make('broadcast', [S], { shape: ['n', 'd'] });

export const SIMPLIFY_CASES: Record<string, Case> = {
  'add-zero': ({ m, X, c }) => m('add', X, c(0)),
  'sub-zero': ({ m, X, c }) => m('sub', X, c(0, ['n', 'd'])),
  'zero-sub': ({ m, X, c }) => m('sub', c(0), X),
  'add-self': ({ m, X }) => m('add', X, X),
  'sub-self': ({ m, X }) => m('sub', X, X),
  'add-neg': ({ m, X, Y }) => m('add', X, m('neg', Y)),
  'sub-neg': ({ m, X, Y }) => m('sub', X, m('neg', Y)),
  'neg-neg': ({ m, X }) => m('neg', m('neg', X)),
  'neg-sub': ({ m, X, Y }) => m('neg', m('sub', X, Y)),
  'mul-one': ({ m, X, c }) => m('mul', c(1), X),
  // A scalar times a zero MATRIX: the result must stay a matrix.
  'mul-zero': ({ m, S, c }) => m('mul', S, c(0, ['n', 'd'])),
  'mul-minus-one': ({ m, X, c }) => m('mul', X, c(-1)),
  'mul-self': ({ m, X }) => m('mul', X, X),
  'mul-const-const': ({ m, X, c }) => m('mul', c(2), m('mul', c(-3), X)),
  'div-one': ({ m, X, c }) => m('div', X, c(1)),
  'div-minus-one': ({ m, X, c }) => m('div', X, c(-1)),
  'pow-zero': ({ m, X, c }) => m('pow', X, c(0)),
  'pow-one': ({ m, X, c }) => m('pow', X, c(1)),
  'pow-two': ({ m, X, c }) => m('pow', X, c(2)),
  'pow-half': ({ m, X, c }) => m('pow', m('abs', X), c(0.5)),
  'pow-minus-one': ({ m, X, c }) => m('pow', X, c(-1)),
  'square-neg': ({ m, X }) => m('square', m('neg', X)),
  'abs-neg': ({ m, X }) => m('abs', m('neg', X)),
  'abs-square': ({ m, X }) => m('abs', m('square', X)),
  'abs-abs': ({ m, X }) => m('abs', m('abs', X)),
  'relu-relu': ({ m, X }) => m('relu', m('relu', X)),
  'transpose-transpose': ({ m, X }) => m('transpose', m('transpose', X)),
  'transpose-eye': ({ b, m }) => m('transpose', b.make('eye', [], { n: 'd' })),
  'transpose-symmetric': ({ m, X }) => m('transpose', m('matmul', m('transpose', X), X)),
  'transpose-matmul': ({ m, A, X }) => m('transpose', m('matmul', sym(m, A), m('transpose', X))),
  'transpose-matmul-square': ({ m, A, X }) => m('transpose', m('matmul', A, m('transpose', X))),
  'transpose-add': ({ m, A, X, Y }) => m('transpose', m('add', m('matmul', A, m('transpose', X)), m('transpose', Y))),
  'transpose-const': ({ m, c }) => m('transpose', c(2.5, ['n', 'd'])),
  'transpose-broadcast': (h) => h.m('transpose', bcastS(h)),
  'broadcast-const': ({ b, c }) => b.make('broadcast', [c(1.5)], { shape: ['n', 'd'] }),
  'broadcast-to-scalar': ({ b, S }) => b.make('broadcast', [S], { shape: [] }),
  'bcast-rows-const': ({ b, c }) => b.make('bcast_rows', [c(2, ['d'])], { rows: 'n' }),
  'bcast-cols-const': ({ b, c }) => b.make('bcast_cols', [c(2, ['n'])], { cols: 'd' }),
  'diag-transpose': ({ m, A }) => m('diag', m('transpose', A)),
  'diag-eye': ({ b, m }) => m('diag', b.make('eye', [], { n: 'd' })),
  'diag-const': ({ m, c }) => m('diag', c(4, ['d', 'd'])),
  'diag-diag-embed': ({ m, V }) => m('diag', m('diag_embed', V)),
  'diag-scaled': ({ m, A, S }) => m('diag', m('mul', A, S)),
  'diag-divided': ({ m, A, S }) => m('diag', m('div', A, S)),
  'matmul-eye-left': ({ b, m, A }) => m('matmul', b.make('eye', [], { n: 'd' }), A),
  'matmul-eye-right': ({ b, m, X }) => m('matmul', X, b.make('eye', [], { n: 'd' })),
  'matmul-zero-left': ({ m, X, c }) => m('matmul', c(0, ['d', 'n']), X),
  'matmul-zero-right': ({ m, X, c }) => m('matmul', X, c(0, ['d', 'd'])),
  // X G + X Gᵀ: what reverse mode makes of Xᵀ X.
  'matmul-distribute-left': ({ m, X, A }) => m('add', m('matmul', X, A), m('matmul', X, m('transpose', A))),
  'matmul-distribute-right': ({ m, X, A }) => m('add', m('matmul', A, m('transpose', X)), m('matmul', m('transpose', A), m('transpose', X))),
  'matmul-distribute-left-sum': ({ m, X, Y, A }) => m('add', m('add', Y, m('matmul', X, A)), m('matmul', X, m('transpose', A))),
  'matmul-distribute-right-sum': ({ m, X, Y, A }) =>
    m('add', m('matmul', m('transpose', A), m('transpose', X)), m('add', m('matmul', A, m('transpose', X)), m('transpose', Y))),
  'sum-scalar': ({ m, S }) => m('sum', S),
  'sum-const': ({ m, c }) => m('sum', c(1.5, ['n', 'd'])),
  'sum-broadcast': (h) => h.m('sum', bcastS(h)),
  'sum-bcast-rows': ({ b, m, V }) => m('sum', b.make('bcast_rows', [V], { rows: 'n' })),
  'sum-bcast-cols': ({ b, m, V }) => m('sum', b.make('bcast_cols', [V], { cols: 'n' })),
  'sum-rows-bcast-rows': ({ b, m, V }) => m('sum_rows', b.make('bcast_rows', [V], { rows: 'n' })),
  'sum-cols-bcast-cols': ({ b, m, V }) => m('sum_cols', b.make('bcast_cols', [V], { cols: 'n' })),
  'sum-rows-const': ({ m, c }) => m('sum_rows', c(0.5, ['n', 'd'])),
  'sum-cols-const': ({ m, c }) => m('sum_cols', c(0.5, ['n', 'd'])),
  'sum-eye': ({ b, m }) => m('sum', b.make('eye', [], { n: 'd' })),
  'sum-transpose': ({ m, X }) => m('sum', m('transpose', X)),
  'sum-neg': ({ m, X }) => m('sum', m('neg', X)),
  'sum-scaled': ({ m, X, S }) => m('sum', m('mul', S, X)),
  'sum-divided': ({ m, X, S }) => m('sum', m('div', X, S)),
  'sum-square-scaled': ({ m, X, S }) => m('sum', m('square', m('mul', X, S))),
  'sum-square-divided': ({ m, X, S }) => m('sum', m('square', m('div', X, S))),
  'sum-diag-embed': ({ m, V }) => m('sum', m('diag_embed', V)),
  'sum-pad': (h) => h.m('sum', padW(h)),
  'trace-matmul': ({ m, X, Y }) => m('sum', m('diag', m('matmul', m('transpose', X), Y))),
  'max-const': ({ m, c }) => m('max', c(3, ['n', 'd'])),
  'min-const': ({ m, c }) => m('min', c(3, ['n', 'd'])),
  'max-broadcast': (h) => h.m('max', bcastS(h)),
  'min-broadcast': (h) => h.m('min', bcastS(h)),
  'pad-same-length': ({ b, V }) => b.make('pad', [V], { length: 'd' }),
  'slice-same-length': ({ b, V }) => b.make('slice', [V], { length: 'd' }),
  'slice-pad': (h) => h.b.make('slice', [padW(h)], { length: 'k' }),
  'pad-zero': ({ b, c }) => b.make('pad', [c(0, ['k'])], { length: 'd' }),
  'square-pad': (h) => h.m('square', padW(h)),
  'abs-pad': (h) => h.m('abs', padW(h)),
  'neg-pad': (h) => h.m('neg', padW(h)),
  'relu-pad': (h) => h.m('relu', padW(h)),
  'sqrt-pad': (h) => h.m('sqrt', h.m('abs', padW(h))),
  'pow-pad': (h) => h.m('pow', padW(h), h.c(3)),
  'mul-pad': (h) => h.m('mul', padW(h), h.S),
  'div-pad': (h) => h.m('div', padW(h), h.S),
};

// The generated rows: elementwise ops over a broadcast operand.
for (const f of OP_NAMES) {
  const def = opDef(f);
  if (!def.facts?.elementwise) continue;
  if (def.arity === 1) {
    SIMPLIFY_CASES[`${f}-of-broadcast`] = (h) => h.m(f, bcastS(h));
  } else if (def.facts.commutative) {
    SIMPLIFY_CASES[`${f}-broadcast-operand`] = (h) => h.m(f, bcastS(h), h.X);
  } else {
    // A scalar-only right operand (pow's exponent) gets a constant.
    const tensorRight = Array.isArray(def.shape([[2, 3], [2, 3]], {}));
    SIMPLIFY_CASES[`${f}-broadcast-left`] = (h) => h.m(f, bcastS(h), tensorRight ? h.X : h.c(3));
    if (Array.isArray(def.shape([[], [2, 3]], {}))) SIMPLIFY_CASES[`${f}-broadcast-right`] = (h) => h.m(f, h.X, bcastS(h));
  }
}

export const SPECTRAL_CASES: Record<string, Case> = {
  'sum-eigvals-trace': ({ m, A }) => m('sum', m('eigvals', m('eigh', sym(m, A)))),
  'sum-square-eigvals-fro2': ({ m, A }) => m('sum', m('square', m('eigvals', m('eigh', sym(m, A))))),
  'sum-pow-eigvals-trace': ({ m, A, c }) => m('sum', m('pow', m('eigvals', m('eigh', sym(m, A))), c(3))),
  'sum-pow-scaled': ({ m, X, S, c }) => m('sum', m('pow', m('mul', X, S), c(3))),
};

/** A + Aᵀ: a symmetric matrix, as `eigh` requires. */
export function sym(m: RuleInputs['m'], a: Node): Node {
  return m('add', a, m('transpose', a));
}

export { scalarConst };
