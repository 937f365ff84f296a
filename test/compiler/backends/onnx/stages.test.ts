import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differentiate } from '../../../../compiler/autodiff.ts';
import { planStages, type StagePlan } from '../../../../compiler/backends/onnx/stages.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import { topoOrder, type Node, type Program } from '../../../../compiler/ir/node.ts';
import { compileValueAndGrad } from '../../../../compiler/pipeline.ts';
import { forwardProgram } from '../../../helpers/compile-source.ts';
import { randomProgram } from '../../../helpers/random-ir.ts';

const HOST = new Set(['input', 'eigh', 'eigvals', 'eigvecs']);

/**
 * The laws a stage plan must satisfy for the executor to find every value where it looks: each
 * graph node's inputs are computed in its graph or read by it; each read is an input, a host
 * eigen result of an earlier stage, or written by an earlier stage; each eigh's input and each
 * program output is available to the host when it is needed. Returns the first violation.
 */
function violation(program: Program, plan: StagePlan): string | undefined {
  const writtenAt = new Map<number, number[]>();
  plan.stages.forEach((stage, s) => stage.writes.forEach((n) => writtenAt.set(n.id, [...(writtenAt.get(n.id) ?? []), s])));
  const eighAfter = new Map(plan.hostNodes.map((e) => [e.node.id, e.after]));
  const availableBy = (node: Node, s: number): boolean => {
    if (node.op === 'input') return true;
    if (node.op === 'eigvals' || node.op === 'eigvecs') return eighAfter.get(node.inputs[0].id)! < s;
    return (writtenAt.get(node.id) ?? []).some((t) => t < s);
  };
  for (const [s, stage] of plan.stages.entries()) {
    const own = new Set(stage.nodes.map((n) => n.id));
    const reads = new Set(stage.reads.map((n) => n.id));
    for (const node of stage.nodes) {
      if (HOST.has(node.op)) return `stage ${s} computes host node ${node.op}`;
      for (const input of node.inputs) if (!own.has(input.id) && !reads.has(input.id)) return `stage ${s}: ${node.op} reads ${input.op} ${input.id}, which it neither computes nor reads`;
    }
    for (const read of stage.reads) if (!availableBy(read, s)) return `stage ${s} reads ${read.op} ${read.id} before anyone makes it`;
    for (const write of stage.writes) if (!own.has(write.id)) return `stage ${s} writes ${write.op} ${write.id}, which it does not compute`;
  }
  for (const { node, after } of plan.hostNodes) {
    const input = node.inputs[0];
    if (!(input.op === 'input' || availableBy(input, after + 1))) return `eigh ${node.id} runs after stage ${after}, before its input is written`;
  }
  for (const { name, node } of program.outputs) if (!availableBy(node, plan.stages.length)) return `output ${name} is never written`;
  const everyGraphNode = topoOrder(program.outputs.map((o) => o.node)).filter((n) => !HOST.has(n.op));
  const planned = new Set(plan.stages.flatMap((s) => s.nodes.map((n) => n.id)));
  const missing = everyGraphNode.find((n) => !planned.has(n.id));
  return missing === undefined ? undefined : `${missing.op} ${missing.id} is in no stage`;
}

describe('planStages', () => {
  it('keeps a program without eigh in one stage', () => {
    const plan = planStages(differentiate(forwardProgram('ortho(Z)')));
    expect(plan.stages).toHaveLength(1);
    expect(plan.hostNodes).toHaveLength(0);
  });

  it('splits the card objective at its one eigh, and nests eigh of eigh-dependent matrices', () => {
    const card = compileValueAndGrad(forwardProgram('balance(spectrum(Z)) + 0.5*ortho(Z) + consistent(Z_t, Z_t+1)')).program;
    const plan = planStages(card);
    expect(plan.stages).toHaveLength(2);
    expect(plan.hostNodes.map((e) => e.after)).toEqual([0]);
    // Transposes are built where they are read (Gemm folds them), never passed between stages.
    const crossing = plan.stages.flatMap((stage) => [...stage.reads, ...stage.writes]).filter((n) => n.op === 'transpose');
    expect(crossing).toEqual([]);
    expect(plan.stages.every((stage) => stage.nodes.some((n) => n.op === 'transpose'))).toBe(true);
    expect(violation(card, plan)).toBeUndefined();
    const b = new IrBuilder();
    const z = b.make('input', [], { name: 'Z', shape: ['n', 'd'] });
    const gram = b.make('matmul', [b.make('transpose', [z]), z]);
    const v = b.make('eigvecs', [b.make('eigh', [gram])]);
    const second = b.make('eigh', [b.make('add', [b.make('matmul', [v, b.make('transpose', [v])]), gram])]);
    const nestedProgram: Program = { inputs: [{ name: 'Z', shape: ['n', 'd'] }], outputs: [{ name: 'value', node: b.make('sum', [b.make('eigvals', [second])]) }] };
    const nested = planStages(nestedProgram);
    expect(nested.stages).toHaveLength(3);
    expect(nested.hostNodes.map((e) => e.after)).toEqual([0, 1]);
    expect(violation(nestedProgram, nested)).toBeUndefined();
  });

  it('satisfies its laws on random programs and their gradients', () => {
    fc.assert(
      fc.property(randomProgram(), (sample) => {
        for (const program of [sample.program, differentiate(sample.program)]) {
          const problem = violation(program, planStages(program));
          if (problem !== undefined) throw new Error(problem);
        }
      }),
      { numRuns: 200 },
    );
  });
});
