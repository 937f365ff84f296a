import type { Program } from '../../../../compiler/ir/node.ts';
import { tensor64, type Tensor64 } from '../../../../compiler/ir/tensor.ts';
import type { Float32Tensor } from '../../../../compiler/backends/executor.ts';
import { TfjsExecutor } from '../../../../compiler/backends/tfjs/tfjs-executor.ts';
import { evaluate, inferSizes } from '../../../../compiler/backends/reference/evaluate.ts';

/** The two backends every conformance test runs on (the native ones cannot be installed here). */
export const TEST_BACKENDS = ['wasm', 'cpu'] as const;

export { relativeError } from '../../../helpers/relative-error.ts';

export const TOLERANCE = 2e-3;

/** Float64 arrays -> the float32 arrays an executor takes (values rounded to float32). */
export function toFloat32(inputs: ReadonlyMap<string, Tensor64>): Map<string, Float32Tensor> {
  return new Map([...inputs].map(([name, t]) => [name, { shape: [...t.shape], data: Float32Array.from(t.data) }]));
}

/** Rounds float64 arrays to float32 values, so that the reference sees exactly what tfjs sees. */
export function roundToFloat32(inputs: ReadonlyMap<string, Tensor64>): Map<string, Tensor64> {
  return new Map([...inputs].map(([name, t]) => [name, tensor64(t.shape, Float32Array.from(t.data))]));
}

export function reference(program: Program, inputs: ReadonlyMap<string, Tensor64>): Map<string, Tensor64> {
  return evaluate(program, inputs, inferSizes(program, inputs));
}

/** A deterministic generator (mulberry32), so that fixed tests do not depend on Math.random. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function loadExecutors(): Promise<Map<string, TfjsExecutor>> {
  const executors = new Map<string, TfjsExecutor>();
  for (const backend of TEST_BACKENDS) executors.set(backend, await TfjsExecutor.create(backend));
  return executors;
}
