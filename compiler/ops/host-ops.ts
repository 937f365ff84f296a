import type { Node } from '../ir/node.ts';
import { formatShape } from '../ir/shape.ts';
import type { HostFacts } from './op-def.ts';
import { OP_NAMES, opDef, runsOnHost, type OpName } from './registry.ts';

/** The host ops among `ops` counted in words, one count per host op: `1 symmetric eigendecomposition`. */
export function countHostOps(ops: readonly OpName[]): string {
  return OP_NAMES.filter(runsOnHost)
    .map((name) => {
      const count = ops.filter((op) => op === name).length;
      return `${count} ${(opDef(name).facts as HostFacts).noun}${count === 1 ? '' : 's'}`;
    })
    .join(', ');
}

/** A node's type as printed: its shape, or for a tuple-valued (host) op the shapes of its parts. */
export function formatValueType(node: Node): string {
  const parts = opDef(node.op).partShapes;
  return parts === undefined ? formatShape(node.shape) : `(${parts(node.shape).map(formatShape).join(', ')})`;
}
