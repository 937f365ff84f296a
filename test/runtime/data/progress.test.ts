import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../runtime/data/progress.ts';

function capture(isTty: boolean, total: number, minTotal = 0) {
  const out: string[] = [];
  let clock = 0;
  const bar = createProgress({ label: 'job', total, write: (t) => out.push(t), isTty, now: () => clock, minTotal, columns: 60 });
  return { out, bar, advance: (ms: number) => (clock += ms) };
}

describe('createProgress', () => {
  it('on a terminal redraws one line in place, at most every 100 ms, and ends it', () => {
    const { out, bar, advance } = capture(true, 1000);
    bar.update(10); // first draw
    bar.update(20); // too soon: skipped
    advance(150);
    bar.update(500);
    advance(10);
    bar.update(1000); // too soon, but finish draws the final state
    bar.finish();
    expect(out.length).toBe(3);
    expect(out.every((line) => line.startsWith('\rjob ['))).toBe(true);
    expect(out[1]).toContain(' 50% 500/1,000');
    expect(out[1]).toMatch(/eta 0\.\ds/);
    expect(out[2]).toContain('100% 1,000/1,000');
    expect(out[2].endsWith('\x1b[K\n')).toBe(true);
  });

  it('elsewhere prints a plain line per quarter, and nothing twice', () => {
    const { out, bar } = capture(false, 8);
    for (let i = 0; i < 8; i++) bar.tick();
    bar.finish();
    bar.finish();
    expect(out.length).toBe(4);
    expect(out.map((l) => /(\d+)%/.exec(l)![1])).toEqual(['25', '50', '75', '100']);
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r') && !l.includes('['))).toBe(true);
  });

  it('prints nothing for jobs below minTotal', () => {
    const { out, bar } = capture(true, 10, 100);
    bar.tick(10);
    bar.finish();
    expect(out).toEqual([]);
  });
});
