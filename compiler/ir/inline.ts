import { bindAttrDims } from './attrs.ts';
import { bindDims } from './bind-dims.ts';
import { type IrBuilder } from './builder.ts';
import { IrError } from './ir-error.ts';
import { topoOrder, type Node, type Program } from './node.ts';
import { formatShape, type Dim } from './shape.ts';

/**
 * Rebuilds `program` inside the builder `b`, with each of its inputs replaced by the node bound to
 * its name, and returns the program's outputs (as nodes of `b`) by name. This is how one program
 * becomes part of a larger one: an objective inlined over the embeddings an encoder computes.
 *
 * The program's symbolic dimensions (`n`, `d`) are bound by unifying each input's declared shape
 * with its bound node's shape: a symbolic dimension takes the bound node's dimension (a number,
 * or a symbol of `b`'s program) and must take the same one everywhere; a numeric dimension must
 * match exactly. The binding is applied to every dimension attribute of the inlined nodes (so
 * `dimsize n` reads the bound size). Every input must be bound, and nothing else may be.
 * Interning in `b` merges the inlined nodes with equal nodes already there.
 */
export function inlineProgram(b: IrBuilder, program: Program, bindings: ReadonlyMap<string, Node>): Map<string, Node> {
  const declared = new Map(program.inputs.map((input) => [input.name, input.shape]));
  const unbound = [...declared.keys()].filter((name) => !bindings.has(name));
  if (unbound.length > 0) throw new IrError(`inline: no node is bound to input${unbound.length > 1 ? 's' : ''} ${unbound.join(', ')}`);
  const extra = [...bindings.keys()].filter((name) => !declared.has(name));
  if (extra.length > 0) {
    throw new IrError(`inline: ${extra.join(', ')} ${extra.length > 1 ? 'are not inputs' : 'is not an input'} of the program (${[...declared.keys()].join(', ') || 'none'})`);
  }

  const dims = unifyShapes(program, bindings);
  const mapped = new Map<number, Node>();
  for (const node of topoOrder(program.outputs.map((o) => o.node))) {
    if (node.op === 'input') {
      const name = String(node.attrs.name);
      const bound = bindings.get(name);
      if (bound === undefined) throw new IrError(`inline: input node '${name}' is not among the program's inputs`);
      mapped.set(node.id, bound);
      continue;
    }
    mapped.set(
      node.id,
      b.make(
        node.op,
        node.inputs.map((input) => mapped.get(input.id)!),
        bindAttrDims(node.attrs, dims),
      ),
    );
  }
  return new Map(program.outputs.map((o) => [o.name, mapped.get(o.node.id)!]));
}

/** Symbolic dimension of `program` -> the dimension it takes, from the bound nodes' shapes. */
function unifyShapes(program: Program, bindings: ReadonlyMap<string, Node>): Map<string, Dim> {
  const sources = program.inputs.map(({ name, shape }) => {
    const bound = bindings.get(name)!.shape;
    return { label: `input ${name}`, declared: shape, actual: bound, found: `a node of type ${formatShape(bound)}` };
  });
  return bindDims<Dim>(sources, (message) => new IrError(`inline: ${message}`));
}


