import * as tf from '@tensorflow/tfjs-core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../../../runtime/model/train-spec.ts';
import { readModel, writeModel } from '../../../../runtime/train/outputs/model-files.ts';
import { withTempDir } from '../helpers.ts';
import '@tensorflow/tfjs-backend-cpu';

const CONFIG: ModelConfig = { modality: 'ehr', dim: 2, hidden: 3, codeRows: 4, labFeatures: 1, textRows: 8, batch: 2 };
const SPECS = [
  { name: 'ehr.codes', shape: [4, 3], init: 'embedding' as const },
  { name: 'ehr.b2', shape: [2], init: 'zeros' as const },
];
const PARAMS = new Map([
  ['param:ehr.codes', { shape: [4, 3], data: Float32Array.from({ length: 12 }, (_, i) => i / 7) }],
  ['param:ehr.b2', { shape: [2], data: Float32Array.of(-1.5, 2.25) }],
]);

describe('model files', () => {
  it('are in the TensorFlow.js weights-manifest format: tf.io.decodeWeights reads them', () =>
    withTempDir(async (run) => {
      await writeModel(run, CONFIG, SPECS, PARAMS, 'dflc test', ['embed:Z']);
      const manifest = JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8'));
      expect(manifest.format).toBe('dflc-encoder');
      expect(manifest.modelTopology.config).toEqual(CONFIG);
      const bytes = await readFile(join(run, 'model', manifest.weightsManifest[0].paths[0]));
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const tensors = tf.io.decodeWeights(buffer, manifest.weightsManifest[0].weights);
      expect(Object.keys(tensors)).toEqual(['ehr.codes', 'ehr.b2']);
      expect(tensors['ehr.codes'].shape).toEqual([4, 3]);
      expect(await tensors['ehr.codes'].data()).toEqual(PARAMS.get('param:ehr.codes')!.data);
      expect(await tensors['ehr.b2'].data()).toEqual(PARAMS.get('param:ehr.b2')!.data);
      tf.dispose(Object.values(tensors));
    }));

  it('read back with readModel', () =>
    withTempDir(async (run) => {
      await writeModel(run, CONFIG, SPECS, PARAMS, 'dflc test', ['embed:Z']);
      const { manifest, params } = await readModel(join(run, 'model'));
      expect(manifest.modelTopology.outputs).toEqual(['embed:Z']);
      expect(params).toEqual(PARAMS);
    }));
});
