import { topoOrder, type Program } from '../ir/node.ts';
import { rebuild } from '../ir/rebuild.ts';
import { FiredCounter, type PassResult } from './pass.ts';

function nodeCount(program: Program): number {
  return topoOrder(program.outputs.map((o) => o.node)).length;
}

/**
 * Common-subexpression elimination and dead-code removal. Interning already makes identical
 * nodes of one builder one node, so this is a plain rebuild into a fresh builder: it keeps only
 * what the outputs reach and merges whatever earlier rewrites made equal. Reports how many
 * nodes went away (usually none inside the pipeline, where every pass is already a rebuild).
 */
export function cse(program: Program): PassResult {
  const { program: out } = rebuild(program);
  const fired = new FiredCounter();
  fired.add('merged-or-dead', nodeCount(program) - nodeCount(out));
  return { program: out, fired: fired.toList() };
}
