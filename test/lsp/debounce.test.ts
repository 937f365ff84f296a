import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from '../../runtime/lsp/debounce.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Debouncer', () => {
  it('runs an edit that follows a quiet spell in the next turn, with no added wait', () => {
    const runs: number[] = [];
    const debouncer = new Debouncer(10);
    debouncer.schedule('a', () => runs.push(performance.now()));
    vi.advanceTimersByTime(0);
    expect(runs).toEqual([0]);
    vi.advanceTimersByTime(50);
    debouncer.schedule('a', () => runs.push(performance.now()));
    vi.advanceTimersByTime(0);
    expect(runs).toEqual([0, 50]);
  });

  it('runs the last of a burst, never before delay ms of quiet since the previous run, and nothing after it', () => {
    // Gaps between schedules of one key, in ms; each schedule's job records its own index.
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 20 }), (gaps, delay) => {
        vi.clearAllTimers();
        const debouncer = new Debouncer(delay);
        const runs: { job: number; at: number }[] = [];
        gaps.forEach((gap, job) => {
          vi.advanceTimersByTime(gap);
          debouncer.schedule('a', () => runs.push({ job, at: performance.now() }));
        });
        vi.advanceTimersByTime(delay + 1);
        // The last edit is always checked, and it is the last check.
        expect(runs.at(-1)?.job).toBe(gaps.length - 1);
        // Jobs run in order, each a later edit than the one before, at least `delay` apart.
        for (let i = 1; i < runs.length; i++) {
          expect(runs[i].job).toBeGreaterThan(runs[i - 1].job);
          expect(runs[i].at - runs[i - 1].at).toBeGreaterThanOrEqual(delay);
        }
        debouncer.cancel('a');
      }),
    );
  });

  it('keeps keys apart, and cancel drops a pending job', () => {
    const runs: string[] = [];
    const debouncer = new Debouncer(10);
    debouncer.schedule('a', () => runs.push('a'));
    debouncer.schedule('b', () => runs.push('b'));
    debouncer.cancel('a');
    vi.advanceTimersByTime(20);
    expect(runs).toEqual(['b']);
  });
});
