import type { Rng } from '../prng.ts';
import { MICROS_PER_DAY, MICROS_PER_SECOND } from '../time.ts';
import { ACUTE_DIMS, CHRONIC_DIMS, DIM, LATENT_SIZE, MONTH_US, sigmoid } from './latent-model.ts';

/**
 * Visits: when the subject meets the health system. Their timing is irregular and driven by the
 * latent state (sicker subjects come more often; acute episodes bring emergency visits and
 * admissions), which is how real EHR data are sampled: informatively, not on a grid.
 */
export const OUTPATIENT = 0;
export const ED = 1;
export const INPATIENT = 2;
export type VisitType = typeof OUTPATIENT | typeof ED | typeof INPATIENT;

export interface Visit {
  type: VisitType;
  /** Microseconds. */
  start: number;
  /** The time of the visit's last event (the discharge for a stay). */
  end: number;
  /** The latent month whose state the visit's events are drawn from. */
  month: number;
  /** Length of stay in whole days (stays only). */
  losDays: number;
  /** Kept when visits overlap: placed by the outcome constraints. */
  protected: boolean;
  /** Emit a chronic kidney disease code / an abnormal HbA1c / a COPD exacerbation at this visit. */
  forceCkd: boolean;
  forceHba1c: boolean;
  forceCopd: boolean;
}

const MINUTE = 60 * MICROS_PER_SECOND;
const HOUR = 60 * MINUTE;
export const OUTPATIENT_DURATION = 90 * MINUTE;
export const ED_DURATION = 6 * HOUR;

export function maxAcute(z: ArrayLike<number>, offset = 0): number {
  let m = -Infinity;
  for (const d of ACUTE_DIMS) m = Math.max(m, z[offset + d]);
  return m;
}

function chronicBurden(z: ArrayLike<number>, offset: number): number {
  let s = 0;
  for (const d of CHRONIC_DIMS) s += Math.max(0, z[offset + d]);
  return s;
}

/** Length of stay in days for a stay starting in a month with state z (at `offset`). */
export function sampleLengthOfStay(rng: Rng, z: ArrayLike<number>, offset: number): number {
  const rate = Math.exp(0.6 + 0.25 * z[offset + DIM.frailty] + 0.15 * maxAcute(z, offset) + 0.3 * Math.max(0, z[offset + DIM.hepatic]));
  return Math.min(45, 1 + rng.poisson(Math.min(rate, 30)));
}

export function makeVisit(type: VisitType, start: number, month: number, losDays = 0): Visit {
  const end =
    type === OUTPATIENT ? start + OUTPATIENT_DURATION : type === ED ? start + ED_DURATION : start + losDays * MICROS_PER_DAY;
  return { type, start, end, month, losDays, protected: false, forceCkd: false, forceHba1c: false, forceCopd: false };
}

/** Sets a stay's length (its discharge keeps the same hour offset within the day). */
export function setLengthOfStay(visit: Visit, losDays: number): void {
  const hours = (visit.end - visit.start) % MICROS_PER_DAY;
  visit.losDays = losDays;
  visit.end = visit.start + losDays * MICROS_PER_DAY + hours;
}

/** A time within a month: a whole second on a random day, in the given hour range. */
function timeInMonth(rng: Rng, monthStart: number, firstHour: number, hours: number): number {
  const day = rng.int(30);
  const second = (firstHour * 3600 + rng.int(hours * 3600)) | 0;
  return monthStart + day * MICROS_PER_DAY + second * MICROS_PER_SECOND;
}

/**
 * The natural visit schedule over `months` months of latent path (follow-up starting at `start`),
 * sorted and without overlaps (a visit that starts during another is dropped: nobody has a clinic
 * visit while admitted).
 */
export function sampleVisits(rng: Rng, path: Float64Array, months: number, start: number): Visit[] {
  const visits: Visit[] = [];
  for (let m = 0; m < months; m++) {
    const o = m * LATENT_SIZE;
    const monthStart = start + m * MONTH_US;
    const acute = maxAcute(path, o);
    const outRate = Math.exp(-2.2 + 0.35 * path[o + DIM.utilization] + 0.2 * path[o + DIM.frailty] + 0.12 * chronicBurden(path, o));
    const outpatient = rng.poisson(Math.min(outRate, 8));
    for (let k = 0; k < outpatient; k++) visits.push(makeVisit(OUTPATIENT, timeInMonth(rng, monthStart, 8, 9), m));
    if (rng.bernoulli(sigmoid(-4.5 + 0.8 * acute + 0.3 * path[o + DIM.utilization] + 0.2 * path[o + DIM.deprivation]))) {
      visits.push(makeVisit(ED, timeInMonth(rng, monthStart, 0, 24), m));
    }
    if (rng.bernoulli(sigmoid(-5.9 + 1.0 * acute + 0.4 * path[o + DIM.frailty] + 0.3 * path[o + DIM.cardiac] + 0.2 * path[o + DIM.utilization]))) {
      visits.push(makeVisit(INPATIENT, timeInMonth(rng, monthStart, 0, 24), m, sampleLengthOfStay(rng, path, o)));
    }
  }
  return resolveOverlaps(visits);
}

/**
 * Sorts visits and removes overlaps: protected visits are all kept (callers never make them
 * overlap each other); another visit is kept only if it overlaps no kept visit.
 */
export function resolveOverlaps(visits: Visit[]): Visit[] {
  const byStart = (a: Visit, b: Visit): number => a.start - b.start;
  const kept = visits.filter((v) => v.protected).sort(byStart);
  const natural = visits.filter((v) => !v.protected).sort(byStart);
  const overlaps = (v: Visit, w: Visit): boolean => v.start <= w.end && w.start <= v.end;
  const out: Visit[] = [];
  let lastNaturalEnd = -Infinity;
  for (const v of natural) {
    if (v.start <= lastNaturalEnd) continue;
    if (kept.some((w) => overlaps(v, w))) continue;
    out.push(v);
    lastNaturalEnd = v.end;
  }
  return [...kept, ...out].sort(byStart);
}

/** A uniformly random whole-second time in [lo, hi]. */
export function timeBetween(rng: Rng, lo: number, hi: number): number {
  const seconds = Math.max(0, Math.floor((hi - lo) / MICROS_PER_SECOND));
  return lo + rng.int(seconds + 1) * MICROS_PER_SECOND;
}
