import { createHash } from 'node:crypto';
import type { Cohort } from '../../data/cohort.ts';
import { DEFAULT_WINDOW_DAYS } from '../../data/windows.ts';
import { codeTableRows, fitCodeTable, type CodeTable } from './code-table.ts';
import { fitLabFeatures, type LabFeatures } from './lab-features.ts';

/**
 * Everything needed to turn a subject's window of data into encoder inputs, fitted on the training
 * subjects and saved with the run (`RUN/featurizer.json`) so that embeddings can be recomputed
 * later, on this dataset or another one in the same coding:
 * - the code table (kept codes + hash buckets, see code-table.ts);
 * - the lab features (codes with numeric values, their means and deviations, see lab-features.ts);
 * - the notes' hashing size (see text-tokens.ts);
 * - the time-decay constant and the window width the windows were cut with.
 */
export interface Featurizer {
  readonly format: 'dflc-featurizer';
  readonly version: 1;
  readonly windowDays: number;
  /** Events weigh exp(-(window end - time) / tau) before normalisation; tau in days. */
  readonly tauDays: number;
  readonly codes: CodeTable;
  readonly labs: LabFeatures;
  readonly textRows: number;
}

export interface FeaturizerOptions {
  readonly windowDays?: number;
  readonly tauDays?: number;
  readonly maxCodes?: number;
  readonly codeBuckets?: number;
  readonly maxLabs?: number;
  readonly textRows?: number;
}

export const FEATURIZER_DEFAULTS = {
  windowDays: DEFAULT_WINDOW_DAYS,
  tauDays: 30,
  maxCodes: 2048,
  codeBuckets: 256,
  maxLabs: 32,
  textRows: 4096,
} as const satisfies Required<FeaturizerOptions>;

/** Fits a featurizer on the subjects marked in `train` (1 = a training subject). */
export function fitFeaturizer(cohort: Cohort, train: Uint8Array, options: FeaturizerOptions = {}): Featurizer {
  const o = { ...FEATURIZER_DEFAULTS, ...stripUndefined(options) };
  if (!(o.tauDays > 0)) throw new RangeError(`tau must be positive, got ${o.tauDays} days`);
  if (!Number.isInteger(o.textRows) || o.textRows < 1) throw new RangeError(`text rows must be a positive integer, got ${o.textRows}`);
  return {
    format: 'dflc-featurizer',
    version: 1,
    windowDays: o.windowDays,
    tauDays: o.tauDays,
    codes: fitCodeTable(cohort, train, { maxCodes: o.maxCodes, buckets: o.codeBuckets }),
    labs: fitLabFeatures(cohort, train, o.maxLabs),
    textRows: o.textRows,
  };
}

/** The model sizes the featurizer fixes. A dataset without numeric values still gets one (always 0) lab input. */
export function featurizerSizes(f: Featurizer): { codeRows: number; labFeatures: number; textRows: number } {
  return { codeRows: codeTableRows(f.codes), labFeatures: Math.max(1, f.labs.codes.length), textRows: f.textRows };
}

export function featurizerHash(f: Featurizer): string {
  return createHash('sha256').update(JSON.stringify(f)).digest('hex');
}

/** Parses and checks a saved featurizer (`RUN/featurizer.json`). */
export function parseFeaturizer(text: string, file: string): Featurizer {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  const f = value as Partial<Featurizer> | null;
  const ok =
    f !== null &&
    typeof f === 'object' &&
    f.format === 'dflc-featurizer' &&
    f.version === 1 &&
    typeof f.windowDays === 'number' &&
    typeof f.tauDays === 'number' &&
    typeof f.textRows === 'number' &&
    Array.isArray(f.codes?.kept) &&
    typeof f.codes?.buckets === 'number' &&
    Array.isArray(f.labs?.codes) &&
    Array.isArray(f.labs?.mean) &&
    Array.isArray(f.labs?.std);
  if (!ok) throw new Error(`${file}: not a dflc featurizer (format 'dflc-featurizer', version 1)`);
  return f as Featurizer;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
