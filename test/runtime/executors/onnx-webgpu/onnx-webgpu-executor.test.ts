import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { describeLoopLaws } from '../loop-laws.ts';
import { MOMENTUM_CARRY, momentumInitial, momentumProgram, momentumStep } from '../loop-program.ts';
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
  });
}
