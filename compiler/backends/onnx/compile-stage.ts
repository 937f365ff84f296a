import type { Node } from '../../ir/node.ts';
import { sameShape } from '../../ir/shape.ts';
import { GraphEmitter } from './graph-emitter.ts';
import { onnxLowerings, scatterInto } from './lowering.ts';
import { encodeModel, type OnnxValueInfo } from './onnx-model.ts';
import type { Stage } from './stages.ts';

/** One stage as an ONNX model, with the names its values go by. */
export interface CompiledStage {
  readonly model: Uint8Array;
  /** Graph input name of each value the stage reads, by node id. */
  readonly readNames: ReadonlyMap<number, string>;
  /** Graph output name of each value the stage writes, by node id. */
  readonly writeNames: ReadonlyMap<number, string>;
  /** Graph input name of each symbolic dimension the stage needs, by dimension name. */
  readonly dimNames: ReadonlyMap<string, string>;
}

function valueInfo(name: string, node: Node): OnnxValueInfo {
  return { name, type: 'float', shape: [...node.shape] };
}

/**
 * Scatters (`scatter_add`, `segment_pool`) whose only use is one side of an `add` of the same
 * shape in this stage: they are emitted as part of that add (lowering.ts, scatterInto).
 */
function absorbedScatters(stage: Stage): Set<number> {
  const uses = new Map<number, number>();
  for (const node of stage.nodes) for (const input of node.inputs) uses.set(input.id, (uses.get(input.id) ?? 0) + 1);
  const written = new Set(stage.writes.map((n) => n.id));
  const absorbed = new Set<number>();
  for (const node of stage.nodes) {
    if (node.op !== 'add' || node.inputs[0] === node.inputs[1] || !sameShape(node.inputs[0].shape, node.inputs[1].shape)) continue;
    const scatter = node.inputs.find(
      (input) => (input.op === 'scatter_add' || input.op === 'segment_pool') && uses.get(input.id) === 1 && !written.has(input.id) && !absorbed.has(input.id),
    );
    if (scatter !== undefined) absorbed.add(scatter.id);
  }
  return absorbed;
}

export function compileStage(stage: Stage, name: string): CompiledStage {
  const e = new GraphEmitter();
  const values = new Map<number, string>();
  const readNames = new Map<number, string>();
  for (const node of stage.reads) {
    const input = `in${node.id}`;
    values.set(node.id, input);
    readNames.set(node.id, input);
  }
  const absorbed = absorbedScatters(stage);
  for (const node of stage.nodes) {
    if (node.op === 'input' || node.op === 'eigh' || node.op === 'eigvals' || node.op === 'eigvecs') {
      throw new TypeError(`onnx: '${node.op}' cannot be part of a graph (stages.ts keeps it on the host)`);
    }
    if (absorbed.has(node.id)) continue;
    const into = node.op === 'add' ? node.inputs.find((input) => absorbed.has(input.id)) : undefined;
    if (into !== undefined) {
      const base = node.inputs[0] === into ? node.inputs[1] : node.inputs[0];
      values.set(node.id, scatterInto(e, into.inputs.map((input) => values.get(input.id)!), into, values.get(base.id)!));
      continue;
    }
    values.set(node.id, onnxLowerings[node.op](e, node.inputs.map((input) => values.get(input.id)!), node));
  }
  // A graph output is a value some node of the graph makes, under a name no other output has.
  // Otherwise (a read passed through, a shared constant, a value written twice) an Identity
  // makes one: it copies, so only where needed.
  const writeNames = new Map<number, string>();
  const outputs: OnnxValueInfo[] = [];
  const made = new Set(e.nodes.flatMap((n) => n.outputs));
  const taken = new Set<string>();
  for (const node of stage.writes) {
    let output = values.get(node.id)!;
    if (!made.has(output) || taken.has(output)) {
      const copy = e.name('out');
      e.nodes.push({ op: 'Identity', inputs: [output], outputs: [copy] });
      output = copy;
    }
    taken.add(output);
    writeNames.set(node.id, output);
    outputs.push(valueInfo(output, node));
  }
  const inputs = [...stage.reads.map((node) => valueInfo(readNames.get(node.id)!, node)), ...e.dimInfos()];
  const model = encodeModel({ name, nodes: e.nodes, inputs, outputs, initializers: e.initializers });
  return { model, readNames, writeNames, dimNames: e.dimInputs };
}
