/**
 * The training progress line on stderr: epoch, step/total, loss, steps/s and the live effective
 * rank. On a terminal one line is redrawn in place (at most every 100 ms); elsewhere (CI logs,
 * pipes) a plain line is printed at every tenth of the run and at the end.
 */
export interface TrainProgressOptions {
  readonly totalSteps: number;
  readonly epochs: number;
  readonly write: (text: string) => void;
  readonly isTty: boolean;
  readonly columns?: number;
  readonly now?: () => number;
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

const REDRAW_MS = 100;

export function createTrainProgress(options: TrainProgressOptions): TrainProgress {
  const { totalSteps, epochs, write, isTty } = options;
  const now = options.now ?? (() => performance.now());
  let last: TrainSnapshot | undefined;
  let lastDraw = -Infinity;
  let lastPlainTenth = -1;
  let drawnPlainStep = -1;
  let finished = false;

  const line = (s: TrainSnapshot, bar: boolean): string => {
    const stepText = `step ${s.step}/${totalSteps}`;
    const rank = s.effectiveRank === undefined || Number.isNaN(s.effectiveRank) ? '-' : s.effectiveRank.toFixed(1);
    const rate = s.stepsPerSecond > 0 && Number.isFinite(s.stepsPerSecond) ? s.stepsPerSecond.toFixed(s.stepsPerSecond < 10 ? 2 : 1) : '-';
    const eta = s.stepsPerSecond > 0 && s.step < totalSteps ? ` eta ${formatSeconds((totalSteps - s.step) / s.stepsPerSecond)}` : '';
    const tail = `${stepText} loss ${formatLoss(s.loss)} ${rate} steps/s effrank ${rank}${eta}`;
    const head = `epoch ${Math.min(s.epoch + 1, epochs)}/${epochs}`;
    if (!bar) return `${head} ${tail}`;
    const width = Math.max(10, (options.columns ?? 100) - head.length - tail.length - 5);
    const filled = Math.round((Math.min(s.step, totalSteps) / Math.max(1, totalSteps)) * width);
    return `${head} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tail}`;
  };

  return {
    update(snapshot: TrainSnapshot): void {
      last = snapshot;
      if (isTty) {
        const t = now();
        if (t - lastDraw < REDRAW_MS) return;
        lastDraw = t;
        write(`\r${line(snapshot, true)}\x1b[K`);
        return;
      }
      const tenth = Math.floor((10 * snapshot.step) / Math.max(1, totalSteps));
      if (tenth > lastPlainTenth) {
        lastPlainTenth = tenth;
        drawnPlainStep = snapshot.step;
        write(`${line(snapshot, false)}\n`);
      }
    },
    finish(): void {
      if (finished) return;
      finished = true;
      if (last === undefined) return;
      if (isTty) write(`\r${line(last, true)}\x1b[K\n`);
      else if (drawnPlainStep !== last.step) write(`${line(last, false)}\n`);
    },
  };
}

function formatLoss(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toFixed(4);
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
