import type { ProbeResult } from './eval-result.ts';
import { auprc } from './metrics/auprc.ts';
import { auroc } from './metrics/auroc.ts';
import { bootstrapIntervals, type BootstrapOptions } from './metrics/bootstrap.ts';
import { fitLinearProbe, probeScores, type LabelledRows, type LinearProbe } from './metrics/linear-probe.ts';

export interface TaskRows {
  readonly train: LabelledRows;
  readonly tuning: LabelledRows;
  readonly heldOut: LabelledRows;
}

export type ProbeOutcome = { readonly result: ProbeResult; readonly probe: LinearProbe } | { readonly skipped: string };

/**
 * The linear probe of one task (metrics/linear-probe.ts): fit on train, λ chosen on tuning, AUROC
 * and AUPRC on held_out with bootstrap intervals from the same resamples. A task whose splits
 * cannot support that (a split without rows, train or held_out with one class) is skipped with the
 * reason.
 */
export function probeTask(task: string, rows: TaskRows, bootstrap: BootstrapOptions): ProbeOutcome {
  const missing = classProblem('train', rows.train) ?? (rows.tuning.x.rows === 0 ? 'tuning has no labelled rows' : undefined) ?? classProblem('held_out', rows.heldOut);
  if (missing !== undefined) return { skipped: missing };
  const probe = fitLinearProbe(rows.train, rows.tuning);
  const scores = probeScores(probe, rows.heldOut.x);
  const y = rows.heldOut.y;
  const intervals = bootstrapIntervals(
    y.length,
    (idx) => {
      const s = Array.from(idx, (i) => scores[i]);
      const l = Array.from(idx, (i) => y[i]);
      const a = auroc(s, l);
      const p = auprc(s, l);
      return a === undefined || p === undefined ? undefined : [a, p];
    },
    bootstrap,
  );
  if (intervals === undefined) return { skipped: 'held_out is too small for bootstrap intervals (most resamples have one class)' };
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  return {
    probe,
    result: {
      task,
      n_train: rows.train.x.rows,
      n_tuning: rows.tuning.x.rows,
      n_held_out: rows.heldOut.x.rows,
      prevalence: positives / y.length,
      lambda: probe.lambda,
      auroc: auroc(scores, y)!,
      auroc_ci: intervals[0],
      auprc: auprc(scores, y)!,
      auprc_ci: intervals[1],
    },
  };
}

function classProblem(split: string, rows: LabelledRows): string | undefined {
  let positives = 0;
  for (let i = 0; i < rows.y.length; i++) positives += rows.y[i];
  if (rows.y.length === 0) return `${split} has no labelled rows`;
  if (positives === 0) return `${split} has no positive label`;
  if (positives === rows.y.length) return `${split} has no negative label`;
  return undefined;
}
