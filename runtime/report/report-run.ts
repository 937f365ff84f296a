import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS_FILE, parseEvalResult, type EvalResult } from '../eval/eval-result.ts';
import { EVAL_DIR } from '../eval/evaluate-run.ts';
import { atomicWrite } from '../io/atomic-write.ts';
import { parseNpy } from '../io/npy.ts';
import { renderRunReport } from './run-report.ts';
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

/** An evaluated run's file that is missing or wrong; the message names it. */
export class EvalFileError extends Error {
  override name = 'EvalFileError';
}

/** Reads the evaluated run in `runDir`. */
export async function readReportRun(runDir: string, label: string): Promise<ReportRun> {
  const evalDir = join(runDir, EVAL_DIR);
  const metricsFile = join(evalDir, METRICS_FILE);
  const read = async <T>(file: string, parse: (bytes: Buffer) => T): Promise<T> => {
    try {
      return parse(await readFile(file));
    } catch (error) {
      const message = (error as Error).message;
      throw new EvalFileError(message.startsWith(file) ? message : `${file}: ${message}`);
    }
  };
  const result = await read(metricsFile, (bytes) => parseEvalResult(bytes.toString('utf8'), metricsFile));
  const spectrum = await read(join(evalDir, result.geometry.spectrum_file), (bytes) => Array.from(parseNpy(new Uint8Array(bytes)).data, Number));
  const curves = await readTrainingCurves(runDir).catch((error: Error) => {
    throw new EvalFileError(error.message);
  });
  return { label, result, spectrum, curves };
}

export const REPORT_FILE = 'report.html';

/** Writes `RUN/eval/report.html` for the evaluated run in `runDir`; returns its path. */
export async function writeRunReport(runDir: string, label: string): Promise<string> {
  const file = join(runDir, EVAL_DIR, REPORT_FILE);
  await atomicWrite(file, renderRunReport(await readReportRun(runDir, label)));
  return file;
}
