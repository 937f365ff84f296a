import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { lowerStage } from '../../../../compiler/backends/onnx/compile-stage.ts';
import { exportOnnx } from '../../../../compiler/backends/onnx/export-model.ts';
import { planStages } from '../../../../compiler/backends/onnx/stages.ts';
import { evaluate, inferSizes } from '../../../../compiler/backends/reference/evaluate.ts';
import { topoOrder, type Program } from '../../../../compiler/ir/node.ts';
import { tensor64 } from '../../../../compiler/ir/tensor.ts';
import { compileValueAndGrad } from '../../../../compiler/pipeline.ts';
import { FLOAT32_EPSILON } from '../../../../compiler/surface/guards.ts';
import { checkObjective } from '../../../../runtime/objective.ts';
import { normals } from '../../../helpers/linalg64.ts';
import { relativeError } from '../../../helpers/relative-error.ts';

function compiled(source: string, sizes?: ReadonlyMap<string, number>): Program {
  const checked = checkObjective('objective.dfl', source, FLOAT32_EPSILON);
  if (checked.program === undefined) throw new Error(checked.diagnostics.map((d) => d.message).join('; '));
  return compileValueAndGrad(checked.program, sizes === undefined ? {} : { sizes }).program;
}

/** The ONNX ops of every stage of a program, by name, counted. */
function onnxOps(program: Program): Map<string, number> {
  const counts = new Map<string, number>();
  planStages(program).stages.forEach((stage, i) => {
    for (const node of lowerStage(stage, `s${i}`).graph.nodes) counts.set(node.op, (counts.get(node.op) ?? 0) + 1);
  });
  return counts;
}

const irTransposes = (program: Program): number => topoOrder(program.outputs.map((o) => o.node)).filter((n) => n.op === 'transpose').length;

/**
 * Transposes of square matrices in the IR: the simplifier writes X (G + Gᵀ) for X G + X Gᵀ, and
 * such a d×d Gᵀ read by a sum is built (d² values, against the n×d ones these tests are about).
 */
const squareTransposes = (program: Program): number =>
  topoOrder(program.outputs.map((o) => o.node)).filter((n) => n.op === 'transpose' && n.shape.length === 2 && n.shape[0] === n.shape[1]).length;

/** Objectives whose gradients read products transposed, and transposes of products and of their sums. */
const SOURCES = [
  'fro2(t(Z) @ W)',
  'sum(square(Z @ t(W)))',
  'ortho(Z) + consistent(Z, W)',
  'cka(Z, W) + 0.1*covariance(W)',
  'barlow(Z, W)',
  'sum(t(Z) @ W @ t(W) @ Z)',
];

describe('the ONNX lowering folds transposes into Gemm', () => {
  it.each(SOURCES)('%s: no Transpose left where the IR had some, and ONNX Runtime matches float64', async (source) => {
    const program = compiled(source);
    expect(irTransposes(program)).toBeGreaterThan(0);
    const ops = onnxOps(program);
    expect(ops.get('Transpose') ?? 0).toBeLessThanOrEqual(squareTransposes(program));
    expect(ops.get('Gemm') ?? 0).toBeGreaterThan(0);
    const session = await ort.InferenceSession.create(exportOnnx(program, 'folded'), { logSeverityLevel: 3 });
    for (const [n, d] of [
      [9, 4],
      [5, 7],
    ]) {
      const next = normals(n * 31 + d);
      const inputs = new Map(program.inputs.map(({ name }) => [name, tensor64([n, d], Float32Array.from({ length: n * d }, () => next()))]));
      const want = evaluate(program, inputs, inferSizes(program, inputs));
      const feeds = Object.fromEntries([...inputs].map(([name, t]) => [name, new ort.Tensor('float32', Float32Array.from(t.data), [n, d])]));
      const got = await session.run(feeds);
      for (const [name, w] of want) {
        expect(relativeError(got[name].data as Float32Array, w.data), `${name} at n=${n}, d=${d}`).toBeLessThan(2e-3);
      }
    }
  });

  it("leaves none of the card's n×d transposes (issue: %7, %70, %79, %194, %259 at n=65536, d=64)", () => {
    const program = compiled('balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)', new Map([['n', 65536], ['d', 64]]));
    expect(irTransposes(program)).toBeGreaterThan(squareTransposes(program));
    expect(onnxOps(program).get('Transpose') ?? 0).toBeLessThanOrEqual(squareTransposes(program));
  });
});
