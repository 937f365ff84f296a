import { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Program } from '../../compiler/ir/node.ts';
import { optimize } from '../../compiler/pipeline.ts';
import { paramInputs, paramSpecs } from './params.ts';
import { embedSlot, slotDataInputs } from './slot-embedding.ts';
import type { ModelConfig } from './train-spec.ts';

/**
 * The embedding of one batch of windows, for writing embeddings after training: inputs
 * `param:<p>...` and `data:t.<field>...` (slot 0), outputs `embed:Z` and, for multimodal runs,
 * `embed:E`, `embed:T`, `embed:F`. The batch size is `config.batch`; build one with
 * `{...config, batch: rows}` for a last, smaller batch.
 */
export function buildEmbedProgram(config: ModelConfig): Program {
  const specs = paramSpecs(config);
  const b = new IrBuilder();
  const params = paramInputs(b, specs);
  const data = slotDataInputs(b, config, 0);
  const streams = embedSlot(b, config, params.nodes, data.nodes);
  const program: Program = {
    inputs: [...params.inputs, ...data.inputs],
    outputs: [...streams].map(([stream, node]) => ({ name: `embed:${stream}`, node })),
  };
  return optimize(program, { sizes: new Map() }).program;
}
