import { createProgress, formatSeconds, type ProgressOptions } from '../../data/progress.ts';

/**
 * The training progress line on stderr (runtime/data/progress.ts draws it): epoch, step/total,
 * loss, steps/s and the live effective rank. On a terminal one line is redrawn in place (at most
 * every 100 ms); elsewhere (CI logs, pipes) a plain line is printed at every tenth of the run.
 */
export interface TrainProgressOptions extends Pick<ProgressOptions, 'write' | 'isTty' | 'columns' | 'now'> {
  readonly totalSteps: number;
  readonly epochs: number;
}

export interface TrainSnapshot {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly stepsPerSecond: number;
  readonly effectiveRank: number | undefined;
}

export interface TrainProgress {
  update(snapshot: TrainSnapshot): void;
  /** Ends the line (terminal) or prints the last state (plain). Safe to call twice. */
  finish(): void;
}

export function createTrainProgress(options: TrainProgressOptions): TrainProgress {
  const { totalSteps, epochs } = options;
  let last: TrainSnapshot | undefined;
  const describe = () => {
    const s = last!;
    const rank = s.effectiveRank === undefined || Number.isNaN(s.effectiveRank) ? '-' : s.effectiveRank.toFixed(1);
    const rate = s.stepsPerSecond > 0 && Number.isFinite(s.stepsPerSecond) ? s.stepsPerSecond.toFixed(s.stepsPerSecond < 10 ? 2 : 1) : '-';
    const eta = s.stepsPerSecond > 0 && s.step < totalSteps ? ` eta ${formatSeconds((totalSteps - s.step) / s.stepsPerSecond)}` : '';
    return {
      head: `epoch ${Math.min(s.epoch + 1, epochs)}/${epochs}`,
      tail: `step ${s.step}/${totalSteps} loss ${formatLoss(s.loss)} ${rate} steps/s effrank(batch) ${rank}${eta}`,
    };
  };
  const bar = createProgress({ ...options, label: 'training', total: Math.max(1, totalSteps), columns: options.columns ?? 100, plainLines: 10, describe });
  return {
    update(snapshot: TrainSnapshot): void {
      last = snapshot;
      bar.update(snapshot.step);
    },
    finish(): void {
      if (last !== undefined) bar.finish();
    },
  };
}

function formatLoss(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toFixed(4);
}
