import { type IrBuilder } from './ir/builder.ts';
import { IrError } from './ir/ir-error.ts';
import { topoOrder, type Node, type Program, type ProgramOutput } from './ir/node.ts';
import { rebuild } from './ir/rebuild.ts';
import { formatShape, sameShape } from './ir/shape.ts';
import { opDef } from './ops/registry.ts';

export interface DifferentiateOptions {
  /** The scalar output to differentiate (default `value`). */
  readonly of?: string;
  /** The inputs to differentiate with respect to, by name (default: every input). */
  readonly wrt?: readonly string[];
}

/**
 * Reverse-mode differentiation as an IR -> IR transformation. The result is one program of plain
 * forward ops computing the value and the inputs' gradients, so later passes optimise value and
 * gradient together and no backend needs a tape.
 *
 * The sweep: copy the program into a fresh builder; seed the cotangent of the output `of` with 1;
 * walk its topological order backwards and, for each node holding a cotangent, ask its op's `vjp`
 * for contributions [target, cotangent]; contributions to the same target are summed with `add`.
 * Only nodes on a path from one of the `wrt` inputs receive cotangents, so nothing is built for
 * constant subexpressions or for inputs nobody asked about. A vjp may contribute to any earlier
 * node, not only its inputs: `eigvals` sends V diag(g) Vᵀ straight to the matrix its `eigh` node
 * decomposed, so the tuple-valued `eigh` never holds a cotangent (its vjp, and `eigvecs`'s,
 * throw: nothing differentiates eigenvectors).
 *
 * Outputs: the program's outputs unchanged and in order (`of` among them), then `grad:<input>`
 * for each `wrt` input in the order of the program's inputs (zeros where `of` does not depend on
 * it). With the defaults and a program whose one output is `value`, that is `value` and a
 * gradient for every input.
 */
export function differentiate(program: Program, options: DifferentiateOptions = {}): Program {
  const of = options.of ?? 'value';
  const target = program.outputs.filter((o) => o.name === of);
  if (target.length !== 1) {
    throw new IrError(`differentiate expects one output named ${of}, got ${program.outputs.map((o) => o.name).join(', ') || 'none'}`);
  }
  const inputNames = new Set(program.inputs.map((input) => input.name));
  const wrt = new Set(options.wrt ?? inputNames);
  const unknown = [...wrt].filter((name) => !inputNames.has(name));
  if (unknown.length > 0) {
    throw new IrError(`differentiate: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not inputs' : 'is not an input'} of the program (${[...inputNames].join(', ') || 'none'})`);
  }
  const clash = program.outputs.find((o) => o.name.startsWith('grad:') && wrt.has(o.name.slice('grad:'.length)));
  if (clash !== undefined) throw new IrError(`differentiate: the program already has an output named ${clash.name}`);
  const { program: copy, builder: b } = rebuild(program);
  const value = copy.outputs[program.outputs.indexOf(target[0])].node;
  if (value.shape.length !== 0) throw new IrError(`the value to differentiate must be a scalar, got ${formatShape(value.shape)}`);

  const order = topoOrder([value]);
  const position = new Map(order.map((node, i) => [node.id, i]));
  const live = dependsOn(order, wrt);
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

  const outputs: ProgramOutput[] = [...copy.outputs];
  for (const { name, shape } of copy.inputs) {
    if (!wrt.has(name)) continue;
    const inputNode = order.find((node) => node.op === 'input' && node.attrs.name === name);
    const grad = inputNode === undefined ? undefined : cotangents.get(inputNode.id);
    outputs.push({ name: `grad:${name}`, node: grad ?? zeros(b, shape) });
  }
  return { inputs: copy.inputs, outputs };
}

/** Nodes on a path from one of the inputs named in `wrt`: the only ones whose cotangents matter. */
function dependsOn(order: readonly Node[], wrt: ReadonlySet<string>): Set<number> {
  const live = new Set<number>();
  for (const node of order) {
    const isWrtInput = node.op === 'input' && wrt.has(String(node.attrs.name));
    if (isWrtInput || node.inputs.some((input) => live.has(input.id))) live.add(node.id);
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
