import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingKernels } from '../../../runtime/executors/tfjs/kernel-check.ts';
import type { Executor } from '../../../runtime/executors/executor.ts';
import { buildEmbedProgram } from '../../../runtime/model/embed-program.ts';
import { dataInputName } from '../../../runtime/model/slot-embedding.ts';
import { buildTrainProgram } from '../../../runtime/model/train-program.ts';
import { EXECUTOR_BACKENDS, loadAllExecutors, reference, relativeError, roundToFloat32, toFloat32, TOLERANCE } from '../executors/helpers.ts';
import { CARD, objectiveOf, stepInputs, TINY } from './helpers.ts';
import { openWebgpu } from '../executors/onnx-webgpu/open-webgpu.ts';

/**
 * The compiled training step runs on the TensorFlow.js executor (float32) on the backends at hand,
 * on ONNX Runtime, and on ONNX Runtime's WebGPU provider where an adapter is present, and agrees
 * with the float64 reference on the same float32 inputs: every output, within 2e-3.
 */

const card = objectiveOf(CARD);

/** ‖a - b‖ / max(‖b‖, floor). */
function errorAgainst(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return floor === 0 ? relativeError(a, b) : Math.sqrt(diff) / Math.max(Math.sqrt(norm), floor);
}
const MODALITIES = ['ehr', 'text', 'multimodal'] as const;

const webgpu = await openWebgpu();
if (typeof webgpu === 'string') describe.skip(`the training step on onnx-webgpu: ${webgpu}`, () => it('needs a WebGPU adapter', () => {}));
else webgpu.dispose();
const BACKENDS = typeof webgpu === 'string' ? EXECUTOR_BACKENDS : [...EXECUTOR_BACKENDS, 'onnx-webgpu' as const];

let executors: Map<string, Executor>;
beforeAll(async () => {
  executors = await loadAllExecutors();
  if (typeof webgpu !== 'string') executors.set('onnx-webgpu', (await openWebgpu()) as Executor);
});
afterAll(() => executors?.forEach((e) => e.dispose()));

describe.each(BACKENDS)('the training step on %s', (backend) => {
  it.each(MODALITIES)('%s: every output matches the reference', async (modality) => {
    const config = { ...TINY[modality], dim: 4, hidden: 6, batch: 8 };
    const train = buildTrainProgram(card, config, { gradients: true });
    if (backend !== 'onnx' && backend !== 'onnx-webgpu') expect(missingKernels(train.program, backend)).toEqual([]);
    const inputs = roundToFloat32(stepInputs(config, train.params, train.slots, 21, { step: 2, randomState: true }));
    const want = reference(train.program, inputs);
    const got = await executors.get(backend)!.run(train.program, toFloat32(inputs));
    expect([...got.keys()]).toEqual([...want.keys()]);
    // Gradients are judged against the size of the whole gradient: the card objective is
    // invariant to translating the embedding, so the output bias's gradient is exactly 0 and
    // both sides hold only rounding noise there (1e-17 against 1e-9).
    // So is each grad_sq, against the whole gradient's squared norm.
    let norm2 = 0;
    for (const [name, w] of want) if (name.startsWith('grad:')) for (const x of w.data) norm2 += x * x;
    for (const [name, w] of want) {
      expect(got.get(name)!.shape, name).toEqual(w.shape);
      const floor = name.startsWith('grad:') ? Math.sqrt(norm2) : name.startsWith('grad_sq:') ? norm2 : 0;
      expect(errorAgainst(got.get(name)!.data, w.data, floor), name).toBeLessThan(TOLERANCE);
    }
  });

  it('runs a step whose event list is empty at one slot, and the embedding program', async () => {
    const config = { ...TINY.ehr, dim: 4, hidden: 6, batch: 8 };
    const train = buildTrainProgram(card, config);
    // Adam state away from zero: with m = v = 0, Adam normalises the output bias's zero gradient,
    // rounding noise, into a step of about lr/10 whose sign float32 and float64 need not share.
    const inputs = roundToFloat32(stepInputs(config, train.params, train.slots, 4, { randomState: true }));
    for (const field of ['code_ids', 'code_weights', 'code_rows'] as const) inputs.set(dataInputName(1, field), { shape: [0], data: new Float64Array(0) });
    const want = reference(train.program, inputs);
    const got = await executors.get(backend)!.run(train.program, toFloat32(inputs));
    // grad_sq of the output bias is rounding noise on both sides (see above): judged against the total.
    const total = [...want].reduce((sum, [name, w]) => sum + (name.startsWith('grad_sq:') ? w.data[0] : 0), 0);
    for (const [name, w] of want) {
      const error = name.startsWith('grad_sq:') ? errorAgainst(got.get(name)!.data, w.data, total) : relativeError(got.get(name)!.data, w.data);
      expect(error, name).toBeLessThan(TOLERANCE);
    }

    const embed = buildEmbedProgram(config);
    const embedInputs = new Map([...inputs].filter(([name]) => embed.inputs.some((i) => i.name === name)));
    const z = (await executors.get(backend)!.run(embed, toFloat32(embedInputs))).get('embed:Z')!;
    expect(relativeError(z.data, want.get('embed:Z_t')!.data)).toBeLessThan(TOLERANCE);
  });
});
