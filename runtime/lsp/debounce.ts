/**
 * Runs one job per key once edits pause: an edit that comes after at least `delayMs` of quiet
 * since the key's last job finished runs at once (in the next turn of the event loop, so edits
 * already queued are taken together); edits in quicker succession wait until `delayMs` have
 * passed, and only the last of them runs. Typing is checked keystroke by keystroke with no added
 * wait; a burst (a paste, a fast typist, a slow check) costs one check per `delayMs`.
 */
export class Debouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly finished = new Map<string, number>();

  constructor(private readonly delayMs: number) {}

  schedule(key: string, job: () => void): void {
    clearTimeout(this.timers.get(key));
    const quiet = performance.now() - (this.finished.get(key) ?? -Infinity);
    const wait = Math.max(0, this.delayMs - quiet);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        try {
          job();
        } finally {
          this.finished.set(key, performance.now());
        }
      }, wait),
    );
  }

  /** Drops the key's pending job and its history (the document was closed). */
  cancel(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.finished.delete(key);
  }
}
