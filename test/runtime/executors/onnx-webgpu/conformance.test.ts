import { describe, it } from 'vitest';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { conformanceSuite } from '../conformance-suite.ts';
import { webgpuUnavailable } from './open-webgpu.ts';

// cpuFallback 'refuse' here and in the other suites of this folder: a graph node that ORT would
// run on the CPU instead of the GPU fails the test, so these programs show that every op dflc
// emits for them runs on the GPU.
const unavailable = await webgpuUnavailable();
if (unavailable === undefined) conformanceSuite('onnx-webgpu', () => OnnxExecutor.create({ provider: 'webgpu', cpuFallback: 'refuse' }));
else describe.skip(`onnx-webgpu conformance: ${unavailable}`, () => it('needs a WebGPU adapter', () => {}));
