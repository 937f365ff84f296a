import type { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node, ProgramInput } from '../../compiler/ir/node.ts';
import { Rng } from '../data/prng.ts';
import type { ModelConfig, ParamSpec } from './train-spec.ts';

/**
 * The trainable parameters of each encoder, by name, and their initial values. Names are
 * `<part>.<role>`: `ehr.codes`, `ehr.labs`, `ehr.w1`, ..., `text.tokens`, ..., `fusion.w_ehr`;
 * in a program each is the input `param:<name>` (train-spec.ts).
 */

/** The input (and output) name of a parameter in a step program. */
export const paramInputName = (name: string): string => `param:${name}`;
export const adamMName = (name: string): string => `adam.m:${name}`;
export const adamVName = (name: string): string => `adam.v:${name}`;
/** The step program's output holding sum(square(gradient)) of a parameter: non-finite checks and the gradient norm. */
export const gradSqName = (name: string): string => `grad_sq:${name}`;

/** An MLP's two layers: x -> relu(x @ w1 + b1) @ w2 + b2. */
function mlpSpecs(part: string, inputs: number, hidden: number, outputs: number): ParamSpec[] {
  return [
    { name: `${part}.w1`, shape: [inputs, hidden], init: 'glorot' },
    { name: `${part}.b1`, shape: [hidden], init: 'zeros' },
    { name: `${part}.w2`, shape: [hidden, outputs], init: 'glorot' },
    { name: `${part}.b2`, shape: [outputs], init: 'zeros' },
  ];
}

/** EHR encoder: code embeddings [codeRows, hidden], the lab projection [labFeatures, hidden], an MLP to dim. */
export function ehrParamSpecs(config: ModelConfig): ParamSpec[] {
  return [
    { name: 'ehr.codes', shape: [config.codeRows, config.hidden], init: 'embedding' },
    { name: 'ehr.labs', shape: [config.labFeatures, config.hidden], init: 'glorot' },
    ...mlpSpecs('ehr', config.hidden, config.hidden, config.dim),
  ];
}

/** Text encoder: token embeddings [textRows, hidden] and an MLP to dim. */
export function textParamSpecs(config: ModelConfig): ParamSpec[] {
  return [{ name: 'text.tokens', shape: [config.textRows, config.hidden], init: 'embedding' }, ...mlpSpecs('text', config.hidden, config.hidden, config.dim)];
}

/** Fusion layer: F = relu(E @ w_ehr + T @ w_text + b1) @ w2 + b2. */
export function fusionParamSpecs(config: ModelConfig): ParamSpec[] {
  return [
    { name: 'fusion.w_ehr', shape: [config.dim, config.hidden], init: 'glorot' },
    { name: 'fusion.w_text', shape: [config.dim, config.hidden], init: 'glorot' },
    { name: 'fusion.b1', shape: [config.hidden], init: 'zeros' },
    { name: 'fusion.w2', shape: [config.hidden, config.dim], init: 'glorot' },
    { name: 'fusion.b2', shape: [config.dim], init: 'zeros' },
  ];
}

/** Every parameter of a run's model, in a fixed order: EHR, text, fusion (those the modality has). */
export function paramSpecs(config: ModelConfig): ParamSpec[] {
  checkConfig(config);
  switch (config.modality) {
    case 'ehr':
      return ehrParamSpecs(config);
    case 'text':
      return textParamSpecs(config);
    case 'multimodal':
      return [...ehrParamSpecs(config), ...textParamSpecs(config), ...fusionParamSpecs(config)];
  }
}

/** A model configuration that cannot be built (a size that is not a positive integer). */
export class ModelConfigError extends Error {
  override name = 'ModelConfigError';
}

/** Every size the modality uses must be a positive integer. */
export function checkConfig(config: ModelConfig): void {
  if (!['ehr', 'text', 'multimodal'].includes(config.modality)) {
    throw new ModelConfigError(`unknown modality '${String(config.modality)}'; choose ehr, text or multimodal`);
  }
  const used: (keyof ModelConfig)[] = ['dim', 'hidden', 'batch'];
  if (config.modality !== 'text') used.push('codeRows', 'labFeatures');
  if (config.modality !== 'ehr') used.push('textRows');
  for (const key of used) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      const hint = key === 'labFeatures' ? ' (a cohort without labs can use 1 feature that is always 0)' : '';
      throw new ModelConfigError(`model config: ${key} must be a positive integer, got ${JSON.stringify(value)}${hint}`);
    }
  }
}

/** 32-bit FNV-1a of a parameter's name: its PRNG stream, so adding a parameter shifts no other. */
function nameKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Stream key of parameter initialisation among the Rng's purposes. */
const INIT_PURPOSE = 0x1417;

/**
 * Initial values, a pure function of `seed`: Glorot uniform U(±√(6 / (fan_in + fan_out))) for
 * weight matrices, zeros for biases, N(0, 0.1²) for embedding tables. Each parameter draws from
 * its own stream, keyed by its name.
 */
export function initParams(specs: readonly ParamSpec[], seed: number): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    const rng = Rng.from(seed, INIT_PURPOSE, nameKey(spec.name));
    if (spec.init === 'glorot') {
      const [fanIn, fanOut] = spec.shape.length === 2 ? spec.shape : [spec.shape[0] ?? 1, spec.shape[0] ?? 1];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) data[i] = rng.uniform(-limit, limit);
    } else if (spec.init === 'embedding') {
      for (let i = 0; i < size; i++) data[i] = 0.1 * rng.normal();
    }
    out.set(spec.name, data);
  }
  return out;
}

/** The parameters as IR nodes: one `param:<name>` input each. */
export type ParamNodes = ReadonlyMap<string, Node>;

export function param(params: ParamNodes, name: string): Node {
  const node = params.get(name);
  if (node === undefined) throw new Error(`model: no parameter '${name}' (have ${[...params.keys()].join(', ')})`);
  return node;
}

/** Makes the `param:<name>` inputs in `b`; returns the nodes by parameter name and the program inputs. */
export function paramInputs(b: IrBuilder, specs: readonly ParamSpec[]): { nodes: Map<string, Node>; inputs: ProgramInput[] } {
  const nodes = new Map<string, Node>();
  const inputs: ProgramInput[] = [];
  for (const spec of specs) {
    const name = paramInputName(spec.name);
    nodes.set(spec.name, b.make('input', [], { name, shape: [...spec.shape] }));
    inputs.push({ name, shape: [...spec.shape] });
  }
  return { nodes, inputs };
}
