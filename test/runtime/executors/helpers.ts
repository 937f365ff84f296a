import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { EXECUTOR_KERNELS, missingKernels } from '../../../runtime/executors/tfjs/kernel-check.ts';
import { ensureActive } from '../../../runtime/executors/tfjs/load-backend.ts';
import { runProgramTf } from '../../../runtime/executors/tfjs/run-program.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import type { Executor, Float32Tensor } from '../../../runtime/executors/executor.ts';
import { OnnxExecutor } from '../../../runtime/executors/onnx/onnx-executor.ts';
import { TfjsExecutor } from '../../../runtime/executors/tfjs/tfjs-executor.ts';
import { evaluate, evaluateNodes, inferSizes } from '../../../compiler/backends/reference/evaluate.ts';
import { isTuple } from '../../../compiler/ir/tensor.ts';

/** The tfjs backends tests run on (the native ones cannot be installed here). */
export const TEST_BACKENDS = ['wasm', 'cpu'] as const;

/** Every float32 executor the conformance tests run on: tfjs's backends and ONNX Runtime (CPU). */
export const EXECUTOR_BACKENDS = [...TEST_BACKENDS, 'onnx'] as const;

import { relativeError } from '../../helpers/relative-error.ts';

export { relativeError };

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

export { seededUniform as seeded } from '../../helpers/finite-diff.ts';

/**
 * An output computed in float32 is only as accurate as the largest number the program rounds on the
 * way: an output that cancels to about 0 (the smallest eigenvalue of a rank-deficient ZᵀZ) cannot
 * have a small RELATIVE error. So the norm-wise relative error divides by
 * max(||want||, CANCELLATION_FLOOR * scale), scale being the largest magnitude among all the
 * program's values in float64; with the 2e-3 tolerance, that allows an absolute error of about 30
 * float32 ulps of the largest intermediate, and changes nothing for outputs that do not cancel.
 */
export const CANCELLATION_FLOOR = 1e-3;

/** The largest magnitude among all values the program computes in float64, and its outputs. */
export function referenceWithScale(program: Program, inputs: ReadonlyMap<string, Tensor64>, sizes: ReadonlyMap<string, number>) {
  const nodes = evaluateNodes(program, inputs, sizes);
  let scale = 0;
  for (const v of nodes.values()) for (const t of isTuple(v) ? v : [v]) for (const x of t.data) scale = Math.max(scale, Math.abs(x));
  const outputs = new Map(program.outputs.map(({ name, node }) => [name, nodes.get(node.id) as Tensor64]));
  return { outputs, scale };
}

/** relativeError with the cancellation floor above. */
export function float32Error(got: ArrayLike<number>, want: ArrayLike<number>, scale: number): number {
  const norm = Math.hypot(...Array.from(want));
  return (relativeError(got, want) * Math.max(norm, 1e-30)) / Math.max(norm, CANCELLATION_FLOOR * scale, 1e-30);
}

export async function loadExecutors(): Promise<Map<string, TfjsExecutor>> {
  const executors = new Map<string, TfjsExecutor>();
  for (const backend of TEST_BACKENDS) executors.set(backend, await TfjsExecutor.create(backend));
  return executors;
}

export async function loadAllExecutors(): Promise<Map<string, Executor>> {
  const executors = new Map<string, Executor>(await loadExecutors());
  executors.set('onnx', await OnnxExecutor.create());
  return executors;
}

/**
 * Runs `program` on the tfjs `backend` under tf.profile and returns the kernels it ran that are
 * neither the executor's own nor in `declared`, having checked that the backend has every kernel
 * the program's lowerings declare and that the run leaks no tensor.
 */
export async function undeclaredKernels(program: Program, inputs: ReadonlyMap<string, Tensor64>, backend: string, declared: readonly string[]): Promise<string[]> {
  expect(missingKernels(program, backend)).toEqual([]);
  await ensureActive(backend);
  const allowed = new Set<string>([...EXECUTOR_KERNELS, ...declared]);
  const tensors = new Map([...toFloat32(inputs)].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape], 'float32')]));
  const before = tf.memory().numTensors;
  const info = await tf.profile(() => tf.dispose([...runProgramTf(program, tensors).values()]));
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([...tensors.values()]);
  return info.kernelNames.filter((k) => !allowed.has(k));
}
