import { describe, it } from 'vitest';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { randomProgramsSuite } from '../random-programs-suite.ts';
import { webgpuUnavailable } from './open-webgpu.ts';

const unavailable = await webgpuUnavailable();
if (unavailable === undefined) randomProgramsSuite('onnx-webgpu', () => OnnxExecutor.create({ provider: 'webgpu' }));
else describe.skip(`random programs on onnx-webgpu: ${unavailable}`, () => it('needs a WebGPU adapter', () => {}));
