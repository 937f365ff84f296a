import type { Node } from '../../ir/node.ts';
import { sameShape } from '../../ir/shape.ts';
import { foldedTransposes, lowerFolded } from './folded-transposes.ts';
import { GraphEmitter } from './graph-emitter.ts';
import { isGraphOp } from '../../ops/registry.ts';
import { onnxLowerings, scatterInto } from './lowering.ts';
import { encodeModel, type OnnxGraph, type OnnxValueInfo } from './onnx-model.ts';
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
  // Only a scatter this stage computes: one an earlier stage wrote arrives as a value.
  const own = new Set(stage.nodes.map((n) => n.id));
  const absorbed = new Set<number>();
  for (const node of stage.nodes) {
    if (node.op !== 'add' || node.inputs[0] === node.inputs[1] || !sameShape(node.inputs[0].shape, node.inputs[1].shape)) continue;
    const scatter = node.inputs.find(
      (input) => (input.op === 'scatter_add' || input.op === 'segment_pool') && own.has(input.id) && uses.get(input.id) === 1 && !written.has(input.id) && !absorbed.has(input.id),
    );
    if (scatter !== undefined) absorbed.add(scatter.id);
  }
  return absorbed;
}

/** Elementwise ops that broadcast in ONNX the way numpy does. */
const BROADCASTING = new Set(['add', 'sub', 'mul', 'div', 'maximum', 'minimum']);
const BROADCASTS = new Set(['broadcast', 'bcast_rows', 'bcast_cols']);

/** The operand of `node` (a broadcasting op) that can be the broadcast's source: the other is full-size. */
function compactOperand(node: Node, input: Node): boolean {
  if (!BROADCASTING.has(node.op) || !BROADCASTS.has(input.op)) return false;
  const other = node.inputs[0] === input ? node.inputs[1] : node.inputs[0];
  return other !== input && sameShape(other.shape, node.shape);
}

/**
 * Broadcasts that only feed elementwise ops with a full-size other operand: ONNX broadcasts the
 * source itself (a bias vector against a batch), so they are never materialised.
 */
function implicitBroadcasts(stage: Stage, absorbed: ReadonlySet<number>): Set<number> {
  const written = new Set(stage.writes.map((n) => n.id));
  const candidates = new Set(stage.nodes.filter((n) => BROADCASTS.has(n.op) && !written.has(n.id)).map((n) => n.id));
  for (const node of stage.nodes) {
    // An add that a scatter is absorbed into needs its other side whole: it is ScatterND's data.
    const absorbing = node.inputs.some((input) => absorbed.has(input.id));
    for (const input of node.inputs) if (candidates.has(input.id) && (absorbing || !compactOperand(node, input))) candidates.delete(input.id);
  }
  return candidates;
}

/** A stage lowered to an ONNX graph, before serialisation. */
export interface LoweredStage extends Omit<CompiledStage, 'model'> {
  readonly graph: OnnxGraph;
}

export function compileStage(stage: Stage, name: string): CompiledStage {
  const { graph, ...names } = lowerStage(stage, name);
  return { model: encodeModel(graph), ...names };
}

export function lowerStage(stage: Stage, name: string): LoweredStage {
  const e = new GraphEmitter();
  const values = new Map<number, string>();
  const readNames = new Map<number, string>();
  for (const node of stage.reads) {
    const input = `in${node.id}`;
    values.set(node.id, input);
    readNames.set(node.id, input);
  }
  const absorbed = absorbedScatters(stage);
  const implicit = implicitBroadcasts(stage, absorbed);
  const transposes = foldedTransposes(stage);
  // A broadcast's source as the operand of an elementwise op: a vector [c] broadcasts against
  // [r, c] as it is, a column source [r] needs the shape [r, 1], a scalar is a scalar.
  const operand = (node: Node, input: Node): string => {
    if (!implicit.has(input.id) || !values.has(input.inputs[0].id)) return values.get(input.id)!;
    const source = values.get(input.inputs[0].id)!;
    return input.op === 'bcast_cols' ? e.op('Unsqueeze', [source, e.ints([1])]) : source;
  };
  const lower = (node: Node): void => {
    if (implicit.has(node.id) && values.has(node.inputs[0].id)) return;
    if (!isGraphOp(node.op)) {
      throw new TypeError(`onnx: '${node.op}' cannot be part of a graph (stages.ts keeps it on the host)`);
    }
    if (absorbed.has(node.id) || transposes.skipped.has(node.id)) return;
    if (transposes.folds(node)) {
      values.set(node.id, lowerFolded(e, node, transposes, (input) => values.get(input.id)!));
      return;
    }
    const into = node.op === 'add' ? node.inputs.find((input) => absorbed.has(input.id)) : undefined;
    if (into !== undefined) {
      const base = node.inputs[0] === into ? node.inputs[1] : node.inputs[0];
      values.set(node.id, scatterInto(e, into.inputs.map((input) => values.get(input.id)!), into, values.get(base.id)!));
      return;
    }
    values.set(node.id, onnxLowerings[node.op](e, node.inputs.map((input) => operand(node, input)), node));
  };
  for (const node of stage.nodes) {
    const first = e.nodes.length;
    lower(node);
    // Each ONNX node says which IR node it lowers (in its name, onnx-model.ts), so that ORT's
    // messages and the CPU fallback report (node-placement.ts) point back to the program.
    for (let k = first; k < e.nodes.length; k++) e.nodes[k] = { ...e.nodes[k], from: `${node.op}#${node.id}` };
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
  const graph: OnnxGraph = { name, nodes: e.nodes, inputs, outputs, initializers: e.initializers };
  return { graph, readNames, writeNames, dimNames: e.dimInputs };
}
