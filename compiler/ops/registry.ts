import type { OpDef } from './op-def.ts';
import { bcastCols } from './bcast-cols.ts';
import { bcastRows } from './bcast-rows.ts';
import { broadcast } from './broadcast.ts';
import { constOp } from './const.ts';
import { diag } from './diag.ts';
import { diagEmbed } from './diag-embed.ts';
import { dimsize } from './dimsize.ts';
import { eigh } from './eigh.ts';
import { eigvals } from './eigvals.ts';
import { eigvecs } from './eigvecs.ts';
import { ELEMENTWISE_OPS } from './elementwise-ops.ts';
import { eye } from './eye.ts';
import { gather } from './gather.ts';
import { input } from './input.ts';
import { matmul } from './matmul.ts';
import { max } from './max.ts';
import { min } from './min.ts';
import { pad } from './pad.ts';
import { scatterAdd } from './scatter-add.ts';
import { segmentPool } from './segment-pool.ts';
import { slice } from './slice.ts';
import { sum } from './sum.ts';
import { sumCols } from './sum-cols.ts';
import { sumRows } from './sum-rows.ts';
import { transpose } from './transpose.ts';

/**
 * Every IR operation, keyed by its name: the one place a primitive's name is written. `OpName` is
 * this record's keys, so backends that type their lowering tables as `Record<OpName, ...>` fail type
 * checking until they handle a new entry. Each entry's own type is kept (`satisfies`), so that the
 * facts the type checker must see (HostFacts, SelectorFacts, InputFacts) reach `HostOpName` below.
 *
 * DFL's surface primitives (`cov`, `corr`, `fro2`, ...) are compositions of these; the IR keeps
 * only what a backend must execute and what the backward pass needs.
 */
export const OPS = {
  // leaves
  input, // attrs {name, shape}
  const: constOp, // attrs {value, shape}: a tensor filled with one number
  eye, // attrs {n}: identity matrix[n, n]
  dimsize, // attrs {dim}: the scalar value of a (possibly symbolic) dimension
  // elementwise (elementwise-ops.ts): one input, or two of equal shape or one of them scalar
  ...ELEMENTWISE_OPS,
  // reductions
  sum, // all entries -> scalar
  max, // all entries -> scalar
  min, // all entries -> scalar
  sum_rows: sumRows, // matrix[r, c] -> vector[c]
  sum_cols: sumCols, // matrix[r, c] -> vector[r]
  // broadcasts
  broadcast, // scalar -> attrs.shape
  bcast_rows: bcastRows, // vector[c] -> matrix[attrs.rows, c]
  bcast_cols: bcastCols, // vector[r] -> matrix[r, attrs.cols]
  // linear algebra
  matmul,
  transpose,
  diag, // matrix[k, k] -> vector[k]
  diag_embed: diagEmbed, // vector[k] -> matrix[k, k]
  eigh, // symmetric matrix[k, k] -> (values vector[k] descending, vectors matrix[k, k] as columns)
  eigvals, // selects eigh's values
  eigvecs, // selects eigh's vectors
  // vectors
  pad, // vector[k] -> vector[attrs.length], zeros appended
  slice, // vector[m] -> vector[attrs.length], the first entries
  // indexing (ids are integers stored as floats)
  gather, // table[V, e], ids[m] -> matrix[m, e]: rows of the table
  scatter_add: scatterAdd, // values[m, e], ids[m] -> matrix[attrs.rows, e]: rows summed into row ids[i]
  segment_pool: segmentPool, // table[V, e], ids[m], weights[m], rows[m] -> matrix[attrs.rows, e]: out[rows[i]] += weights[i] table[ids[i]]
} satisfies Record<string, OpDef>;

/** The name of an IR operation. */
export type OpName = keyof typeof OPS;

type FactsOf<N extends OpName> = NonNullable<(typeof OPS)[N]['facts']>;

/** Ops that run on the host between graphs (facts.runsOnHost): the host kernel table lists them. */
export type HostOpName = { [N in OpName]: FactsOf<N> extends { readonly runsOnHost: true } ? N : never }[OpName];

/** Ops that select a part of a host op's tuple (facts.selectsPart). */
export type SelectorOpName = { [N in OpName]: FactsOf<N> extends { readonly selectsPart: number } ? N : never }[OpName];

/** The program-input leaf (facts.programInput). */
export type InputOpName = { [N in OpName]: FactsOf<N> extends { readonly programInput: true } ? N : never }[OpName];

/** Ops that a graph executor (ONNX) computes itself: every op but inputs, host ops and their selectors. */
export type GraphOpName = Exclude<OpName, HostOpName | SelectorOpName | InputOpName>;

/** Every op name, in the order above. */
export const OP_NAMES = Object.keys(OPS) as readonly OpName[];

export function opDef(name: OpName): OpDef {
  const def: OpDef | undefined = OPS[name];
  if (def === undefined) throw new Error(`op '${name}' has no definition in compiler/ops/registry.ts`);
  return def;
}

/** Given by the caller (facts.programInput). */
export function isProgramInput(op: OpName): op is InputOpName {
  return opDef(op).facts?.programInput === true;
}

/** Computed by the host between graphs (eigh): see OpFacts.runsOnHost. */
export function runsOnHost(op: OpName): op is HostOpName {
  return opDef(op).facts?.runsOnHost === true;
}

/** The part of a host op's tuple that `op` selects, or undefined for an op that selects nothing. */
export function selectedPart(op: OpName): number | undefined {
  return opDef(op).facts?.selectsPart;
}

/** Computed inside a graph: neither given by the caller, nor run on the host, nor a selection. */
export function isGraphOp(op: OpName): op is GraphOpName {
  const facts = opDef(op).facts;
  return !facts?.programInput && !facts?.runsOnHost && facts?.selectsPart === undefined;
}
