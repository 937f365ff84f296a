import { describe, expect, it } from 'vitest';
import { lowerStage } from '../../../../compiler/backends/onnx/compile-stage.ts';
import { planStages } from '../../../../compiler/backends/onnx/stages.ts';
import { buildTrainProgram } from '../../../../runtime/model/train-program.ts';
import { objectiveOf, TINY } from '../../model/helpers.ts';

/**
 * ONNX ops that ORT 1.30's WebGPU provider has no kernel for, found in its node placement log
 * (session log level verbose: "Node(s) placed on [CPUExecutionProvider]"): a graph with one runs
 * that node on the CPU, with a copy each way. dflc's lowering avoids them.
 */
const NOT_ON_WEBGPU = ['IsNaN', 'Sign'];

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
