import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../../../compiler/backends/onnx/onnx-model.ts';
import { bindingRuntime } from '../../../../runtime/executors/onnx/binding-session.ts';
import { webgpuUnavailable } from './open-webgpu.ts';
import { lowerStage } from '../../../../compiler/backends/onnx/compile-stage.ts';
import { planStages } from '../../../../compiler/backends/onnx/stages.ts';
import { buildTrainProgram } from '../../../../runtime/model/train-program.ts';
import { objectiveOf, TINY } from '../../model/helpers.ts';

/**
 * ONNX ops that ORT 1.30's WebGPU provider has no kernel for, found in its node placement log
 * (session log level verbose: "Node(s) placed on [CPUExecutionProvider]") and, for EyeLike, by
 * the executor's own report on random programs: a graph with one runs that node on the CPU, with
 * a copy each way. dflc's lowering avoids them. The executor finds such nodes at run time from
 * ORT's profile (node-placement.ts): checked below on a graph made by hand, as dflc emits none.
 */
const NOT_ON_WEBGPU = ['IsNaN', 'Sign', 'EyeLike'];

const OBJECTIVES = [
  'balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)',
  'barlow(Z_t, Z_t+1)',
  '25*invariance(Z_t, Z_t+1) + 25*(variance(Z_t) + variance(Z_t+1)) + covariance(Z_t) + covariance(Z_t+1)',
];

describe('the training step graphs', () => {
  it.each(['ehr', 'text', 'multimodal'] as const)('of %s use no op that the WebGPU provider runs on the CPU', (modality) => {
    for (const source of OBJECTIVES) {
      const train = buildTrainProgram(objectiveOf(source), { ...TINY[modality], dim: 4, hidden: 6, batch: 8 });
      const ops = planStages(train.program).stages.flatMap((stage, i) => lowerStage(stage, `s${i}`).graph.nodes.map((node) => node.op));
      expect(ops.length).toBeGreaterThan(0);
      expect(ops.filter((op) => NOT_ON_WEBGPU.includes(op)), source).toEqual([]);
    }
  });
});

const unavailable = await webgpuUnavailable();

describe.skipIf(unavailable !== undefined)(`a graph node the WebGPU provider lacks${unavailable === undefined ? '' : ` (${unavailable})`}`, () => {
  it.each(['IsNaN', 'Sign'])('%s runs on the CPU and is named after the first run, with the dflc op its name carries; the int64 shape arithmetic is not', async (op) => {
    // y = Reshape(Cast(op(x)) * x, [n]): the shape is computed from the size input as dflc's
    // graphs compute it (graph-emitter.ts), an int64 Concat that ORT keeps on the CPU on purpose.
    const model = encodeModel({
      name: 'lacks',
      nodes: [
        { op, inputs: ['x'], outputs: ['s'], from: 'made_by_hand#1' },
        { op: 'Cast', inputs: ['s'], outputs: ['c'], attrs: { to: { int: 1 } } },
        { op: 'Mul', inputs: ['c', 'x'], outputs: ['m'], from: 'mul#2' },
        { op: 'Concat', inputs: ['dim:n'], outputs: ['shape'], attrs: { axis: { int: 0 } } },
        { op: 'Reshape', inputs: ['m', 'shape'], outputs: ['y'], from: 'reshape#3' },
      ],
      inputs: [
        { name: 'x', type: 'float', shape: ['n'] },
        { name: 'dim:n', type: 'int64', shape: [1] },
      ],
      outputs: [{ name: 'y', type: 'float', shape: ['n'] }],
      initializers: [],
    });
    const runtime = bindingRuntime(await import('onnxruntime-node'), 'webgpu');
    const session = await runtime.createSession(model, {});
    try {
      expect(session.cpuNodes?.()).toBeUndefined();
      const y = { name: 'y', data: new Float32Array(3), dims: [3] };
      await session.run([{ name: 'x', data: Float32Array.of(-2, Number.NaN, 3), dims: [3] }, { name: 'dim:n', data: BigInt64Array.of(3n), dims: [1] }], [y]);
      expect(y.data.length).toBe(3);
      expect(session.cpuNodes?.()).toEqual([{ name: 'n0_' + op + ':made_by_hand#1', op, from: 'made_by_hand#1' }]);
    } finally {
      session.release();
    }
  });
});
