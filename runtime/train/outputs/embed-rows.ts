import type { Executor, Float32Tensor } from '../../executors/executor.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import type { Windows } from '../../data/windows.ts';
import { fieldsOf, slotName, type Modality } from '../../model/train-spec.ts';
import type { WindowEncoder } from '../features/window-encoder.ts';

/**
 * Embeddings of arbitrary rows (a subject's window, or -1 for a subject with no window) with a
 * trained model: the rows go through the embed program (runtime/model/embed-program.ts, built for
 * a fixed batch) in chunks, the last one padded by repeating its last row. Rows are independent in
 * the encoders, so the padding changes nothing.
 */
/** Rows per embed program run when writing outputs (buildEmbedProgram is built for this batch). */
export const EMBED_BATCH = 256;

/** The embed program's batch for a cohort of `subjects` subjects. */
export function embedBatchFor(subjects: number): number {
  return Math.min(EMBED_BATCH, Math.max(2, subjects));
}

export interface EmbedOptions {
  readonly executor: Executor;
  /** buildEmbedProgram(config) for batch size `batch`. */
  readonly program: Program;
  readonly batch: number;
  readonly modality: Modality;
  readonly encoder: WindowEncoder;
  /** `param:<name>` arrays. */
  readonly params: ReadonlyMap<string, Float32Tensor>;
  /** Which outputs to keep (default `embed:Z`); all come from the same program runs. */
  readonly outputs?: readonly string[];
}

/** Row-major [rows, dim] float32 embeddings. */
export interface EmbeddedRows {
  readonly data: Float32Array;
  readonly dim: number;
}

/** The embeddings of each requested output, by output name. */
export async function embedRows(options: EmbedOptions, windowIds: Int32Array, subjectIds: Int32Array): Promise<Map<string, EmbeddedRows>> {
  const { executor, program, batch, modality, encoder, params } = options;
  const n = windowIds.length;
  const results = new Map<string, EmbeddedRows>();
  /** Outputs of shape [batch, dim], which a full batch writes straight into its rows of the result. */
  const rowShaped = new Set<string>();
  for (const name of options.outputs ?? ['embed:Z']) {
    const out = program.outputs.find((o) => o.name === name);
    if (out === undefined) throw new Error(`the embed program has no output '${name}'`);
    const dim = Number(out.node.shape[out.node.shape.length - 1]);
    results.set(name, { data: new Float32Array(n * dim), dim });
    if (out.node.shape.length === 2 && out.node.shape[0] === batch) rowShaped.add(name);
  }
  const slot = slotName(0);
  const declared = new Set(program.inputs.map((i) => i.name));
  for (let start = 0; start < n; start += batch) {
    const w = new Int32Array(batch);
    const s = new Int32Array(batch);
    for (let r = 0; r < batch; r++) {
      const i = Math.min(start + r, n - 1);
      w[r] = windowIds[i];
      s[r] = subjectIds[i];
    }
    const inputs = new Map<string, Float32Tensor>();
    for (const [name, tensor] of params) if (declared.has(name)) inputs.set(name, tensor);
    for (const [field, tensor] of encoder.encode(modality, w, s)) inputs.set(`data:${slot}.${field}`, tensor);
    for (const field of fieldsOf(modality)) if (!inputs.has(`data:${slot}.${field}`)) throw new Error(`embed: no field ${field}`);
    const rows = Math.min(batch, n - start);
    const into = new Map<string, Float32Array>();
    for (const name of rows === batch ? rowShaped : []) {
      const { data, dim } = results.get(name)!;
      into.set(name, data.subarray(start * dim, (start + rows) * dim));
    }
    const outputs = await executor.run(program, inputs, undefined, { into });
    for (const [name, { data, dim }] of results) if (!into.has(name)) data.set(outputs.get(name)!.data.subarray(0, rows * dim), start * dim);
  }
  return results;
}

/** Which windows count as having data for the written embeddings: events (ehr), notes (text), either (multimodal). */
export function embedWindowHasData(windows: Windows, modality: Modality): (w: number) => boolean {
  const events = (w: number): boolean => windows.eventEnd[w] > windows.eventStart[w];
  const notes = (w: number): boolean => windows.noteEnd[w] > windows.noteStart[w];
  return modality === 'ehr' ? events : modality === 'text' ? notes : (w) => events(w) || notes(w);
}

/**
 * For each subject in `subjects`: its last window with data (`hasData`), or -1 when it has none
 * (it is then embedded from its static events alone).
 */
export function lastWindowsWithData(windows: Windows, subjects: Int32Array, hasData: (w: number) => boolean): Int32Array {
  return subjects.map((s) => {
    for (let w = windows.subjectOffset[s + 1] - 1; w >= windows.subjectOffset[s]; w--) if (hasData(w)) return w;
    return -1;
  });
}
