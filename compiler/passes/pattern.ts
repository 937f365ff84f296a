import type { Node } from '../ir/node.ts';
import type { OpName } from '../ops/registry.ts';
import { opDef } from '../ops/registry.ts';

/**
 * Tree patterns over IR nodes, the left-hand sides of rewrite rules. A pattern is plain data:
 * `op('add', [v('x'), lit(0)])` matches `x + 0` and binds `x`. A variable used twice must bind the
 * same node (interning makes equal subexpressions one node, so `op('sub', [v('x'), v('x')])` is
 * `x - x`). Operands of commutative ops (per the op's `facts`) match in either order.
 */
export type Pattern = VarPattern | OpPattern;

export interface VarPattern {
  readonly kind: 'var';
  readonly name: string;
  readonly where?: (node: Node) => boolean;
}

export interface OpPattern {
  readonly kind: 'op';
  readonly op: OpName;
  readonly inputs: readonly Pattern[];
  /** Binds the matched node itself. */
  readonly name?: string;
  /** A side condition on the node, checked after its inputs have matched. */
  readonly where?: (node: Node) => boolean;
}

/** The nodes a match bound, by variable name. */
export type Bindings = Readonly<Record<string, Node>>;

/** Any node (optionally satisfying `where`), bound to `name`. */
export function v(name: string, where?: (node: Node) => boolean): VarPattern {
  return { kind: 'var', name, where };
}

/** A node of op `op` whose inputs match `inputs`. */
export function op(name: OpName, inputs: readonly Pattern[], options: { name?: string; where?: (node: Node) => boolean } = {}): OpPattern {
  return { kind: 'op', op: name, inputs, ...options };
}

/** A `const` whose fill value is `value`. */
export function lit(value: number): OpPattern {
  return op('const', [], { where: (node) => node.attrs.value === value });
}

/** Any `const` whose fill value satisfies `where`, bound to `name`. */
export function konst(name: string, where: (value: number) => boolean = () => true): OpPattern {
  return op('const', [], { name, where: (node) => where(node.attrs.value as number) });
}

function* matchAll(pattern: Pattern, node: Node, env: Record<string, Node>): Generator<Record<string, Node>> {
  if (pattern.kind === 'var') {
    if (pattern.where !== undefined && !pattern.where(node)) return;
    const bound = env[pattern.name];
    if (bound !== undefined) {
      if (bound === node) yield env;
      return;
    }
    yield { ...env, [pattern.name]: node };
    return;
  }
  if (node.op !== pattern.op || node.inputs.length !== pattern.inputs.length) return;
  // `where` is a side condition, checked once the inputs have matched (it may look at them).
  const where = pattern.where;
  let start = env;
  if (pattern.name !== undefined) {
    const bound = env[pattern.name];
    if (bound !== undefined && bound !== node) return;
    start = { ...env, [pattern.name]: node };
  }
  const orders: (readonly Node[])[] = [node.inputs];
  if (node.inputs.length === 2 && opDef(node.op).facts?.commutative && node.inputs[0] !== node.inputs[1]) {
    orders.push([node.inputs[1], node.inputs[0]]);
  }
  for (const inputs of orders) {
    for (const bound of matchInputs(pattern.inputs, inputs, 0, start)) {
      if (where === undefined || where(node)) yield bound;
    }
  }
}

function* matchInputs(
  patterns: readonly Pattern[],
  inputs: readonly Node[],
  i: number,
  env: Record<string, Node>,
): Generator<Record<string, Node>> {
  if (i === patterns.length) {
    yield env;
    return;
  }
  for (const next of matchAll(patterns[i], inputs[i], env)) yield* matchInputs(patterns, inputs, i + 1, next);
}

/** Every way `pattern` matches `node` (more than one only through commutative operands). */
export function matches(pattern: Pattern, node: Node): Generator<Bindings> {
  return matchAll(pattern, node, {});
}

/** The first way `pattern` matches `node`, or undefined. */
export function match(pattern: Pattern, node: Node): Bindings | undefined {
  for (const bindings of matches(pattern, node)) return bindings;
  return undefined;
}
