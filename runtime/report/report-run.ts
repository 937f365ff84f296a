import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS_FILE, parseEvalResult, type EvalResult } from '../eval/eval-result.ts';
import { parseNpy } from '../io/npy.ts';
import { readTrainingCurves, type TrainingCurves } from './training-curves.ts';

/**
 * Everything the reports draw of one evaluated run: its metrics.json, the covariance spectrum
 * (kept beside it as a .npy, not in the JSON) and its training curves. `label` names the run in
 * legends and tables.
 */
export interface ReportRun {
  readonly label: string;
  readonly result: EvalResult;
  readonly spectrum: readonly number[];
  readonly curves: TrainingCurves;
}

export const EVAL_DIR = 'eval';

/** Reads the evaluated run in `runDir`; errors name the file that is missing or wrong. */
export async function readReportRun(runDir: string, label: string): Promise<ReportRun> {
  const evalDir = join(runDir, EVAL_DIR);
  const metricsFile = join(evalDir, METRICS_FILE);
  const result = parseEvalResult(await readFile(metricsFile, 'utf8'), metricsFile);
  const spectrumFile = join(evalDir, result.geometry.spectrum_file);
  let spectrum: number[];
  try {
    spectrum = Array.from(parseNpy(new Uint8Array(await readFile(spectrumFile))).data, Number);
  } catch (error) {
    throw new Error(`${spectrumFile}: ${(error as Error).message}`);
  }
  return { label, result, spectrum, curves: await readTrainingCurves(runDir) };
}
