import type { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node } from '../../compiler/ir/node.ts';
import { affine } from './mlp.ts';
import { param, type ParamNodes } from './params.ts';

/**
 * The multimodal fusion layer over the EHR and text embeddings of the same windows:
 * F = relu(E @ w_ehr + T @ w_text + b1) @ w2 + b2 -> [batch, dim]. A multimodal run's `Z` is F.
 */
export function fusion(b: IrBuilder, params: ParamNodes, ehr: Node, text: Node): Node {
  const mixed = b.make('add', [b.make('matmul', [ehr, param(params, 'fusion.w_ehr')]), affine(b, text, param(params, 'fusion.w_text'), param(params, 'fusion.b1'))]);
  return affine(b, b.make('relu', [mixed]), param(params, 'fusion.w2'), param(params, 'fusion.b2'));
}
