import { topoOrder, type Node, type Program } from '../../ir/node.ts';
import { isGraphOp, isProgramInput, runsOnHost, selectedPart } from '../../ops/registry.ts';

/**
 * ONNX lacks some ops (the eigendecomposition), so a program runs as a sequence of graphs
 * ("stages") with the host ops (facts.runsOnHost) computed on the host between them. A node's
 * stage is the number of host ops on its longest path from the inputs; a host op runs after the
 * stage of its inputs, and its parts (read by selector ops) are available from the next stage on.
 * Nodes with no inputs (constants) belong to no stage: each stage that reads one emits its own
 * copy, which costs nothing at run time.
 */
export interface StagePlan {
  readonly stages: readonly Stage[];
  /** The host-op nodes, each with the stage after which it runs. */
  readonly hostNodes: readonly { readonly node: Node; readonly after: number }[];
}

export interface Stage {
  /** Nodes this stage's graph computes, inputs before users (constants included). */
  readonly nodes: readonly Node[];
  /** Values the graph reads from outside: program inputs, earlier stages' values, host op results. */
  readonly reads: readonly Node[];
  /** Values of this graph that the host needs: program outputs, later stages' reads, host op inputs. */
  readonly writes: readonly Node[];
}

const FREE = -1;

export function planStages(program: Program): StagePlan {
  const order = topoOrder(program.outputs.map((o) => o.node));
  const stage = new Map<number, number>();
  for (const node of order) {
    if (isProgramInput(node.op)) stage.set(node.id, 0);
    else if (selectedPart(node.op) !== undefined) stage.set(node.id, stage.get(node.inputs[0].id)! + 1);
    else if (node.inputs.length === 0) stage.set(node.id, FREE);
    else stage.set(node.id, Math.max(0, ...node.inputs.map((input) => stage.get(input.id)!)));
  }
  const count = Math.max(0, ...order.map((node) => stage.get(node.id)!)) + 1;
  // Then as late as possible: each graph node moves to the first stage that needs it, so that a
  // value crosses between stages only when both sides of a host op need it (Adam's decay of the
  // moments, say, runs where the update does, instead of crossing as a table-sized array).
  const need = new Map<number, number>(program.outputs.map((o) => [o.node.id, count - 1]));
  const require = (node: Node, at: number) => need.set(node.id, Math.min(need.get(node.id) ?? at, at));
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (runsOnHost(node.op)) for (const input of node.inputs) require(input, stage.get(node.id)!);
    if (!isGraphOp(node.op) || stage.get(node.id) === FREE) continue;
    const at = need.get(node.id) ?? stage.get(node.id)!;
    stage.set(node.id, at);
    for (const input of node.inputs) require(input, at);
  }
  // Where each value is read: by graph nodes at their own stage, and by the host (a host op after
  // its stage, the program's outputs after the last stage).
  const readAt = new Map<number, Set<number>>();
  const hostAt = new Map<number, Set<number>>();
  const mark = (map: Map<number, Set<number>>, node: Node, at: number) => {
    const set = map.get(node.id) ?? new Set<number>();
    set.add(at);
    map.set(node.id, set);
  };
  for (const node of order) {
    if (runsOnHost(node.op)) for (const input of node.inputs) mark(hostAt, input, stage.get(node.id)!);
    else if (isGraphOp(node.op)) for (const input of node.inputs) mark(readAt, input, Math.max(0, stage.get(node.id)!));
  }
  for (const output of program.outputs) mark(hostAt, output.node, count - 1);
  // A transpose is built in every stage that reads it, from its input (which crosses instead):
  // ONNX Runtime's Gemm reads operands transposed for free (folded-transposes.ts), so a copy that
  // only feeds products is never built, where a transposed n×d value crossing a host op would be.
  const copiedAt = (node: Node): Set<number> => new Set([...(readAt.get(node.id) ?? []), ...(hostAt.get(node.id) ?? [])]);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (perStage(node, stage)) for (const at of copiedAt(node)) mark(readAt, node.inputs[0], at);
  }

  const nodes: Node[][] = Array.from({ length: count }, () => []);
  const reads: Set<Node>[] = Array.from({ length: count }, () => new Set());
  const writes: Set<Node>[] = Array.from({ length: count }, () => new Set());
  for (const node of order) {
    if (!isGraphOp(node.op)) continue;
    const own = stage.get(node.id)!;
    const host = hostAt.get(node.id) ?? new Set<number>();
    if (own === FREE || perStage(node, stage)) {
      for (const s of copiedAt(node)) nodes[s].push(node);
      for (const s of host) writes[s].add(node);
      continue;
    }
    nodes[own].push(node);
    const later = [...(readAt.get(node.id) ?? [])].some((at) => at > own);
    if (later || host.size > 0) writes[own].add(node);
  }
  // Reads: inputs of a stage's nodes that the stage does not compute itself.
  for (let s = 0; s < count; s++) {
    const own = new Set(nodes[s].map((n) => n.id));
    for (const node of nodes[s]) for (const input of node.inputs) if (!own.has(input.id)) reads[s].add(input);
  }
  const hostNodes = order.filter((n) => runsOnHost(n.op)).map((node) => ({ node, after: stage.get(node.id)! }));
  return {
    stages: nodes.map((list, s) => ({ nodes: list, reads: [...reads[s]], writes: [...writes[s]] })),
    hostNodes,
  };
}

/** A transpose of a computed value: built by each stage that reads it, as a constant is. */
function perStage(node: Node, stage: ReadonlyMap<number, number>): boolean {
  return node.op === 'transpose' && stage.get(node.inputs[0].id) !== FREE;
}
