import { describe, it } from 'vitest';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { eighObjectivesSuite } from '../eigh-objectives-suite.ts';
import { webgpuUnavailable } from './open-webgpu.ts';

// The host eigendecomposition between GPU graphs: its matrix comes down from the GPU (and stays
// there for the gradient's graph), its eigenvectors go up.
const unavailable = await webgpuUnavailable();
if (unavailable === undefined) eighObjectivesSuite(/./, 'onnx-webgpu', () => OnnxExecutor.create({ provider: 'webgpu', cpuFallback: 'refuse' }));
else describe.skip(`spectral objectives on onnx-webgpu: ${unavailable}`, () => it('needs a WebGPU adapter', () => {}));
