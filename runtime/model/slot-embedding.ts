import type { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node, ProgramInput } from '../../compiler/ir/node.ts';
import type { Shape } from '../../compiler/ir/shape.ts';
import { ehrEncoder } from './ehr-encoder.ts';
import { fusion } from './fusion.ts';
import type { ParamNodes } from './params.ts';
import { textEncoder } from './text-encoder.ts';
import { fieldsOf, sourceName, type BatchField, type ModelConfig, type View } from './train-spec.ts';

/** `data:t+1.code_ids`, `data:t:a.code_ids`: the program input holding one field of one slot's batch (or view). */
export function dataInputName(slot: number, field: BatchField, view?: View): string {
  return `data:${sourceName({ slot, view })}.${field}`;
}

/** The symbolic length of a slot's event lists (`codes@t+1`) and token lists (`tokens@t+1`), per view. */
export const codesDim = (slot: number, view?: View): string => `codes@${sourceName({ slot, view })}`;
export const tokensDim = (slot: number, view?: View): string => `tokens@${sourceName({ slot, view })}`;

/** A field's shape: the lists have a per-step length (symbolic), the labs a fixed one. */
export function dataInputShape(field: BatchField, slot: number, config: ModelConfig, view?: View): Shape {
  switch (field) {
    case 'code_ids':
    case 'code_weights':
    case 'code_rows':
      return [codesDim(slot, view)];
    case 'labs':
      return [config.batch, config.labFeatures];
    case 'tok_ids':
    case 'tok_weights':
    case 'tok_rows':
      return [tokensDim(slot, view)];
  }
}

/** Makes the `data:<slot>.<field>` inputs of one slot (or of one view of it), every field the modality has. */
export function slotDataInputs(
  b: IrBuilder,
  config: ModelConfig,
  slot: number,
  view?: View,
): { nodes: Map<BatchField, Node>; inputs: ProgramInput[] } {
  const nodes = new Map<BatchField, Node>();
  const inputs: ProgramInput[] = [];
  for (const field of fieldsOf(config.modality)) {
    const name = dataInputName(slot, field, view);
    const shape = dataInputShape(field, slot, config, view);
    nodes.set(field, b.make('input', [], { name, shape: [...shape] }));
    inputs.push({ name, shape });
  }
  return { nodes, inputs };
}

/**
 * The embedding streams of one slot, by stream name: `Z` for ehr and text runs; `E` (EHR), `T`
 * (text), `F` (fused) and `Z` (= F) for multimodal runs. Parameters are the same nodes for every
 * slot, so slots share weights.
 */
export function embedSlot(b: IrBuilder, config: ModelConfig, params: ParamNodes, data: ReadonlyMap<BatchField, Node>): Map<string, Node> {
  const field = (name: BatchField): Node => data.get(name)!;
  const ehr = () =>
    ehrEncoder(b, params, { codeIds: field('code_ids'), codeWeights: field('code_weights'), codeRows: field('code_rows'), labs: field('labs') }, config);
  const text = () => textEncoder(b, params, { tokIds: field('tok_ids'), tokWeights: field('tok_weights'), tokRows: field('tok_rows') }, config);
  switch (config.modality) {
    case 'ehr':
      return new Map([['Z', ehr()]]);
    case 'text':
      return new Map([['Z', text()]]);
    case 'multimodal': {
      const e = ehr();
      const t = text();
      const f = fusion(b, params, e, t);
      return new Map([
        ['Z', f],
        ['E', e],
        ['T', t],
        ['F', f],
      ]);
    }
  }
}
