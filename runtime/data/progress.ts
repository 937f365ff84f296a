/**
 * The progress display for long jobs (cohort generation, reading, training), drawn on stderr. On a
 * terminal it redraws one line in place, at most every 100 ms; elsewhere (CI logs, pipes) it prints
 * a plain line, without the bar, each time another 1/plainLines of the job is done, so logs stay
 * short and readable. Jobs smaller than `minTotal` draw nothing: they end before a bar would help.
 *
 * ```ts
 * const bar = createProgress({ label: 'synth', total: n, write: io.stderr, isTty: io.isTty });
 * for (...) bar.tick();
 * bar.finish();
 * ```
 */
export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  /** Where text goes, usually `CommandIo.stderr`. */
  readonly write: (text: string) => void;
  /** Whether `write` goes to a terminal. */
  readonly isTty: boolean;
  /** Width of the terminal line (default 80). */
  readonly columns?: number;
  /** Milliseconds clock (default performance.now); tests pass their own. */
  readonly now?: () => number;
  /** Totals below this draw nothing (default 0: always draw). */
  readonly minTotal?: number;
  /** Unit shown after the counts, e.g. 'patients'. */
  readonly unit?: string;
  /** Plain lines for the whole job (default 4: one per quarter). */
  readonly plainLines?: number;
  /**
   * The text around the bar, replacing `label` and the default tail (percentage, counts, elapsed
   * time, eta): training shows its epoch before the bar and its loss and rate after it.
   */
  readonly describe?: (done: number) => { readonly head: string; readonly tail: string };
}

export interface Progress {
  /** Sets how many of `total` are done. */
  update(done: number): void;
  /** Adds `n` (default 1) to the done count. */
  tick(n?: number): void;
  /** Draws the final state and ends the line. Safe to call twice. */
  finish(): void;
}

const REDRAW_MS = 100;

export function createProgress(options: ProgressOptions): Progress {
  const { label, total, write, isTty } = options;
  const now = options.now ?? (() => performance.now());
  const plainLines = options.plainLines ?? 4;
  const silent = total < (options.minTotal ?? 0) || total <= 0;
  const started = now();
  let done = 0;
  let lastDraw = -Infinity;
  let nextMark = 1;
  let drawnPlain = -1;
  let finished = false;

  const parts = (): { head: string; tail: string } => {
    if (options.describe !== undefined) return options.describe(done);
    const fraction = Math.min(1, done / total);
    const elapsed = (now() - started) / 1000;
    const eta = done > 0 && fraction < 1 ? ` eta ${formatSeconds((elapsed * (total - done)) / done)}` : '';
    const counts = `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${options.unit ? ` ${options.unit}` : ''}`;
    return { head: label, tail: `${String(Math.floor(fraction * 100)).padStart(3)}% ${counts} ${formatSeconds(elapsed)}${eta}` };
  };
  const barLine = (): string => {
    const { head, tail } = parts();
    const width = Math.max(10, (options.columns ?? 80) - head.length - tail.length - 4);
    const filled = Math.round(Math.min(1, done / total) * width);
    return `${head} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tail}`;
  };
  const plainLine = (): string => {
    const { head, tail } = parts();
    drawnPlain = done;
    return `${head} ${tail}\n`;
  };

  const draw = (): void => {
    if (silent) return;
    if (isTty) {
      const t = now();
      if (t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      write(`\r${barLine()}\x1b[K`);
      return;
    }
    let crossed = false;
    while (nextMark <= plainLines && done * plainLines >= nextMark * total) {
      nextMark++;
      crossed = true;
    }
    if (crossed) write(plainLine());
  };

  return {
    update(value: number): void {
      done = Math.max(0, Math.min(total, value));
      draw();
    },
    tick(n = 1): void {
      this.update(done + n);
    },
    finish(): void {
      if (finished) return;
      finished = true;
      if (silent) return;
      if (isTty) write(`\r${barLine()}\x1b[K\n`);
      else if (drawnPlain !== done) write(plainLine());
    },
  };
}

/** `4.2s`, `37s`, `2m05s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
