import type { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node } from '../../compiler/ir/node.ts';
import { mlp } from './mlp.ts';
import { param, type ParamNodes } from './params.ts';
import { weightedPool } from './pool.ts';
import type { ModelConfig } from './train-spec.ts';

/** One slot's EHR batch data as IR nodes (train-spec.ts's BatchField). */
export interface EhrSlotNodes {
  readonly codeIds: Node;
  readonly codeWeights: Node;
  readonly codeRows: Node;
  readonly labs: Node;
}

/**
 * The EHR encoder: code embeddings pooled per window with their time-decay weights, plus the
 * normalised lab values projected to the same width, then an MLP:
 * x = pool(ehr.codes) + labs @ ehr.labs; E = relu(x @ w1 + b1) @ w2 + b2 -> [batch, dim].
 */
export function ehrEncoder(b: IrBuilder, params: ParamNodes, data: EhrSlotNodes, config: ModelConfig): Node {
  const pooled = weightedPool(b, param(params, 'ehr.codes'), data.codeIds, data.codeWeights, data.codeRows, config.batch);
  const labs = b.make('matmul', [data.labs, param(params, 'ehr.labs')]);
  return mlp(b, params, 'ehr', b.make('add', [pooled, labs]));
}
