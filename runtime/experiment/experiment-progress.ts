/**
 * The experiment's progress line: which run of how many, what it is doing, the time spent and
 * the time left, estimated from the runs finished so far (their mean wall time times the runs to
 * go, less what the current run has already taken; unknown until the first run ends).
 */
export function progressLine(done: number, total: number, current: string, elapsedMs: number, finishedMs: number): string {
  const left = done === 0 ? 'time left known after the first run' : `about ${duration(Math.max(0, ((total - done) * finishedMs) / done - (elapsedMs - finishedMs)))} left`;
  return `[${Math.min(done + 1, total)}/${total}] ${current} · ${duration(elapsedMs)} elapsed, ${left}`;
}

/** 75 s -> "1 min 15 s", 8 s -> "8 s". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}
