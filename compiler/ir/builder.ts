import { opDef } from '../ops/registry.ts';
import { isShapeError } from '../ops/op-def.ts';
import type { OpName } from '../ops/registry.ts';
import type { AttrValue, Attrs, Node } from './node.ts';
import { formatShape } from './shape.ts';
import { IrError, IrShapeError } from './ir-error.ts';

// JSON.stringify would write NaN and ±Infinity all as `null` and -0 as `0`; String keeps them apart.
function scalarKey(value: number | string): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return Object.is(value, -0) ? '-0' : String(value);
}

function attrKey(value: AttrValue): string {
  return Array.isArray(value) ? `[${value.map(scalarKey).join(',')}]` : scalarKey(value as number | string);
}

function keyOf(op: OpName, inputs: readonly Node[], attrs: Attrs): string {
  const attrPart = Object.keys(attrs)
    .sort()
    .map((k) => `${k}=${attrKey(attrs[k])}`)
    .join(';');
  return `${op}(${inputs.map((n) => n.id).join(',')}){${attrPart}}`;
}

/**
 * Creates IR nodes. `make` is the only constructor: equal (op, inputs, attrs) give the same node,
 * so common subexpressions are shared from the start. Nodes of different builders must not mix.
 */
export class IrBuilder {
  private readonly table = new Map<string, Node>();
  private nextId = 0;

  make(op: OpName, inputs: readonly Node[], attrs: Attrs = {}): Node {
    const def = opDef(op);
    if (inputs.length !== def.arity) {
      throw new IrError(`${op} takes ${def.arity} inputs, got ${inputs.length}`);
    }
    const ordered = def.facts?.commutative ? [...inputs].sort((a, b) => a.id - b.id) : inputs;
    const key = keyOf(op, ordered, attrs);
    const existing = this.table.get(key);
    if (existing !== undefined) return existing;
    const shape = def.shape(
      ordered.map((n) => n.shape),
      attrs,
    );
    if (isShapeError(shape)) {
      throw new IrShapeError(`${op}(${ordered.map((n) => formatShape(n.shape)).join(', ')}): ${shape.error}`);
    }
    const node: Node = { id: this.nextId++, op, inputs: ordered, attrs, shape };
    this.table.set(key, node);
    return node;
  }

  /** How many distinct nodes this builder has made. */
  get size(): number {
    return this.table.size;
  }
}
