import { describe, it } from 'vitest';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { conformanceSuite } from '../conformance-suite.ts';
import { webgpuUnavailable } from './open-webgpu.ts';

const unavailable = await webgpuUnavailable();
if (unavailable === undefined) conformanceSuite('onnx-webgpu', () => OnnxExecutor.create({ provider: 'webgpu' }));
else describe.skip(`onnx-webgpu conformance: ${unavailable}`, () => it('needs a WebGPU adapter', () => {}));
