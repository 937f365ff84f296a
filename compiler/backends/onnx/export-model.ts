import type { Node, Program } from '../../ir/node.ts';
import { lowerStage } from './compile-stage.ts';
import { encodeModel, type OnnxNode, type OnnxValueInfo } from './onnx-model.ts';
import { planStages } from './stages.ts';
import { countHostOps } from '../../ops/host-ops.ts';

/** The program cannot be one self-contained ONNX model (it needs the host between graphs). */
export class OnnxExportError extends Error {
  override name = 'OnnxExportError';
}

/**
 * A program as one self-contained ONNX model (opset 18) that any ONNX runtime can load: graph
 * inputs and outputs carry the program's names as written (`Z_t+1`, `value`, `grad:Z`), symbolic
 * sizes are `dim_param`s read off the inputs' shapes at run time. A program with a host op (`eigh`)
 * cannot be one: ONNX has no operator for it, and dflc runs it on the host between graphs.
 */
export function exportOnnx(program: Program, name = 'dflc'): Uint8Array {
  const plan = planStages(program);
  if (plan.hostNodes.length > 0) {
    const ops = plan.hostNodes.map(({ node }) => node.op);
    const count = ops.length;
    throw new OnnxExportError(
      `the program has ${countHostOps(ops)} (${[...new Set(ops)].join(', ')}), for which ONNX has no operator; ` +
        `dflc's own ONNX executor runs ${count === 1 ? 'it' : 'them'} on the host between graphs, so no single .onnx file computes it ` +
        `(objectives without spectra export; -o OUT.ts writes a TypeScript module that computes everything)`,
    );
  }
  const lowered = lowerStage(plan.stages[0], name);
  const rename = new Map<string, string>();
  const inputs: OnnxValueInfo[] = [];
  const sources = new Map<string, { input: string; axis: number }>();
  const inputOf = (node: Node): string => String(node.attrs.name);
  for (const node of plan.stages[0].reads) {
    if (node.op !== 'input') throw new TypeError(`onnx export: a single-stage program reads only inputs, got '${node.op}'`);
    rename.set(lowered.readNames.get(node.id)!, inputOf(node));
    inputs.push({ name: inputOf(node), type: 'float', shape: [...node.shape] });
    node.shape.forEach((dim, axis) => {
      if (typeof dim === 'string' && !sources.has(dim)) sources.set(dim, { input: inputOf(node), axis });
    });
  }
  // Program inputs no node reads (an output that is an input, or an unused input) stay inputs.
  for (const input of program.inputs) {
    if (!inputs.some((i) => i.name === input.name)) inputs.push({ name: input.name, type: 'float', shape: [...input.shape] });
  }
  // Each symbolic size the graph needs as a number: Shape(input)[axis], computed first.
  const prologue: OnnxNode[] = [];
  const initializers = [...lowered.graph.initializers];
  for (const [dim, dimName] of lowered.dimNames) {
    const source = sources.get(dim);
    if (source === undefined) throw new OnnxExportError(`the size '${dim}' is not the size of any input's axis; bind it with --dims ${dim}=N`);
    const shape = `${dimName}:shape`;
    const bounds = (suffix: string, value: number) => {
      const init = { name: `${dimName}:${suffix}`, type: 'int64' as const, dims: [1], data: BigInt64Array.of(BigInt(value)) };
      initializers.push(init);
      return init.name;
    };
    prologue.push({ op: 'Shape', inputs: [source.input], outputs: [shape] });
    prologue.push({ op: 'Slice', inputs: [shape, bounds('start', source.axis), bounds('end', source.axis + 1)], outputs: [dimName] });
  }
  const renamed = (value: string) => rename.get(value) ?? value;
  const nodes: OnnxNode[] = [...prologue, ...lowered.graph.nodes.map((n) => ({ ...n, inputs: n.inputs.map(renamed) }))];
  const outputs: OnnxValueInfo[] = [];
  for (const { name: outputName, node } of program.outputs) {
    const value = node.op === 'input' ? inputOf(node) : renamed(lowered.writeNames.get(node.id)!);
    nodes.push({ op: 'Identity', inputs: [value], outputs: [outputName] });
    outputs.push({ name: outputName, type: 'float', shape: [...node.shape] });
  }
  return encodeModel({ name, nodes, inputs, outputs, initializers });
}
