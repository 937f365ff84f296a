import type { OpName } from '../ops/registry.ts';
import type { Shape } from './shape.ts';

/**
 * Attribute values are plain data so that they can be part of an interning key. By convention the
 * attributes named `shape`, `n`, `dim`, `rows`, `cols` and `length` hold dimensions (numbers or
 * symbolic names), which specialisation binds to numbers; no other attribute does.
 */
export type AttrValue = number | string | readonly (number | string)[];
export type Attrs = Readonly<Record<string, AttrValue>>;

/**
 * One node of the IR: a hash-consed DAG. Nodes are created only by `IrBuilder.make`, which
 * returns the existing node for an equal (op, inputs, attrs) key, so identical subexpressions are
 * one node and node identity is value identity within a builder.
 */
export interface Node {
  readonly id: number;
  readonly op: OpName;
  readonly inputs: readonly Node[];
  readonly attrs: Attrs;
  /** The node's shape; for the tuple-valued `eigh` it is the shape of its vectors output. */
  readonly shape: Shape;
}

/** A program: named outputs over named inputs. Output names are `value` and `grad:<input>`. */
export interface Program {
  readonly inputs: readonly ProgramInput[];
  readonly outputs: readonly ProgramOutput[];
}

export interface ProgramInput {
  /** The input's name as written in the source, e.g. `Z_t+1`. */
  readonly name: string;
  readonly shape: Shape;
}

export interface ProgramOutput {
  readonly name: string;
  readonly node: Node;
}

/** Every node reachable from `roots`, each after all of its inputs. */
export function topoOrder(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<number>();
  // Iterative, so that deep programs cannot overflow the stack.
  const stack: { node: Node; expanded: boolean }[] = roots.map((node) => ({ node, expanded: false })).reverse();
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.node);
      continue;
    }
    if (seen.has(top.node.id)) continue;
    seen.add(top.node.id);
    stack.push({ node: top.node, expanded: true });
    for (let i = top.node.inputs.length - 1; i >= 0; i--) {
      const input = top.node.inputs[i];
      if (!seen.has(input.id)) stack.push({ node: input, expanded: false });
    }
  }
  return order;
}
