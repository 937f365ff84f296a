import type { OpDef } from './op-def.ts';
import type { OpName } from './op-names.ts';
import { abs } from './abs.ts';
import { add } from './add.ts';
import { bcastCols } from './bcast-cols.ts';
import { bcastRows } from './bcast-rows.ts';
import { broadcast } from './broadcast.ts';
import { constOp } from './const.ts';
import { diag } from './diag.ts';
import { diagEmbed } from './diag-embed.ts';
import { dimsize } from './dimsize.ts';
import { div } from './div.ts';
import { eigh } from './eigh.ts';
import { eigvals } from './eigvals.ts';
import { eigvecs } from './eigvecs.ts';
import { eq } from './eq.ts';
import { exp } from './exp.ts';
import { eye } from './eye.ts';
import { gather } from './gather.ts';
import { input } from './input.ts';
import { log } from './log.ts';
import { matmul } from './matmul.ts';
import { max } from './max.ts';
import { maximum } from './maximum.ts';
import { min } from './min.ts';
import { minimum } from './minimum.ts';
import { mul } from './mul.ts';
import { neg } from './neg.ts';
import { pad } from './pad.ts';
import { pow } from './pow.ts';
import { relu } from './relu.ts';
import { scatterAdd } from './scatter-add.ts';
import { segmentPool } from './segment-pool.ts';
import { sigmoid } from './sigmoid.ts';
import { sign } from './sign.ts';
import { slice } from './slice.ts';
import { softplus } from './softplus.ts';
import { sqrt } from './sqrt.ts';
import { square } from './square.ts';
import { step } from './step.ts';
import { stopGradient } from './stop-gradient.ts';
import { sub } from './sub.ts';
import { sum } from './sum.ts';
import { sumCols } from './sum-cols.ts';
import { sumRows } from './sum-rows.ts';
import { transpose } from './transpose.ts';

/** Every primitive, listed once, in the order of op-names.ts. A name listed twice is a startup error. */
const ALL: readonly OpDef[] = [
  // leaves
  input,
  constOp,
  eye,
  dimsize,
  // elementwise, one input
  neg,
  exp,
  log,
  sqrt,
  abs,
  square,
  relu,
  softplus,
  sigmoid,
  sign,
  step,
  stopGradient,
  // elementwise, two inputs
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  eq,
  // reductions
  sum,
  max,
  min,
  sumRows,
  sumCols,
  // broadcasts
  broadcast,
  bcastRows,
  bcastCols,
  // linear algebra
  matmul,
  transpose,
  diag,
  diagEmbed,
  eigh,
  eigvals,
  eigvecs,
  // vectors
  pad,
  slice,
  // indexing
  gather,
  scatterAdd,
  segmentPool,
];

const byName = new Map<OpName, OpDef>();
for (const def of ALL) {
  if (byName.has(def.name)) throw new Error(`op '${def.name}' is registered twice`);
  byName.set(def.name, def);
}

export function opDef(name: OpName): OpDef {
  const def = byName.get(name);
  if (def === undefined) throw new Error(`op '${name}' has no definition in compiler/ops/registry.ts`);
  return def;
}

export const registeredOps: readonly OpDef[] = ALL;
