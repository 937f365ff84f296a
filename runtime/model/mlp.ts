import type { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node } from '../../compiler/ir/node.ts';
import { param, type ParamNodes } from './params.ts';

/** x @ w + b, with the bias vector repeated on every row of x. */
export function affine(b: IrBuilder, x: Node, w: Node, bias: Node): Node {
  const product = b.make('matmul', [x, w]);
  return b.make('add', [product, b.make('bcast_rows', [bias], { rows: product.shape[0] })]);
}

/** The two-layer MLP named `part` (params `<part>.w1`, `.b1`, `.w2`, `.b2`): relu(x @ w1 + b1) @ w2 + b2. */
export function mlp(b: IrBuilder, params: ParamNodes, part: string, x: Node): Node {
  const hidden = b.make('relu', [affine(b, x, param(params, `${part}.w1`), param(params, `${part}.b1`))]);
  return affine(b, hidden, param(params, `${part}.w2`), param(params, `${part}.b2`));
}
