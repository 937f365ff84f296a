import type { Cohort } from '../../data/cohort.ts';
import { fnvBucket } from './fnv1a.ts';

/**
 * The rows of the code embedding table: the most frequent codes of the training subjects each get
 * their own row (most frequent first, ties by code string, so the table does not depend on the
 * dataset's file order); every other code, including codes never seen in training, hashes with
 * FNV-1a into one of `buckets` rows after them. `rows` = kept + buckets is the model's `codeRows`.
 */
export interface CodeTable {
  /** The kept codes; code `kept[i]` is row i. */
  readonly kept: readonly string[];
  readonly buckets: number;
}

export interface CodeTableOptions {
  /** At most this many codes get their own row. */
  readonly maxCodes: number;
  /** Hash rows for every other code (at least 1). */
  readonly buckets: number;
  /** A code needs at least this many training events to be kept (default 1). */
  readonly minCount?: number;
}

export function fitCodeTable(cohort: Cohort, train: Uint8Array, options: CodeTableOptions): CodeTable {
  if (!(options.buckets >= 1)) throw new RangeError(`code buckets must be at least 1, got ${options.buckets}`);
  const counts = new Float64Array(cohort.vocabulary.codes.length);
  const { eventOffset } = cohort.subjects;
  for (let s = 0; s < cohort.subjects.count; s++) {
    if (train[s] !== 1) continue;
    for (let e = eventOffset[s]; e < eventOffset[s + 1]; e++) counts[cohort.events.code[e]]++;
  }
  const minCount = options.minCount ?? 1;
  const codes = cohort.vocabulary.codes;
  const candidates: number[] = [];
  for (let c = 0; c < codes.length; c++) if (counts[c] >= minCount) candidates.push(c);
  candidates.sort((a, b) => counts[b] - counts[a] || (codes[a] < codes[b] ? -1 : codes[a] > codes[b] ? 1 : 0));
  return { kept: candidates.slice(0, Math.max(0, options.maxCodes)).map((c) => codes[c]), buckets: options.buckets };
}

export function codeTableRows(table: CodeTable): number {
  return table.kept.length + table.buckets;
}

/** The table row of every code of `codes` (a cohort's vocabulary), as an Int32Array. */
export function codeRowsOf(table: CodeTable, codes: readonly string[]): Int32Array {
  const index = new Map(table.kept.map((code, i) => [code, i]));
  return Int32Array.from(codes, (code) => index.get(code) ?? table.kept.length + fnvBucket(code, table.buckets));
}
