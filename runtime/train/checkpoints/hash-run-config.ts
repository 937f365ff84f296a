import { createHash } from 'node:crypto';
import { DEFAULT_ADAM, type ModelConfig } from '../../model/train-spec.ts';
import type { RunConfig } from '../settings/run-config.ts';
import { featurizerHash, type Featurizer } from '../features/featurizer.ts';

/**
 * The config hash a checkpoint carries: everything that determines the trajectory except lr and
 * epochs (which may change on resume), so --resume refuses a checkpoint another run made.
 */
export function hashRunConfig(source: string, model: ModelConfig, config: RunConfig, featurizer: Featurizer, examples: Int32Array): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ source, model, seed: config.seed, rename: config.rename, labels: config.labels, viewDrop: config['view-drop'], adam: DEFAULT_ADAM, featurizer: featurizerHash(featurizer) }));
  h.update(new Uint8Array(examples.buffer, examples.byteOffset, examples.byteLength));
  return h.digest('hex').slice(0, 32);
}
