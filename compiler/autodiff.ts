import { IrError, type IrBuilder } from './ir/builder.ts';
import { topoOrder, type Node, type Program, type ProgramOutput } from './ir/node.ts';
import { rebuild } from './ir/rebuild.ts';
import { formatShape, sameShape } from './ir/shape.ts';
import { opDef } from './ops/registry.ts';

/**
 * Reverse-mode differentiation as an IR -> IR transformation. The result is one program of plain
 * forward ops computing the value and every input's gradient, so later passes optimise value and
 * gradient together and no backend needs a tape.
 *
 * The sweep: copy the program into a fresh builder; seed the value's cotangent with 1; walk the
 * value's topological order backwards and, for each node holding a cotangent, ask its op's `vjp`
 * for contributions [target, cotangent]; contributions to the same target are summed with `add`.
 * Only nodes that depend on a program input receive cotangents, so nothing is built for constant
 * subexpressions. A vjp may contribute to any earlier node, not only its inputs: `eigvals` sends
 * V diag(g) Vᵀ straight to the matrix its `eigh` node decomposed, so the tuple-valued `eigh` never
 * holds a cotangent (its vjp, and `eigvecs`'s, throw: nothing differentiates eigenvectors).
 */
export function differentiate(program: Program): Program {
  if (program.outputs.length !== 1 || program.outputs[0].name !== 'value') {
    throw new IrError(`differentiate expects one output named value, got ${program.outputs.map((o) => o.name).join(', ') || 'none'}`);
  }
  const { program: copy, builder: b } = rebuild(program);
  const value = copy.outputs[0].node;
  if (value.shape.length !== 0) throw new IrError(`the value to differentiate must be a scalar, got ${formatShape(value.shape)}`);

  const order = topoOrder([value]);
  const position = new Map(order.map((node, i) => [node.id, i]));
  const live = dependsOnInputs(order);
  const cotangents = new Map<number, Node>();
  if (live.has(value.id)) cotangents.set(value.id, b.make('const', [], { value: 1, shape: [] }));

  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const g = cotangents.get(node.id);
    if (g === undefined) continue;
    const vjp = opDef(node.op).vjp;
    if (vjp === null) continue;
    for (const [target, grad] of vjp(b, node, g)) {
      if (!live.has(target.id)) continue;
      checkContribution(node, target, grad, i, position.get(target.id));
      const previous = cotangents.get(target.id);
      cotangents.set(target.id, previous === undefined ? grad : b.make('add', [previous, grad]));
    }
  }

  const outputs: ProgramOutput[] = [{ name: 'value', node: value }];
  for (const { name, shape } of copy.inputs) {
    const inputNode = order.find((node) => node.op === 'input' && node.attrs.name === name);
    const grad = inputNode === undefined ? undefined : cotangents.get(inputNode.id);
    outputs.push({ name: `grad:${name}`, node: grad ?? zeros(b, shape) });
  }
  return { inputs: copy.inputs, outputs };
}

/** Nodes on a path from some input: the only ones whose cotangents matter. */
function dependsOnInputs(order: readonly Node[]): Set<number> {
  const live = new Set<number>();
  for (const node of order) {
    if (node.op === 'input' || node.inputs.some((input) => live.has(input.id))) live.add(node.id);
  }
  return live;
}

/** A contribution must have its target's shape and go to a node the sweep has not passed yet. */
function checkContribution(from: Node, target: Node, grad: Node, at: number, targetAt: number | undefined): void {
  if (targetAt === undefined || targetAt >= at) {
    throw new IrError(`the vjp of ${from.op} (node ${from.id}) contributes to node ${target.id} (${target.op}), which does not come before it`);
  }
  if (!sameShape(target.shape, grad.shape)) {
    throw new IrError(
      `the vjp of ${from.op} gives ${target.op} (node ${target.id}) a cotangent of ${formatShape(grad.shape)}, expected ${formatShape(target.shape)}`,
    );
  }
}

function zeros(b: IrBuilder, shape: Node['shape']): Node {
  return b.make('const', [], { value: 0, shape });
}
