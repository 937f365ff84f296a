import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createExecutor, type BackendChoice } from '../../../runtime/executors/create-executor.ts';
import { BackendUnavailableError } from '../../../runtime/executors/executor.ts';
import { hostEighSolver } from '../../../runtime/executors/host/host-eigh.ts';
import { float32EngineRoutine } from '../../../runtime/executors/host/lapack-eigh.ts';

/** An importer under which tfjs's native packages are absent, as on a machine without them. */
const absent = async (specifier: string): Promise<unknown> => {
  const error = new Error(`Cannot find package '${specifier}' imported from /home/user/dflc/compiler/backends/tfjs/load-backend.ts`);
  (error as Error & { code: string }).code = 'ERR_MODULE_NOT_FOUND';
  throw error;
};

describe('createExecutor', () => {
  it('auto takes ONNX Runtime when the native tfjs packages are absent, and says what it skipped', async () => {
    const { executor, description } = await createExecutor('auto', { importer: absent });
    expect(executor.backend).toBe('onnx');
    expect(description).toMatch(/^onnx \(onnxruntime [\d.]+ C API, CPU, threads: one per core\); eigh: (LAPACK ssyevd|JavaScript Householder).*; auto skipped /);
    expect(description).toContain('auto skipped tensorflow-gpu (needs the package @tensorflow/tfjs-node-gpu, which is not installed), onnx-webgpu (');
    expect(description).toContain('), tensorflow (needs the package @tensorflow/tfjs-node, which is not installed)');
    executor.dispose();
  });

  it('gives the backend asked for, with its threads, and describes it', async () => {
    const onnx = await createExecutor('onnx', { threads: 1 });
    expect(onnx.description).toMatch(/^onnx \(onnxruntime [\d.]+ C API, CPU, 1 thread\); eigh: /);
    onnx.executor.dispose();
    const wasm = await createExecutor('wasm');
    expect(wasm.description).toBe(`tfjs wasm (SIMD, 1 thread); eigh: ${hostEighSolver(float32EngineRoutine())}`);
    expect(tf.getBackend()).toBe('wasm');
    wasm.executor.dispose();
  });

  it('reaches ONNX Runtime the way asked for, by option or by DFLC_ONNX_WAY, and refuses an unknown way', async () => {
    const byOption = await createExecutor('onnx', { threads: 1, onnxWay: 'binding' });
    expect(byOption.description).toMatch(/^onnx \(onnxruntime-node [\d.]+, CPU, 1 thread\); eigh: /);
    byOption.executor.dispose();
    const before = process.env.DFLC_ONNX_WAY;
    try {
      process.env.DFLC_ONNX_WAY = 'binding';
      const byEnvironment = await createExecutor('onnx', { threads: 1 });
      expect(byEnvironment.description).toMatch(/^onnx \(onnxruntime-node /);
      byEnvironment.executor.dispose();
      process.env.DFLC_ONNX_WAY = 'napi';
      await expect(createExecutor('onnx')).rejects.toThrow("DFLC_ONNX_WAY must be one of c-api, binding, not 'napi'");
    } finally {
      if (before === undefined) delete process.env.DFLC_ONNX_WAY;
      else process.env.DFLC_ONNX_WAY = before;
    }
  });

  it('names every choice for an unknown backend, and the install hint for an absent one', async () => {
    await expect(createExecutor('webgl' as BackendChoice)).rejects.toThrow("unknown backend 'webgl'; choose one of auto, tensorflow-gpu, onnx-webgpu, tensorflow, onnx, wasm, cpu");
    await expect(createExecutor('tensorflow', { importer: absent })).rejects.toThrow(BackendUnavailableError);
    await expect(createExecutor('tensorflow', { importer: absent })).rejects.toThrow('npm install @tensorflow/tfjs-node`');
  });
});
