import { describe, expect, it } from 'vitest';
import { measureAlignment } from '../../../runtime/eval/alignment.ts';
import { measureLatentR2 } from '../../../runtime/eval/latent-r2.ts';
import { probeTask } from '../../../runtime/eval/probe-task.ts';
import { measureStability, STABILITY_MIN_SUBJECTS } from '../../../runtime/eval/stability.ts';
import { matmul, normals, randomRows } from '../../helpers/linalg64.ts';
import { fromRows, randomOrthogonal } from './helpers.ts';

const BOOTSTRAP = { resamples: 200, level: 0.95, seed: 3 };

describe('stability across windows', () => {
  it('gives CKA 1 and zero angles when each window is a scaled, shifted copy of the first, and skips thin pairs', () => {
    const subjects = 30;
    const base = randomRows(1, subjects, 12).map((r) => r.map((v, j) => v * (12 - j)));
    const rows: number[][] = [];
    const subject: number[] = [];
    const windowIndex: number[] = [];
    for (let t = 0; t < 3; t++) {
      // Window 2 only for the first 10 subjects: too few to compare with window 1.
      for (let s = 0; s < (t === 2 ? 10 : subjects); s++) {
        rows.push(base[s].map((v) => (t + 1) * v + t));
        subject.push(s);
        windowIndex.push(t);
      }
    }
    expect(10).toBeLessThan(STABILITY_MIN_SUBJECTS);
    const result = measureStability(fromRows(rows), subject, windowIndex)!;
    expect(result.window).toEqual([0]);
    expect(result.n_subjects).toEqual([subjects]);
    expect(result.k).toBe(8);
    expect(result.cka_consecutive[0]).toBeCloseTo(1, 9);
    result.principal_angles_deg[0].forEach((a) => expect(a).toBeLessThan(1e-5));
  });

  it('sees a rotation: CKA stays 1, the top-8 subspace of 12 dimensions turns', () => {
    const base = randomRows(1, 30, 12).map((r) => r.map((v, j) => v * (12 - j)));
    const turned = matmul(base, randomOrthogonal(3, 12));
    const result = measureStability(fromRows([...base, ...turned]), [...base.keys(), ...base.keys()], [...base.map(() => 0), ...base.map(() => 1)])!;
    expect(result.cka_consecutive[0]).toBeCloseTo(1, 9);
    expect(Math.max(...result.principal_angles_deg[0])).toBeGreaterThan(10);
  });

  it('is null without two consecutive windows', () => {
    expect(measureStability(fromRows(randomRows(2, 25, 3)), Array.from({ length: 25 }, (_, i) => i), new Array(25).fill(0))).toBeNull();
  });
});

describe('alignment of E and T', () => {
  it('is CKA 1 with zero angles for T a rotated E, and lower for unrelated embeddings', () => {
    const e = randomRows(4, 40, 12);
    const same = measureAlignment(fromRows(e), fromRows(matmul(e, randomOrthogonal(5, 12))));
    expect(same.cka).toBeCloseTo(1, 9);
    expect(same.k).toBe(8);
    const other = measureAlignment(fromRows(e), fromRows(randomRows(6, 40, 12)));
    expect(other.cka).toBeLessThan(0.6);
    expect(Math.max(...other.principal_angles_deg)).toBeGreaterThan(20);
  });
});

describe('a probe of one task', () => {
  const labelled = (seed: number, n: number, signal: number): { x: ReturnType<typeof fromRows>; y: number[] } => {
    const next = normals(seed);
    const x = randomRows(seed + 1, n, 3);
    return { x: fromRows(x), y: x.map((r) => (signal * r[0] + next() > 0.5 ? 1 : 0)) };
  };

  it('finds the signal, with intervals around its estimates', () => {
    const outcome = probeTask('t', { train: labelled(1, 300, 3), tuning: labelled(2, 100, 3), heldOut: labelled(3, 200, 3) }, BOOTSTRAP);
    if ('skipped' in outcome) throw new Error(outcome.skipped);
    const r = outcome.result;
    expect(r.auroc).toBeGreaterThan(0.8);
    expect(r.auroc_ci[0]).toBeLessThanOrEqual(r.auroc);
    expect(r.auroc_ci[1]).toBeGreaterThanOrEqual(r.auroc);
    expect(r.auprc_ci[0]).toBeLessThanOrEqual(r.auprc);
    expect(r.n_held_out).toBe(200);
  });

  it('is skipped, with the reason, when held_out has one class', () => {
    const heldOut = labelled(3, 50, 3);
    const outcome = probeTask('t', { train: labelled(1, 100, 3), tuning: labelled(2, 50, 3), heldOut: { x: heldOut.x, y: heldOut.y.map(() => 0) } }, BOOTSTRAP);
    expect(outcome).toEqual({ skipped: 'held_out has no positive label' });
  });
});

describe('latent R²', () => {
  it('is near 1 when the latents are a linear map of the embedding, near 0 when unrelated', () => {
    const map = randomRows(9, 5, 3);
    const split = (seed: number, n: number, related: boolean) => {
      const x = randomRows(seed, n, 5);
      return { x: fromRows(x), y: fromRows(related ? matmul(x, map) : randomRows(seed + 100, n, 3)) };
    };
    const good = measureLatentR2(split(1, 200, true), split(2, 80, true), split(3, 80, true));
    if (typeof good === 'string') throw new Error(good);
    expect(good.r2).toBeGreaterThan(0.99);
    expect(good.n_latents).toBe(3);
    const none = measureLatentR2(split(4, 200, false), split(5, 80, false), split(6, 80, false));
    if (typeof none === 'string') throw new Error(none);
    expect(none.r2).toBeLessThan(0.1);
  });
});
