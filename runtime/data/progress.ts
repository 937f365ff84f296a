/**
 * A small progress bar for long jobs (cohort generation, reading, training epochs), drawn on
 * stderr. On a terminal it redraws one line in place, at most every 100 ms; elsewhere (CI logs,
 * pipes) it prints a plain line at each quarter, so logs stay short and readable. Jobs smaller than
 * `minTotal` draw nothing: they end before a bar would help.
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
  const silent = total < (options.minTotal ?? 0) || total <= 0;
  const started = now();
  let done = 0;
  let lastDraw = -Infinity;
  let nextQuarter = 1;
  let finished = false;

  const line = (): string => {
    const fraction = Math.min(1, done / total);
    const elapsed = (now() - started) / 1000;
    const eta = done > 0 && fraction < 1 ? ` eta ${formatSeconds((elapsed * (total - done)) / done)}` : '';
    const counts = `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${options.unit ? ` ${options.unit}` : ''}`;
    const tail = ` ${String(Math.floor(fraction * 100)).padStart(3)}% ${counts} ${formatSeconds(elapsed)}${eta}`;
    const width = Math.max(10, (options.columns ?? 80) - label.length - tail.length - 4);
    const filled = Math.round(fraction * width);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}`;
  };

  const draw = (force: boolean): void => {
    if (silent) return;
    if (isTty) {
      const t = now();
      if (!force && t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      write(`\r${line()}\x1b[K`);
      return;
    }
    // Plain output: one line per quarter reached.
    let crossed = false;
    while (nextQuarter <= 4 && done * 4 >= nextQuarter * total) {
      nextQuarter++;
      crossed = true;
    }
    if (crossed) write(`${line()}\n`);
  };

  return {
    update(value: number): void {
      done = Math.max(0, Math.min(total, value));
      draw(false);
    },
    tick(n = 1): void {
      this.update(done + n);
    },
    finish(): void {
      if (finished) return;
      finished = true;
      if (silent) return;
      if (isTty) {
        draw(true);
        write('\n');
      } else if (nextQuarter <= 4) {
        done = Math.max(done, 0);
        write(`${line()}\n`);
      }
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
