import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvalResult, type EvalResult } from '../../../runtime/eval/eval-result.ts';
import type { ReportRun } from '../../../runtime/report/report-run.ts';
import { parseTrainingCurves } from '../../../runtime/report/training-curves.ts';

/** The eval fixture (test/fixtures/eval/metrics.json) as a report run, with a spectrum and curves written here. */
export const FIXTURE_FILE = join(import.meta.dirname, '..', '..', 'fixtures', 'eval', 'metrics.json');

export function fixtureResult(): EvalResult {
  return parseEvalResult(readFileSync(FIXTURE_FILE, 'utf8'), FIXTURE_FILE);
}

export const FIXTURE_METRICS_JSONL = [0, 1, 2, 3, 4, 5]
  .map((step) => JSON.stringify({ step, epoch: 0, loss: 3 - step * 0.4, terms: [2 - step * 0.3, 1 - step * 0.1], grad_norm: 1, steps_per_s: 10, seconds: step, ...(step % 2 === 1 ? { effective_rank: 2 + step * 0.3 } : {}) }))
  .join('\n');

export function fixtureRun(label = 'card', change: (r: EvalResult) => EvalResult = (r) => r): ReportRun {
  return {
    label,
    result: change(fixtureResult()),
    spectrum: [2, 1, 0.5, 0.01],
    curves: parseTrainingCurves(FIXTURE_METRICS_JSONL, ['balance(spectrum(Z))', '0.5*ortho(Z)'], 'metrics.jsonl'),
  };
}
