import type { IrBuilder } from '../ir/builder.ts';
import type { Node } from '../ir/node.ts';
import type { OpDef } from './op-def.ts';

/**
 * A linear op of one input is given by its forward rule and its transpose: the vjp maps the
 * cotangent `g` through the transpose and never needs forward values (the input `x` is passed
 * only for its shape).
 */
export function linearUnary(
  spec: Omit<OpDef, 'arity' | 'vjp' | 'facts'> & {
    transpose: (b: IrBuilder, g: Node, x: Node) => Node;
    symmetricOutput?: boolean;
  },
): OpDef {
  const { transpose, symmetricOutput, ...def } = spec;
  return {
    ...def,
    arity: 1,
    facts: symmetricOutput ? { linear: true, symmetricOutput } : { linear: true },
    vjp: (b, node, g) => [[node.inputs[0], transpose(b, g, node.inputs[0])]],
  };
}
