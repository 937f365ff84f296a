import type { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node } from '../../compiler/ir/node.ts';
import { mlp } from './mlp.ts';
import { param, type ParamNodes } from './params.ts';
import { weightedPool } from './pool.ts';
import type { ModelConfig } from './train-spec.ts';

/** One slot's text batch data as IR nodes (train-spec.ts's BatchField). */
export interface TextSlotNodes {
  readonly tokIds: Node;
  readonly tokWeights: Node;
  readonly tokRows: Node;
}

/**
 * The text encoder: embeddings of the hashed word and character n-grams of a window's notes,
 * pooled with their weights, then an MLP: T = relu(pool(text.tokens) @ w1 + b1) @ w2 + b2 -> [batch, dim].
 */
export function textEncoder(b: IrBuilder, params: ParamNodes, data: TextSlotNodes, config: ModelConfig): Node {
  const pooled = weightedPool(b, param(params, 'text.tokens'), data.tokIds, data.tokWeights, data.tokRows, config.batch);
  return mlp(b, params, 'text', pooled);
}
