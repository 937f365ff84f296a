import type { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node } from '../../compiler/ir/node.ts';
import type { AdamConfig } from './train-spec.ts';

/** The scalars every parameter's update shares (interned once per program). */
export interface AdamScalars {
  /** The 1-based step number t. */
  readonly step: Node;
  /** The learning rate. */
  readonly lr: Node;
}

export interface AdamState {
  readonly param: Node;
  readonly m: Node;
  readonly v: Node;
}

const scalar = (b: IrBuilder, value: number): Node => b.make('const', [], { value, shape: [] });

/**
 * One Adam step (Kingma and Ba, Algorithm 1) written in IR, for one parameter p with gradient g:
 *   m' = β1 m + (1 - β1) g,   v' = β2 v + (1 - β2) g²,
 *   p' = p - lr · m̂ / (√v̂ + ε)  with  m̂ = m' / (1 - β1^t),  v̂ = v' / (1 - β2^t),
 * computed in the equal form of the paper's section 2,
 *   p' = p - α m' / (√v' + ε̂),  α = lr √(1 - β2^t) / (1 - β1^t),  ε̂ = ε √(1 - β2^t),
 * whose corrections are scalars of `step` (computed once for all parameters): one pass over a
 * parameter-sized array fewer, which for an embedding table is most of what the update costs.
 */
export function adamUpdate(b: IrBuilder, state: AdamState, grad: Node, scalars: AdamScalars, config: AdamConfig): AdamState {
  const { beta1, beta2, epsilon } = config;
  const one = scalar(b, 1);
  const m = b.make('add', [b.make('mul', [state.m, scalar(b, beta1)]), b.make('mul', [grad, scalar(b, 1 - beta1)])]);
  const v = b.make('add', [b.make('mul', [state.v, scalar(b, beta2)]), b.make('mul', [b.make('square', [grad]), scalar(b, 1 - beta2)])]);
  const rootCorrection2 = b.make('sqrt', [b.make('sub', [one, b.make('pow', [scalar(b, beta2), scalars.step])])]);
  const alpha = b.make('div', [b.make('mul', [scalars.lr, rootCorrection2]), b.make('sub', [one, b.make('pow', [scalar(b, beta1), scalars.step])])]);
  const denominator = b.make('add', [b.make('sqrt', [v]), b.make('mul', [scalar(b, epsilon), rootCorrection2])]);
  const param = b.make('sub', [state.param, b.make('div', [b.make('mul', [m, alpha]), denominator])]);
  return { param, m, v };
}
