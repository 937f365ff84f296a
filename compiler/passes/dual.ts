import type { IrBuilder } from '../ir/builder.ts';
import type { Node } from '../ir/node.ts';
import { isScalar } from './ir-helpers.ts';
import type { Pass } from './pass.ts';
import { konst, op, v, type OpPattern } from './pattern.ts';
import { rewritePass, rule, type Rule, type RuleContext } from './rewrite-rules.ts';

/**
 * The dual form of Gram spectra. For C of shape [n, d], CᵀC (d×d) and CCᵀ (n×n) have the same
 * nonzero eigenvalues, and the larger one has |d − n| extra zeros; both are positive
 * semidefinite, so with a positive scale s the zeros sort last:
 *   eig(s CᵀC) = pad(eig(s CCᵀ), d) when n < d, and eig(s CCᵀ) = pad(eig(s CᵀC), n) when d < n.
 * Fires only on concrete dimensions (after `specialize`) and only when the `eigh` has no
 * `eigvecs` user: the backward pass makes those, so the pipeline runs this before
 * differentiating. The same duality gives ‖CᵀC‖_F² = ‖CCᵀ‖_F².
 */

const concreteMatrix = (node: Node) => node.shape.length === 2 && node.shape.every((dim) => typeof dim === 'number');
const c = v('c', concreteMatrix);
const scale = konst('s', (value) => value > 0);

interface Orientation {
  readonly name: string;
  /** The Gram matrix on the larger side. */
  readonly gram: OpPattern;
  /** Whether C's shape makes the other side smaller. */
  readonly smallerDual: (shape: readonly number[]) => boolean;
  /** The Gram matrix on the other side. */
  readonly dual: (b: IrBuilder, c: Node) => Node;
}

const ORIENTATIONS: readonly Orientation[] = [
  {
    name: 'ctc',
    gram: op('matmul', [op('transpose', [c]), c]),
    smallerDual: ([n, d]) => n < d,
    dual: (b, cc) => b.make('matmul', [cc, b.make('transpose', [cc])]),
  },
  {
    name: 'cct',
    gram: op('matmul', [c, op('transpose', [c])]),
    smallerDual: ([n, d]) => d < n,
    dual: (b, cc) => b.make('matmul', [b.make('transpose', [cc]), cc]),
  },
];

interface Scaling {
  readonly name: string;
  readonly wrap: (gram: OpPattern) => OpPattern;
  readonly apply: (b: IrBuilder, gram: Node, s: Node | undefined) => Node;
}

const SCALINGS: readonly Scaling[] = [
  { name: '', wrap: (gram) => gram, apply: (_b, gram) => gram },
  { name: '-scaled', wrap: (gram) => op('mul', [gram, scale]), apply: (b, gram, s) => b.make('mul', [gram, s!]) },
  { name: '-divided', wrap: (gram) => op('div', [gram, scale]), apply: (b, gram, s) => b.make('div', [gram, s!]) },
];

function eigvalsDual(o: Orientation, sc: Scaling): Rule {
  return rule(
    `gram-dual-${o.name}${sc.name}`,
    'eig(s CᵀC) = pad(eig(s CCᵀ), d) for C: [n, d], n < d, s > 0 (and the transposed case)',
    op('eigvals', [op('eigh', [sc.wrap(o.gram)], { name: 'e' })]),
    ({ c, s, e }, ctx: RuleContext) => {
      const shape = c.shape as readonly number[];
      if (!o.smallerDual(shape) || ctx.hasUser(e, 'eigvecs')) return undefined;
      if (s !== undefined && !isScalar(s)) return undefined;
      const { b, node } = ctx;
      const values = b.make('eigvals', [b.make('eigh', [sc.apply(b, o.dual(b, c), s)])]);
      return b.make('pad', [values], { length: node.shape[0] });
    },
  );
}

function fro2Dual(o: Orientation): Rule {
  return rule(`gram-fro2-dual-${o.name}`, '‖CᵀC‖_F² = tr(CᵀC CᵀC) = tr(CCᵀ CCᵀ) = ‖CCᵀ‖_F²', op('sum', [op('square', [o.gram])]), ({ c }, { b }) =>
    o.smallerDual(c.shape as readonly number[]) ? b.make('sum', [b.make('square', [o.dual(b, c)])]) : undefined,
  );
}

export const DUAL_RULES: readonly Rule[] = [
  ...ORIENTATIONS.flatMap((o) => SCALINGS.map((sc) => eigvalsDual(o, sc))),
  ...ORIENTATIONS.map(fro2Dual),
];

/** The dual-form pass. */
export const dual: Pass = rewritePass('dual', DUAL_RULES);
