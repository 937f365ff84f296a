import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../../../compiler/backends/onnx/onnx-model.ts';
import { bindingRuntime } from '../../../../runtime/executors/onnx/binding-session.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import type { Program } from '../../../../compiler/ir/node.ts';
import { BackendUnavailableError } from '../../../../runtime/executors/executor.ts';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
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
 * ORT's profile (node-placement.ts): checked below on a graph made by hand with them, and on a
 * dflc program where ORT's own optimizer makes a node the provider lacks.
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

/**
 * sum(abs(step(t(Z)))): ORT's transpose optimizer moves the Transpose onto the boolean NaN mask of
 * `step`'s lowering, and the WebGPU provider cannot transpose booleans, so ORT runs that node on
 * the CPU (found by the random programs). The executor warns of it, or refuses it.
 */
function boolTransposeProgram(): Program {
  const b = new IrBuilder();
  const z = b.make('input', [], { name: 'Z', shape: ['n', 'n'] });
  const value = b.make('sum', [b.make('abs', [b.make('step', [b.make('transpose', [z])])])]);
  return { inputs: [{ name: 'Z', shape: ['n', 'n'] }], outputs: [{ name: 'value', node: value }] };
}

describe.skipIf(unavailable !== undefined)(`a node of a dflc graph that ORT runs on the CPU${unavailable === undefined ? '' : ` (${unavailable})`}`, () => {
  const z = new Map([['Z', { shape: [3, 3], data: Float32Array.from({ length: 9 }, (_, i) => i - 4) }]]);
  const bool = /Transpose \(node Transpose\)/;

  it('is warned of once per graph, naming it, and the run goes on', async () => {
    const lines: string[] = [];
    const executor = await OnnxExecutor.create({ provider: 'webgpu', warn: (line) => lines.push(line) });
    try {
      const program = boolTransposeProgram();
      for (let k = 0; k < 2; k++) expect((await executor.run(program, z)).get('value')!.data[0]).toBe(4);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^warning: onnx-webgpu runs a node of stage 1 of 1 on the CPU, not the GPU/);
      expect(lines[0]).toMatch(bool);
      expect(executor.cpuNodes.map((node) => node.op)).toEqual(['Transpose']);
    } finally {
      executor.dispose();
    }
  });

  it('with cpuFallback refuse, fails every run, naming it', async () => {
    const executor = await OnnxExecutor.create({ provider: 'webgpu', cpuFallback: 'refuse' });
    try {
      const program = boolTransposeProgram();
      for (let k = 0; k < 2; k++) {
        const run = executor.run(program, z);
        await expect(run).rejects.toThrow(BackendUnavailableError);
        await expect(run).rejects.toThrow(bool);
      }
    } finally {
      executor.dispose();
    }
  });
});
