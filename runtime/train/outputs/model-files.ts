import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Float32Tensor } from '../../executors/executor.ts';
import type { ModelConfig, ParamSpec } from '../../model/train-spec.ts';
import { atomicWrite } from '../../io/atomic-write.ts';

/**
 * The trained encoder, in TensorFlow.js's weights-manifest format so that `tf.io.decodeWeights`
 * (and Python's tensorflowjs converter tooling) read the weights:
 * ```
 * RUN/model/model.json       {"format": "dflc-encoder", "modelTopology": {...}, "weightsManifest": [...]}
 * RUN/model/weights.bin      every parameter, float32 little-endian, in manifest order
 * RUN/model/featurizer.json  how windows of data become encoder inputs (features/featurizer.ts)
 * ```
 * `modelTopology` is not a Keras graph: it describes the dflc encoder (modality and sizes), which
 * `buildEmbedProgram(modelTopology.config)` rebuilds.
 */
export interface ModelJson {
  readonly format: 'dflc-encoder';
  readonly generatedBy: string;
  readonly modelTopology: {
    readonly encoder: 'dflc';
    readonly config: ModelConfig;
    readonly featurizer: string;
    readonly outputs: readonly string[];
  };
  readonly weightsManifest: readonly {
    readonly paths: readonly string[];
    readonly weights: readonly { readonly name: string; readonly shape: readonly number[]; readonly dtype: 'float32' }[];
  }[];
}

export const MODEL_DIR = 'model';
export const FEATURIZER_FILE = 'featurizer.json';

/** Writes model.json and weights.bin (each atomically; the manifest last). */
export async function writeModel(
  runDir: string,
  config: ModelConfig,
  specs: readonly ParamSpec[],
  params: ReadonlyMap<string, Float32Tensor>,
  generatedBy: string,
  outputs: readonly string[],
): Promise<void> {
  const dir = join(runDir, MODEL_DIR);
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  for (const spec of specs) bytes += params.get(`param:${spec.name}`)!.data.byteLength;
  const weights = new Uint8Array(bytes);
  let offset = 0;
  for (const spec of specs) {
    const data = params.get(`param:${spec.name}`)!.data;
    weights.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    offset += data.byteLength;
  }
  const manifest: ModelJson = {
    format: 'dflc-encoder',
    generatedBy,
    modelTopology: { encoder: 'dflc', config, featurizer: FEATURIZER_FILE, outputs },
    weightsManifest: [{ paths: ['weights.bin'], weights: specs.map((s) => ({ name: s.name, shape: [...s.shape], dtype: 'float32' as const })) }],
  };
  await atomicWrite(join(dir, 'weights.bin'), weights);
  await atomicWrite(join(dir, 'model.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** Reads a model folder back: its config and `param:<name>` arrays. */
export async function readModel(modelDir: string): Promise<{ manifest: ModelJson; params: Map<string, Float32Tensor> }> {
  const manifest = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8')) as ModelJson;
  if (manifest.format !== 'dflc-encoder') throw new Error(`${join(modelDir, 'model.json')}: not a dflc encoder`);
  const params = new Map<string, Float32Tensor>();
  for (const group of manifest.weightsManifest) {
    const bytes = new Uint8Array(await readFile(join(modelDir, group.paths[0])));
    let offset = 0;
    for (const w of group.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(bytes.slice(offset, offset + size * 4).buffer);
      offset += size * 4;
      params.set(`param:${w.name}`, { shape: w.shape, data });
    }
  }
  return { manifest, params };
}
