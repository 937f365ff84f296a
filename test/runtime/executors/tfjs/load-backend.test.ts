import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../../../runtime/executors/executor.ts';
import { loadTfjsBackend, type TfjsBackend } from '../../../../runtime/executors/tfjs/load-backend.ts';
import { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

async function failure(choice: TfjsBackend, importer?: (s: string) => Promise<unknown>): Promise<BackendUnavailableError> {
  try {
    await loadTfjsBackend(choice, importer);
  } catch (error) {
    expect(error).toBeInstanceOf(BackendUnavailableError);
    return error as BackendUnavailableError;
  }
  throw new Error(`--backend ${choice} loaded`);
}

describe('loading tfjs backends', () => {
  it.skipIf(installed('@tensorflow/tfjs-node'))('--backend tensorflow without @tensorflow/tfjs-node says how to install it', async () => {
    const error = await failure('tensorflow'); // the real dynamic import
    expect(error.backend).toBe('tensorflow');
    expect(error.message).toContain('not installed');
    expect(error.message).toContain('npm install @tensorflow/tfjs-node`');
    expect(error.message).toContain('--backend wasm');
  });

  it.skipIf(installed('@tensorflow/tfjs-node-gpu'))('--backend tensorflow-gpu without the package names CUDA and suggests wasm', async () => {
    const error = await failure('tensorflow-gpu');
    expect(error.message).toContain('npm install @tensorflow/tfjs-node-gpu');
    expect(error.message).toMatch(/CUDA/);
    expect(error.message).toContain('--backend wasm');
  });

  it('tells an installed native package that fails to load apart from a missing one', async () => {
    const error = await failure('tensorflow', async () => {
      throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');
    });
    expect(error.message).toContain('installed but failed to load');
    expect(error.message).toContain('libtensorflow.so.2');
    expect(error.message).toContain('--backend wasm');
  });

  it('refuses a native package that registers no backend with this tfjs-core', async () => {
    const error = await failure('tensorflow', async () => ({}));
    expect(error.message).toMatch(/not registered with this copy of @tensorflow\/tfjs-core/);
  });

  it('wasm runs with SIMD, on one thread under Node', async () => {
    const loaded = await loadTfjsBackend('wasm');
    expect(loaded.description).toBe('wasm (SIMD, 1 thread)');
    expect(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')).toBe(true);
  });

  it('cpu loads, and executors switch the active backend back to theirs', async () => {
    const wasm = await TfjsExecutor.create('wasm');
    const cpu = await TfjsExecutor.create('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(cpu.loaded.description).toBe('cpu (pure JavaScript)');
    const program = { inputs: [], outputs: [] };
    await wasm.run(program, new Map());
    expect(tf.getBackend()).toBe('wasm');
    await cpu.run(program, new Map());
    expect(tf.getBackend()).toBe('cpu');
    expect(wasm.backend).toBe('wasm');
  });

  it('rejects an unknown backend name', async () => {
    const error = await failure('webgl' as TfjsBackend);
    expect(error.message).toContain("unknown tfjs backend 'webgl'; choose one of tensorflow-gpu, tensorflow, wasm, cpu");
  });
});
