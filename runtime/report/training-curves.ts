import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS_FILE } from '../train/run-folder/open-run-folder.ts';
import { readRunRecord } from '../train/run-folder/run-record.ts';

/**
 * A run's training curves as the report draws them, from `RUN/metrics.jsonl` (one JSON object per
 * step: `loss`, `terms` in the objective's order, `effective_rank` every few steps) and the term
 * names in `RUN/run.json`. Non-finite values, which the log writes as strings ("NaN"), come back
 * as NaN so the charts can break their lines there.
 */
export type Point = readonly [x: number, y: number];

export interface TrainingCurves {
  readonly loss: readonly Point[];
  readonly terms: readonly { readonly name: string; readonly points: readonly Point[] }[];
  readonly effectiveRank: readonly Point[];
}

export const NO_CURVES: TrainingCurves = { loss: [], terms: [], effectiveRank: [] };

/**
 * Parses metrics.jsonl text; `termNames` label the `terms` arrays (a term beyond them is `term K`).
 * A line that does not parse is an error naming the file and line.
 */
export function parseTrainingCurves(text: string, termNames: readonly string[], file: string): TrainingCurves {
  const loss: Point[] = [];
  const terms: { name: string; points: Point[] }[] = [];
  const effectiveRank: Point[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: { step?: unknown; loss?: unknown; terms?: unknown; effective_rank?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      throw new Error(`${file}:${i + 1}: not a JSON object`);
    }
    if (typeof record.step !== 'number') throw new Error(`${file}:${i + 1}: no numeric "step"`);
    const step = record.step;
    loss.push([step, asNumber(record.loss)]);
    if (Array.isArray(record.terms)) {
      record.terms.forEach((v, t) => {
        terms[t] ??= { name: termNames[t] ?? `term ${t + 1}`, points: [] };
        terms[t].points.push([step, asNumber(v)]);
      });
    }
    if (record.effective_rank !== undefined) effectiveRank.push([step, asNumber(record.effective_rank)]);
  });
  return { loss, terms, effectiveRank };
}

/** The curves of the run in `runDir`; NO_CURVES when it has no metrics.jsonl (a run of 0 steps). */
export async function readTrainingCurves(runDir: string): Promise<TrainingCurves> {
  const file = join(runDir, METRICS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return NO_CURVES;
    throw error;
  }
  const record = await readRunRecord(runDir);
  return parseTrainingCurves(text, record?.objective.terms ?? [], file);
}

function asNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
