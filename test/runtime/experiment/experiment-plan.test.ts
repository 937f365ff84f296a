import { describe, expect, it } from 'vitest';
import { planExperiment } from '../../../runtime/experiment/experiment-plan.ts';
import { duration, progressLine } from '../../../runtime/experiment/experiment-progress.ts';

const base = { seeds: 2, out: '/x', root: '/pkg', data: '/data', task: 'mortality_1y', settings: ['--epochs', '2'] };

describe('planExperiment', () => {
  it('plans every present objective per modality and seed, and names the missing ones', () => {
    const present = new Set(['/pkg/examples/card.dfl', '/pkg/examples/baselines/supervised.dfl']);
    const plan = planExperiment({ ...base, modalities: ['ehr', 'text'], exists: (p) => present.has(p) });
    expect(plan.missing.map((o) => o.name)).toEqual(['vicreg', 'barlow']);
    expect(plan.runs.map((r) => `${r.modality}/${r.objective.name}-${r.seed}`)).toEqual([
      'ehr/card-0', 'ehr/supervised-0', 'ehr/random-0', 'ehr/card-1', 'ehr/supervised-1', 'ehr/random-1',
      'text/card-0', 'text/supervised-0', 'text/random-0', 'text/card-1', 'text/supervised-1', 'text/random-1',
    ]);
  });

  it('gives each run its own folder and the same data and settings, with the objective own flags', () => {
    const plan = planExperiment({ ...base, seeds: 1, modalities: ['multimodal'], exists: () => true });
    const supervised = plan.runs.find((r) => r.objective.name === 'supervised')!;
    expect(supervised.args).toEqual([
      '/pkg/examples/baselines/supervised.dfl', '--data', '/data', '--modality', 'multimodal', '--seed', '0', '--epochs', '2',
      '--label', 'Y=mortality_1y', '--out', '/x/runs/multimodal/supervised-seed0',
    ]);
    const random = plan.runs.find((r) => r.objective.name === 'random')!;
    expect(random.args).toContain('--steps');
    expect(new Set(plan.runs.map((r) => r.dir)).size).toBe(plan.runs.length);
  });
});

describe('progressLine', () => {
  it('says which run of how many, and the time left from the runs finished', () => {
    expect(progressLine(0, 10, 'card · ehr · seed 0: training', 5_000, 0)).toBe('[1/10] card · ehr · seed 0: training · 5 s elapsed, time left known after the first run');
    // Two runs took 60 s; 8 to go at 30 s each, less the 10 s the third has run.
    expect(progressLine(2, 10, 'x', 70_000, 60_000)).toBe('[3/10] x · 1 min 10 s elapsed, about 3 min 50 s left');
    expect(progressLine(10, 10, 'done', 300_000, 300_000)).toBe('[10/10] done · 5 min elapsed, about 0 s left');
  });

  it('writes durations in seconds and minutes', () => {
    expect(duration(8_400)).toBe('8 s');
    expect(duration(75_000)).toBe('1 min 15 s');
    expect(duration(120_000)).toBe('2 min');
  });
});
