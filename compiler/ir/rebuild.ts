import { IrBuilder } from './builder.ts';
import { topoOrder, type Node, type Program } from './node.ts';

/**
 * Decides what a node becomes in the new program, given its inputs already rebuilt. Returning
 * undefined keeps the node as it is (re-made over the new inputs).
 */
export type NodeRewrite = (b: IrBuilder, node: Node, inputs: readonly Node[]) => Node | undefined;

/**
 * Copies a program into a fresh builder, applying `rewrite` to each node after its inputs. Every
 * IR -> IR pass is a rebuild, so passes never mutate their input and interning in the new
 * builder merges whatever the rewrite made equal.
 */
export function rebuild(program: Program, rewrite?: NodeRewrite): { program: Program; builder: IrBuilder } {
  const b = new IrBuilder();
  const mapped = new Map<number, Node>();
  for (const node of topoOrder(program.outputs.map((o) => o.node))) {
    const inputs = node.inputs.map((input) => mapped.get(input.id)!);
    const replaced = rewrite?.(b, node, inputs) ?? b.make(node.op, inputs, node.attrs);
    mapped.set(node.id, replaced);
  }
  return {
    builder: b,
    program: {
      inputs: program.inputs,
      outputs: program.outputs.map((o) => ({ name: o.name, node: mapped.get(o.node.id)! })),
    },
  };
}
