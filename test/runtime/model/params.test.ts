import { describe, expect, it } from 'vitest';
import { initParams, ModelConfigError, paramSpecs } from '../../../runtime/model/params.ts';
import type { ModelConfig } from '../../../runtime/model/train-spec.ts';

const CONFIG: ModelConfig = { modality: 'multimodal', dim: 8, hidden: 16, codeRows: 50, labFeatures: 5, textRows: 200, batch: 32 };

describe('paramSpecs', () => {
  it('lists each modality parameters with their shapes and initialisers', () => {
    const describe = (modality: ModelConfig['modality']) => paramSpecs({ ...CONFIG, modality }).map((s) => `${s.name}[${s.shape.join(',')}]:${s.init}`);
    expect(describe('ehr')).toEqual([
      'ehr.codes[50,16]:embedding',
      'ehr.labs[5,16]:glorot',
      'ehr.w1[16,16]:glorot',
      'ehr.b1[16]:zeros',
      'ehr.w2[16,8]:glorot',
      'ehr.b2[8]:zeros',
    ]);
    expect(describe('text')).toEqual(['text.tokens[200,16]:embedding', 'text.w1[16,16]:glorot', 'text.b1[16]:zeros', 'text.w2[16,8]:glorot', 'text.b2[8]:zeros']);
    expect(describe('multimodal')).toEqual([
      ...describe('ehr'),
      ...describe('text'),
      'fusion.w_ehr[8,16]:glorot',
      'fusion.w_text[8,16]:glorot',
      'fusion.b1[16]:zeros',
      'fusion.w2[16,8]:glorot',
      'fusion.b2[8]:zeros',
    ]);
  });

  it('refuses sizes that are not positive integers, only among those the modality uses', () => {
    expect(() => paramSpecs({ ...CONFIG, modality: 'ehr', labFeatures: 0 })).toThrow(ModelConfigError);
    expect(() => paramSpecs({ ...CONFIG, modality: 'ehr', labFeatures: 0 })).toThrow('model config: labFeatures must be a positive integer, got 0');
    expect(() => paramSpecs({ ...CONFIG, hidden: 2.5 })).toThrow('hidden must be a positive integer, got 2.5');
    expect(() => paramSpecs({ ...CONFIG, modality: 'text', labFeatures: 0, codeRows: 0 })).not.toThrow();
  });
});

describe('initParams', () => {
  const specs = paramSpecs(CONFIG);

  it('is a pure function of the seed, and each parameter has its own stream', () => {
    const a = initParams(specs, 7);
    const b = initParams(specs, 7);
    const c = initParams(specs, 8);
    for (const spec of specs) expect(b.get(spec.name)).toEqual(a.get(spec.name));
    expect(c.get('ehr.w1')).not.toEqual(a.get('ehr.w1'));
    // Dropping the other parameters changes nothing for this one.
    expect(initParams([specs[2]], 7).get('ehr.w1')).toEqual(a.get('ehr.w1'));
  });

  it('draws Glorot uniform weights, zero biases and N(0, 0.1²) embeddings, as Float32Arrays', () => {
    const values = initParams(specs, 3);
    for (const spec of specs) {
      const data = values.get(spec.name)!;
      expect(data).toBeInstanceOf(Float32Array);
      expect(data.length).toBe(spec.shape.reduce((x, y) => x * y, 1));
    }
    const w1 = values.get('ehr.w1')!;
    const limit = Math.sqrt(6 / (16 + 16));
    expect(Math.max(...w1.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...w1.map(Math.abs))).toBeGreaterThan(0.8 * limit);
    expect(Array.from(values.get('fusion.b1')!)).toEqual(new Array(16).fill(0));
    const tokens = Array.from(values.get('text.tokens')!);
    const mean = tokens.reduce((s, x) => s + x, 0) / tokens.length;
    const std = Math.sqrt(tokens.reduce((s, x) => s + (x - mean) ** 2, 0) / tokens.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.095);
    expect(std).toBeLessThan(0.105);
  });
});
