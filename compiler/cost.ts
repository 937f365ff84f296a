import { Flops } from './ir/flops.ts';
import type { Node, Program } from './ir/node.ts';
import { topoOrder } from './ir/node.ts';
import { opDef } from './ops/registry.ts';

/**
 * FLOP estimates (each op's `cost`, in its op file), as polynomials in the symbolic dimensions so that an unspecialised program
 * still gets a formula (`2·d²·n + 9·d³`). Conventions, per node:
 *  - elementwise ops cost one flop per output entry (transcendentals included: an estimate, not
 *    a cycle count); reductions one per input entry;
 *  - `matmul` [r, k] @ [k, c] costs 2·r·k·c;
 *  - `eigh` of a k×k matrix costs 9·k³ (symmetric QR with eigenvectors, Golub and Van Loan);
 *  - leaves, data movement (transpose, broadcasts, pad, slice, diag, diag_embed) and the
 *    selectors of `eigh`'s outputs cost nothing.
 */


export function nodeFlops(node: Node): Flops {
  return opDef(node.op).cost(node);
}

/** The estimate for a whole program: the sum over its nodes. */
export function programFlops(program: Program): Flops {
  return topoOrder(program.outputs.map((o) => o.node)).reduce((acc, node) => acc.plus(nodeFlops(node)), Flops.ZERO);
}

/**
 * Sizes assumed for dimensions that are still symbolic when a number is wanted: the reference
 * workload of DESIGN.md's engine facts (a batch of n = 4096, width d = 256); any other name is 256.
 */
export const ASSUMED_SIZES: ReadonlyMap<string, number> = new Map([
  ['n', 4096],
  ['d', 256],
]);
export const ASSUMED_OTHER_SIZE = 256;
