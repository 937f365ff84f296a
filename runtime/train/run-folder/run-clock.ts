import { roundDecimals } from '../round-decimals.ts';

/**
 * The `timings` of run.json: seconds (to the millisecond) per phase of a run, keyed in the order
 * the phases ran (read_s, featurize_s, compile_s, train_s, embed_s), then total_s and steps_per_s.
 * A phase runs from the end of the previous one, or from `restart()` when the time in between
 * (generating the bundled cohort, loading the backend, writing the run folder) belongs to none.
 */
export interface RunClock {
  /** Starts the next phase now. */
  restart(): void;
  /** Ends the current phase as `name`; the next one starts now. */
  lap(name: string): void;
  /** The phases, total_s since the clock was made, and the speed of the training phase. */
  finish(training: { readonly stepsRun: number; readonly seconds: number }): Record<string, number>;
}

export function createRunClock(): RunClock {
  const t0 = performance.now();
  let since = t0;
  const timings: Record<string, number> = {};
  return {
    restart() {
      since = performance.now();
    },
    lap(name) {
      const t = performance.now();
      timings[name] = roundDecimals((t - since) / 1000, 3);
      since = t;
    },
    finish({ stepsRun, seconds }) {
      timings.total_s = roundDecimals((performance.now() - t0) / 1000, 3);
      timings.steps_per_s = seconds > 0 ? roundDecimals(stepsRun / seconds, 3) : 0;
      return timings;
    },
  };
}
