import { describe, expect, it } from 'vitest';
import { createTrainProgress } from '../../../../runtime/train/loop/train-progress.ts';

const snap = (step: number) => ({ step, epoch: step > 10 ? 1 : 0, loss: 0.5, stepsPerSecond: 4, effectiveRank: 7.25 });

describe('train progress', () => {
  it('prints a plain line per tenth of the run off a terminal, and the last state once', () => {
    const out: string[] = [];
    const bar = createTrainProgress({ totalSteps: 20, epochs: 2, write: (t) => out.push(t), isTty: false });
    for (let s = 1; s <= 20; s++) bar.update(snap(s));
    bar.finish();
    bar.finish();
    expect(out).toHaveLength(10);
    expect(out[0]).toBe('epoch 1/2 step 2/20 loss 0.5000 4.00 steps/s effrank(batch) 7.3 eta 4.5s\n');
    expect(out.at(-1)).toBe('epoch 2/2 step 20/20 loss 0.5000 4.00 steps/s effrank(batch) 7.3\n');
  });

  it('redraws one line in place on a terminal, at most every 100 ms', () => {
    const out: string[] = [];
    let t = 0;
    const bar = createTrainProgress({ totalSteps: 20, epochs: 2, write: (x) => out.push(x), isTty: true, now: () => t, columns: 100 });
    bar.update(snap(1));
    t = 50;
    bar.update(snap(2));
    t = 150;
    bar.update(snap(3));
    bar.finish();
    expect(out).toHaveLength(3);
    expect(out[0].startsWith('\repoch 1/2 [')).toBe(true);
    expect(out[1]).toContain('step 3/20');
    expect(out[2].endsWith('\x1b[K\n')).toBe(true);
  });
});
