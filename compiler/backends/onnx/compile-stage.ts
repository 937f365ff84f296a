import type { Node } from '../../ir/node.ts';
import { GraphEmitter } from './graph-emitter.ts';
import { onnxLowerings } from './lowering.ts';
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

export function compileStage(stage: Stage, name: string): CompiledStage {
  const e = new GraphEmitter();
  const values = new Map<number, string>();
  const readNames = new Map<number, string>();
  for (const node of stage.reads) {
    const input = `in${node.id}`;
    values.set(node.id, input);
    readNames.set(node.id, input);
  }
  for (const node of stage.nodes) {
    if (node.op === 'input' || node.op === 'eigh' || node.op === 'eigvals' || node.op === 'eigvecs') {
      throw new TypeError(`onnx: '${node.op}' cannot be part of a graph (stages.ts keeps it on the host)`);
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
