import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportOnnx, OnnxExportError } from '../../../../compiler/backends/onnx/export-model.ts';
import { evaluate, inferSizes } from '../../../../compiler/backends/reference/evaluate.ts';
import { tensor64 } from '../../../../compiler/ir/tensor.ts';
import { compileValueAndGrad } from '../../../../compiler/pipeline.ts';
import { FLOAT32_EPSILON } from '../../../../compiler/surface/guards.ts';
import { checkObjective } from '../../../../runtime/objective.ts';
import { normals } from '../../../helpers/linalg64.ts';
import { relativeError } from '../../../helpers/relative-error.ts';

function compiled(source: string) {
  const checked = checkObjective('objective.dfl', source, FLOAT32_EPSILON);
  if (checked.program === undefined) throw new Error(checked.diagnostics.map((d) => d.message).join('; '));
  return compileValueAndGrad(checked.program).program;
}

describe('exportOnnx', () => {
  it('writes a model that ONNX Runtime runs on its own, by the names as written, at any batch size', async () => {
    const program = compiled('ortho(Z_t) + consistent(Z_t, Z_t+1) + 0.1*variance(Z_t+1)');
    const session = await ort.InferenceSession.create(exportOnnx(program, 'test'), { logSeverityLevel: 3 });
    expect([...session.inputNames].sort()).toEqual(['Z_t', 'Z_t+1']);
    expect([...session.outputNames].sort()).toEqual(['grad:Z_t', 'grad:Z_t+1', 'value']);
    for (const [n, d] of [
      [9, 4],
      [5, 7],
    ]) {
      const next = normals(n * 100 + d);
      const inputs = new Map(['Z_t', 'Z_t+1'].map((name) => [name, tensor64([n, d], Float32Array.from({ length: n * d }, () => next()))]));
      const want = evaluate(program, inputs, inferSizes(program, inputs));
      const feeds = Object.fromEntries([...inputs].map(([name, t]) => [name, new ort.Tensor('float32', Float32Array.from(t.data), [n, d])]));
      const got = await session.run(feeds);
      for (const [name, w] of want) {
        expect(got[name].dims, name).toEqual(w.shape);
        expect(relativeError(got[name].data as Float32Array, w.data), `${name} at n=${n}, d=${d}`).toBeLessThan(2e-3);
      }
    }
  });

  it('refuses a program with an eigendecomposition, saying why', () => {
    expect(() => exportOnnx(compiled('balance(spectrum(Z))'))).toThrow(OnnxExportError);
    expect(() => exportOnnx(compiled('balance(spectrum(Z))'))).toThrow('1 symmetric eigendecomposition (eigh), for which ONNX has no operator');
  });
});
