import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS_FILE } from '../eval/eval-result.ts';
import { EVAL_DIR, evaluateRun, type EvalOutcome, type EvalRequest } from '../eval/evaluate-run.ts';
import { writeRunReport } from './report-run.ts';

/**
 * What `dflc eval RUN` writes (metrics.json, spectrum.npy, report.html): `dflc eval` itself, `dflc
 * compare` for the runs that have no metrics.json yet, `dflc experiment` for each run it trains.
 */
export async function evaluateWithReport(request: EvalRequest): Promise<EvalOutcome & { readonly report: string }> {
  const outcome = await evaluateRun(request);
  return { ...outcome, report: await writeRunReport(request.runDir, outcome.result.run.objective) };
}

/** Whether `runDir` has been evaluated (has eval/metrics.json). */
export async function isEvaluated(runDir: string): Promise<boolean> {
  return access(join(runDir, EVAL_DIR, METRICS_FILE)).then(
    () => true,
    () => false,
  );
}
