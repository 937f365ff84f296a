import { describe, it } from 'vitest';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { randomProgramsSuite } from '../random-programs-suite.ts';
import { webgpuUnavailable } from './open-webgpu.ts';

// Not with cpuFallback 'refuse' as the other suites of this folder: ORT's transpose optimizer
// can move a Transpose onto a boolean mask (a comparison's result), and the WebGPU provider has no
// boolean Transpose, so such a program runs that node on the CPU, with a warning naming it.
const unavailable = await webgpuUnavailable();
if (unavailable === undefined) randomProgramsSuite('onnx-webgpu', () => OnnxExecutor.create({ provider: 'webgpu' }));
else describe.skip(`random programs on onnx-webgpu: ${unavailable}`, () => it('needs a WebGPU adapter', () => {}));
