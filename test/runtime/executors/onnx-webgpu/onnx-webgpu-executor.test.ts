import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { describeLoopLaws } from '../loop-laws.ts';
import { describeIntoLaws } from '../into-laws.ts';
import { MOMENTUM_CARRY, momentumInitial, momentumProgram, momentumStep } from '../loop-program.ts';
import { buildTrainProgram } from '../../../../runtime/model/train-program.ts';
import { stateNames } from '../../../../runtime/train/loop/train-loop.ts';
import type { Float32Tensor } from '../../../../runtime/executors/executor.ts';
import { toFloat32 } from '../helpers.ts';
import { CARD, objectiveOf, stepInputs, TINY } from '../../model/helpers.ts';
import { openWebgpu, webgpuUnavailable } from './open-webgpu.ts';

/** The onnx-webgpu executor's own behaviour: a loop's laws, and what crosses between host and GPU. */

const unavailable = await webgpuUnavailable();

if (unavailable !== undefined) {
  describe.skip(`onnx-webgpu executor: ${unavailable}`, () => it('needs a WebGPU adapter', () => {}));
} else {
  let executor: OnnxExecutor;
  beforeAll(async () => {
    executor = (await openWebgpu()) as OnnxExecutor;
  });
  afterAll(() => executor?.dispose());

  describeLoopLaws('the onnx-webgpu loop', () => executor, () => (p, o) => executor.loop(p, o));
  describeIntoLaws('onnx-webgpu', () => executor);

  describe('onnx-webgpu transfers', () => {
    it('per step, only the batch and the scalars cross: the state stays on the GPU', async () => {
      expect(executor.backend).toBe('onnx-webgpu');
      const loop = await executor.loop(momentumProgram(), { carry: MOMENTUM_CARRY, initial: momentumInitial() });
      const stateBytes = [...momentumInitial().values()].reduce((sum, t) => sum + t.data.byteLength, 0);
      const crossed: { toDevice: number; toHost: number; batch: number }[] = [];
      for (let k = 1; k <= 4; k++) {
        const before = executor.transfers;
        const inputs = momentumStep(k);
        await loop.step(inputs, ['loss']);
        const after = executor.transfers;
        const batch = [...inputs.values()].reduce((sum, t) => sum + t.data.byteLength, 0);
        crossed.push({ toDevice: after.toDevice - before.toDevice, toHost: after.toHost - before.toHost, batch });
      }
      // Step 1 uploads the initial state (W and M, 48 bytes) besides the batch; from then on only
      // the batch (X, lr) goes in and the loss (4 bytes) comes out.
      expect(crossed[0]).toEqual({ toDevice: crossed[0].batch + stateBytes, toHost: 4, batch: crossed[0].batch });
      for (const step of crossed.slice(1)) expect(step).toEqual({ toDevice: step.batch, toHost: 4, batch: step.batch });
      // Reading the state downloads it, once.
      const before = executor.transfers.toHost;
      await loop.state();
      expect(executor.transfers.toHost - before).toBe(stateBytes);
      loop.dispose();
    });

    const bytes = (arrays: Iterable<Float32Tensor>) => [...arrays].reduce((sum, t) => sum + t.data.byteLength, 0);
    it.each(['ehr', 'text', 'multimodal'] as const)('a %s training step moves the batch, the scalars read and the eigendecomposition, never the state', async (modality) => {
      const dim = 4;
      const config = { ...TINY[modality], dim, hidden: 6, batch: 8 };
      const train = buildTrainProgram(objectiveOf(CARD), config);
      const names = stateNames(train);
      const all = toFloat32(stepInputs(config, train.params, train.slots, 3));
      const batch = new Map([...all].filter(([name]) => !names.includes(name)));
      const loop = await executor.loop(train.program, { carry: new Map(names.map((n) => [n, n])), initial: new Map(names.map((n) => [n, all.get(n)!])) });
      const read = train.program.outputs.map((o) => o.name).filter((n) => n === 'loss' || n.startsWith('term:') || n.startsWith('grad_sq:'));
      await loop.step(batch, read);
      for (let k = 0; k < 2; k++) {
        const before = executor.transfers;
        await loop.step(batch, read);
        const after = executor.transfers;
        // The card's spectrum is of one dim x dim matrix, decomposed on the host: the matrix comes
        // to the host (once: the copy that the gradient's stage reads stays on the GPU), and its
        // eigenvalues and eigenvectors go to the GPU. Everything else that crosses is the batch
        // and the scalars.
        const matrix = 4 * dim * dim;
        const eigen = 4 * (dim + dim * dim);
        expect(after.toDevice - before.toDevice).toBe(bytes(batch.values()) + eigen);
        expect(after.toHost - before.toHost).toBe(4 * read.length + matrix);
      }
      // Every node of the step's graphs ran on the GPU (ORT's profile of each graph's first run).
      expect(executor.cpuNodes).toEqual([]);
      loop.dispose();
    });
  });
}
