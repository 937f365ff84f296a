import type { IrBuilder } from '../ir/builder.ts';
import type { Node } from '../ir/node.ts';
import type { Pass } from './pass.ts';
import { konst, op, v } from './pattern.ts';
import { rewritePass, rule, type Rule } from './rewrite-rules.ts';

/**
 * Exact spectral rewrites: power sums of the eigenvalues of a symmetric matrix M (an `eigh`
 * input is symmetric by contract) are traces of powers of M, so they need no eigensolver:
 * Σ λᵢᵏ = tr(Mᵏ). With `pad` and scalar factors handled by simplify's rows (Σ pad(v) = Σ v,
 * pad(v)² = pad(v²), Σ(x s)² = s² Σ x²), this leaves no `eigh` behind a Rényi-2 balance.
 */

const m = v('m');
const eigenvalues = op('eigvals', [op('eigh', [m])]);

/** tr(Mᵏ) for a symmetric M and k = 1..4, written with the fewest matrix products. */
function tracePower(b: IrBuilder, matrix: Node, k: number): Node | undefined {
  switch (k) {
    case 1: // tr M = Σ diag(M)
      return b.make('sum', [b.make('diag', [matrix])]);
    case 2: // tr M² = Σ M ∘ Mᵀ = Σ M² (M symmetric)
      return b.make('sum', [b.make('square', [matrix])]);
    case 3: // tr M³ = Σ (M M) ∘ Mᵀ = Σ (M M) ∘ M (M symmetric)
      return b.make('sum', [b.make('mul', [b.make('matmul', [matrix, matrix]), matrix])]);
    case 4: // tr M⁴ = ‖M M‖_F² (M M symmetric)
      return b.make('sum', [b.make('square', [b.make('matmul', [matrix, matrix])])]);
    default:
      return undefined;
  }
}

export const SPECTRAL_RULES: readonly Rule[] = [
  rule('sum-eigvals-trace', 'Σ eig(M) = tr M', op('sum', [eigenvalues]), ({ m }, { b }) => tracePower(b, m, 1)),
  rule('sum-square-eigvals-fro2', 'Σ eig(M)² = ‖M‖_F² for symmetric M', op('sum', [op('square', [eigenvalues])]), ({ m }, { b }) => tracePower(b, m, 2)),
  rule(
    'sum-pow-eigvals-trace',
    'Σ eig(M)ᵏ = tr Mᵏ for symmetric M, k = 2, 3, 4',
    op('sum', [op('pow', [eigenvalues, konst('k', (k) => k === 2 || k === 3 || k === 4)])]),
    ({ m, k }, { b }) => (k.shape.length === 0 ? tracePower(b, m, k.attrs.value as number) : undefined),
  ),
  rule(
    'sum-pow-scaled',
    'Σ (x s)ᵏ = sᵏ Σ xᵏ for integer k > 0',
    op('sum', [op('pow', [op('mul', [v('x', (n) => n.shape.length > 0), v('s', (n) => n.shape.length === 0)]), konst('k', (k) => Number.isInteger(k) && k > 0)])]),
    ({ x, s, k }, { b }) => (k.shape.length === 0 ? b.make('mul', [b.make('sum', [b.make('pow', [x, k])]), b.make('pow', [s, k])]) : undefined),
  ),
];

/** The spectral rewrite pass. */
export const spectral: Pass = rewritePass('spectral', SPECTRAL_RULES);
