import { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node, Program } from '../../compiler/ir/node.ts';
import type { Shape } from '../../compiler/ir/shape.ts';

/**
 * A program over named inputs: one `input` node per entry of `shapes` (all of them declared, in
 * order, used or not), and the outputs that `body` builds from them, by name.
 */
export function programFromInputs(
  shapes: Readonly<Record<string, Shape>>,
  body: (b: IrBuilder, x: Readonly<Record<string, Node>>) => Readonly<Record<string, Node>>,
): { readonly program: Program; readonly b: IrBuilder; readonly inputs: Readonly<Record<string, Node>> } {
  const b = new IrBuilder();
  const inputs = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, b.make('input', [], { name, shape })]));
  const outputs = body(b, inputs);
  const program: Program = {
    inputs: Object.entries(shapes).map(([name, shape]) => ({ name, shape })),
    outputs: Object.entries(outputs).map(([name, node]) => ({ name, node })),
  };
  return { program, b, inputs };
}
