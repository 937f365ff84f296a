import type { Program } from '../../compiler/ir/node.ts';

/**
 * The contract between the model side (encoders written in IR, the compiled training step) and
 * the training loop (batches, checkpoints, the `dflc run` command).
 *
 * One training step is ONE program. Its inputs are named:
 * - `param:<name>`: a trainable parameter (float32, shape from ParamSpec);
 * - `adam.m:<name>`, `adam.v:<name>`: Adam's moment estimates for that parameter;
 * - `step`: scalar, the 1-based step number (for Adam's bias correction); `lr`: scalar learning rate;
 * - `data:<slot>.<field>`: batch data for one time slot (see BatchField), where a slot is a time
 *   offset written as in DFL (`t`, `t+1`, `t-2`). Every slot in `TrainProgram.slots` gets every
 *   field of `fieldsOf(modality)`; a slot's lists have the symbolic lengths `codes@<slot>` and
 *   `tokens@<slot>` (bound by the arrays of each step, 0 allowed), all other sizes are numbers
 *   fixed by the ModelConfig (so a different batch size needs another program).
 * Its outputs:
 * - `loss`: the objective's value; `term:<i>`: the value of its i-th top-level additive term;
 * - `grad_sq:<name>`: scalar, the sum of the squared loss gradient of that parameter (the trainer
 *   checks it for finiteness and logs the gradient norm from it);
 * - `param:<name>`, `adam.m:<name>`, `adam.v:<name>`: the updated state, to feed the next step;
 * - `embed:<stream>`: the embeddings the objective saw (e.g. `embed:Z_t`), for live metrics.
 */

export type Modality = 'ehr' | 'text' | 'multimodal';

export interface ModelConfig {
  readonly modality: Modality;
  /** Width of the output embedding (d). */
  readonly dim: number;
  /** Width of code / token embeddings and of the MLP's hidden layer. */
  readonly hidden: number;
  /** Rows of the code embedding table: vocabulary codes first, then hash buckets for the rest. */
  readonly codeRows: number;
  /** Number of lab features (one per lab code kept), normalised values per window. */
  readonly labFeatures: number;
  /** Rows of the token embedding table (hashed word and character n-grams). */
  readonly textRows: number;
  /** Windows per batch (n). */
  readonly batch: number;
}

export type ParamInit = 'glorot' | 'zeros' | 'embedding';

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: ParamInit;
}

/**
 * Per-slot batch data. Events and tokens are flat lists over the whole batch: entry i belongs to
 * batch row `*_row[i]` (0..batch-1), carries an integer id (stored in float32) and a pooling
 * weight; a row's embedding is the weighted sum of its entries' embeddings. Lists may be empty
 * (length 0) and have a different length every step.
 */
export type BatchField =
  | 'code_ids' // [m] code table rows
  | 'code_weights' // [m] time-decay weights, normalised per row
  | 'code_rows' // [m] batch row of each event
  | 'labs' // [batch, labFeatures] normalised lab values (0 when absent)
  | 'tok_ids' // [k] token table rows
  | 'tok_weights' // [k] pooling weights, normalised per row
  | 'tok_rows'; // [k] batch row of each token

export const EHR_FIELDS: readonly BatchField[] = ['code_ids', 'code_weights', 'code_rows', 'labs'];
export const TEXT_FIELDS: readonly BatchField[] = ['tok_ids', 'tok_weights', 'tok_rows'];

export function fieldsOf(modality: Modality): readonly BatchField[] {
  return modality === 'ehr' ? EHR_FIELDS : modality === 'text' ? TEXT_FIELDS : [...EHR_FIELDS, ...TEXT_FIELDS];
}

export interface AdamConfig {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export const DEFAULT_ADAM: AdamConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export interface TrainProgram {
  /** The optimised step program (inputs and outputs as above). */
  readonly program: Program;
  readonly params: readonly ParamSpec[];
  /** Time slots the objective reads, as offsets (0 for `Z` and `Z_t`, 1 for `Z_t+1`, ...). */
  readonly slots: readonly number[];
  /** The data each step takes: every slot read, as is and as each view read, in slot order. */
  readonly sources: readonly DataSource[];
  /** Source text of each top-level additive term of the objective, in order (`term:<i>`). */
  readonly terms: readonly string[];
  /** Objective inputs and the embedding stream each is bound to, e.g. `Z_t+1` -> `Z` at slot 1. */
  readonly bindings: readonly StreamBinding[];
  /** Objective inputs bound to a task's labels: each is the step input `label:<input>`, a vector[batch] of 0/1. */
  readonly labels: readonly LabelBinding[];
}

export interface LabelBinding {
  readonly input: string;
  readonly task: string;
}

/** The step input holding a label input's values for the batch. */
export const labelInputName = (input: string): string => `label:${input}`;

export interface StreamBinding {
  /** The objective's input name as written, e.g. `Z_t+1`, `E`, `Z_a`. */
  readonly input: string;
  /** The embedding stream: `Z` (the run's embedding), or for multimodal runs `E`, `T`, `F`. */
  readonly stream: string;
  readonly slot: number;
  /** For `Z_a`, `Z_b`: the stream's embedding of an augmented view of the window (augment-view.ts). */
  readonly view?: View;
}

/** The two stochastic views of a window, streams `<S>_a` and `<S>_b` of every stream S. */
export type View = 'a' | 'b';
export const VIEWS: readonly View[] = ['a', 'b'];

/** What one set of data inputs holds: a slot's windows, as they are or as one of their views. */
export interface DataSource {
  readonly slot: number;
  readonly view?: View;
}

/** `t`, `t+1`, `t:a`: a data source's part of its input names (`data:t:a.code_ids`). */
export function sourceName(source: DataSource): string {
  return source.view === undefined ? slotName(source.slot) : `${slotName(source.slot)}:${source.view}`;
}

/** Streams a run exposes: `Z` always (the fused embedding in multimodal runs), plus `E`, `T`, `F` for multimodal. */
export function streamsOf(modality: Modality): readonly string[] {
  return modality === 'multimodal' ? ['Z', 'E', 'T', 'F'] : ['Z'];
}

/** The slot name used in input names: 0 -> `t`, 1 -> `t+1`, -2 -> `t-2`. */
export function slotName(offset: number): string {
  return offset === 0 ? 't' : offset > 0 ? `t+${offset}` : `t${offset}`;
}
