import { topoOrder, type Node, type ProgramOutput } from '../../ir/node.ts';
import { formatShape } from '../../ir/shape.ts';
import { formatValueType } from '../../ops/host-ops.ts';
import { runsOnHost } from '../../ops/registry.ts';
import { lineCommentText, numberLiteral, propertyAccess } from './identifiers.ts';
import type { ModuleNames } from './module-names.ts';
import { tsLowerings, type RuntimeHelper, type TsCode, type TsContext } from './ts-lowering.ts';

/** The body of one generated function: what runs inside its `tf.tidy`. */
export interface StraightLine {
  /** One statement a line: `const t8: tf.Tensor = tf.matMul(t7, t6); // matrix[d, d]`, and disposals. */
  readonly statements: readonly string[];
  /** How many nodes the statements compute (inputs read included, aliases not). */
  readonly ops: number;
  /** One expression per requested output, each a distinct tensor the caller may dispose. */
  readonly results: readonly string[];
  /** The symbolic dimensions the statements use (the function binds only these). */
  readonly dims: ReadonlySet<string>;
  /** The runtime functions the statements call. */
  readonly runtime: ReadonlySet<RuntimeHelper>;
}

function describe(node: Node): string {
  return runsOnHost(node.op) ? `${formatValueType(node)} on the host, float64` : formatShape(node.shape);
}

/**
 * The nodes that `outputs` need, each written once as a tfjs-core call in evaluation order.
 *
 * Every tensor a statement makes is disposed right after its last reader, so that peak memory
 * stays close to the executor's (runProgramTf) instead of holding every intermediate: the
 * `tf.tidy` around the body is only the safety net for exceptions and for the temporaries inside
 * one expression, such as the ones in `tf.matMul(tf.ones(...), x)`.
 * Aliases (`stop_gradient`, a scalar `broadcast`) write no statement: readers use the aliased
 * local, and disposal follows the tensor, not the node. Inputs belong to the caller and are
 * never disposed; an output that is an input, or that repeats another output, is cloned.
 */
export function straightLine(outputs: readonly ProgramOutput[], names: ModuleNames): StraightLine {
  const dims = new Set<string>();
  const runtime = new Set<RuntimeHelper>();
  const ctx: TsContext = {
    dim: (dim) => {
      if (typeof dim === 'number') return numberLiteral(dim);
      const local = names.dim(dim);
      dims.add(dim);
      return local;
    },
    input: (name) => propertyAccess('inputs', name),
    runtime: (helper) => {
      runtime.add(helper);
      return helper;
    },
  };

  const order = topoOrder(outputs.map((output) => output.node));
  /** The node whose local holds each node's value (itself, unless it is an alias). */
  const holder = new Map<number, Node>();
  const codes = new Map<number, TsCode>();
  for (const node of order) {
    const args = node.inputs.map((input) => names.local(holder.get(input.id)!));
    const code = tsLowerings[node.op](args, node, ctx);
    codes.set(node.id, code);
    holder.set(node.id, code.kind === 'alias' ? holder.get(node.inputs[code.input].id)! : node);
  }

  // The statement after which each holder's tensor is read for the last time.
  const lastRead = new Map<number, number>();
  order.forEach((node, position) => {
    if (codes.get(node.id)!.kind === 'alias') return;
    for (const input of node.inputs) lastRead.set(holder.get(input.id)!.id, position);
  });
  const kept = new Set(outputs.map((output) => holder.get(output.node.id)!.id));

  const statements: string[] = [];
  let ops = 0;
  order.forEach((node, position) => {
    const code = codes.get(node.id)!;
    if (code.kind === 'alias') return;
    // Tensors are typed `tf.Tensor`: tfjs's signatures guess ranks (`tf.sum` of a matrix is typed
    // a matrix), so inferred types could be wrong; the function casts its results to their ranks.
    const type = code.kind === 'host' ? '' : ': tf.Tensor';
    statements.push(`const ${names.local(node)}${type} = ${code.expr}; // ${lineCommentText(describe(node))}`);
    ops++;
    const done = node.inputs
      .map((input) => holder.get(input.id)!)
      .filter((h, i, all) => all.findIndex((other) => other.id === h.id) === i)
      .filter((h) => lastRead.get(h.id) === position && !kept.has(h.id) && codes.get(h.id)!.kind === 'tensor');
    if (done.length > 0) statements.push(`tf.dispose([${done.map((h) => names.local(h)).join(', ')}]);`);
  });

  const returned = new Set<number>();
  const results = outputs.map(({ name, node }) => {
    const h = holder.get(node.id)!;
    const kind = codes.get(h.id)!.kind;
    if (kind === 'host') throw new TypeError(`typescript backend: output '${name}' is the tuple of '${h.op}', not a tensor`);
    const local = names.local(h);
    if (kind === 'borrowed' || returned.has(h.id)) return `tf.clone(${local})`;
    returned.add(h.id);
    return local;
  });
  return { statements, ops, results, dims, runtime };
}
