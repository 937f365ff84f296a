import { describe, it } from 'vitest';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { randomObjectivesSuite } from '../random-objectives-suite.ts';
import { webgpuUnavailable } from './open-webgpu.ts';

const unavailable = await webgpuUnavailable();
if (unavailable === undefined) randomObjectivesSuite('onnx-webgpu', () => OnnxExecutor.create({ provider: 'webgpu', cpuFallback: 'refuse' }));
else describe.skip(`random objectives on onnx-webgpu: ${unavailable}`, () => it('needs a WebGPU adapter', () => {}));
