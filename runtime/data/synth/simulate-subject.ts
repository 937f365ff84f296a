import { Rng } from '../prng.ts';
import { MICROS_PER_DAY, MICROS_PER_SECOND, parseIsoMicros } from '../time.ts';
import { emitVisit, EventSink, type Constraints } from './emit-visit.ts';
import { LATENT_SIZE, MONTH_US, sampleDemographics, simulateLatentPath } from './latent-model.ts';
import { OUTCOME_TASKS, outcomeProbabilities } from './outcomes.ts';
import {
  ED,
  INPATIENT,
  OUTPATIENT,
  makeVisit,
  resolveOverlaps,
  sampleLengthOfStay,
  sampleVisits,
  setLengthOfStay,
  timeBetween,
  type Visit,
} from './visits.ts';
import { synthVocabulary } from './vocabulary.ts';

/**
 * One synthetic subject, a pure function of (seed, index): demographics, a latent path, visits,
 * a prediction time, outcome labels drawn from the latent state at that time, and events and notes
 * emitted from the path so that they agree with the labels.
 */
export interface SyntheticSubject {
  readonly id: number;
  /** 0 train, 1 tuning, 2 held_out (80/10/10). */
  readonly split: number;
  /** Events sorted by time, the static one (sex) first with time NaN; codes index synthVocabulary(). */
  readonly time: Float64Array;
  readonly code: Int32Array;
  /** NaN where the event has no value; otherwise a float32 value. */
  readonly value: Float32Array;
  /** Notes sorted by time. */
  readonly noteTime: Float64Array;
  readonly noteText: readonly string[];
  readonly predictionTime: number;
  /** Per task of OUTCOME_TASKS: 1, 0, or -1 when the subject has no label for it. */
  readonly labels: Int8Array;
  /** The latent state at the prediction time (the month it falls in). */
  readonly latentAtPrediction: Float64Array;
  /** Start time of each visit and the latent state its events were drawn from (visits x LATENT_SIZE). */
  readonly visitTimes: Float64Array;
  readonly visitLatents: Float64Array;
}

const FOLLOW_UP_FROM = parseIsoMicros('2012-01-01')!;
const FOLLOW_UP_SPREAD_DAYS = 5 * 365;
const DAY = MICROS_PER_DAY;
const YEAR = 365 * DAY;

export function simulateSubject(seed: number, index: number): SyntheticSubject {
  const rng = Rng.from(seed, 1, index);
  const vocabulary = synthVocabulary();
  const id = 10_000_000 + index * 10 + rng.int(10);
  const u = rng.float();
  const split = u < 0.8 ? 0 : u < 0.9 ? 1 : 2;

  const demographics = sampleDemographics(rng);
  const months = 36 + rng.int(61);
  const start = FOLLOW_UP_FROM + rng.int(FOLLOW_UP_SPREAD_DAYS) * DAY;
  const path = simulateLatentPath(rng, demographics, months);
  const monthOf = (t: number): number => Math.min(months - 1, Math.max(0, Math.floor((t - start) / MONTH_US)));

  // The index visit: the first visit in a random month with at least a year of history before and
  // of follow-up after; the prediction time is its end.
  let visits = sampleVisits(rng, path, months, start);
  const indexMonth = 12 + rng.int(months - 24);
  let indexVisit = visits.find((v) => v.month >= indexMonth && v.end <= start + (months - 13) * MONTH_US);
  if (indexVisit === undefined) {
    indexVisit = makeVisit(OUTPATIENT, start + indexMonth * MONTH_US + 15 * DAY + 10 * 3600 * MICROS_PER_SECOND, indexMonth);
    indexVisit.protected = true;
    visits = resolveOverlaps([...visits, indexVisit]);
  }
  indexVisit.protected = true;
  const p = indexVisit.end;
  const zAtP = path.slice(monthOf(p) * LATENT_SIZE, (monthOf(p) + 1) * LATENT_SIZE);
  const probabilities = outcomeProbabilities(zAtP);
  const y = Object.fromEntries(OUTCOME_TASKS.map((t, k) => [t.name, rng.bernoulli(probabilities[k])])) as Record<string, boolean>;

  // Make the follow-up agree with the labels.
  const death = y.mortality_1y ? p + timeBetween(rng, 45 * DAY, 365 * DAY) : Infinity;
  const horizonEnd = Math.min(p + YEAR, death);
  const inWindow = (v: Visit, days: number): boolean => v.start > p && v.start <= p + days * DAY;
  const capBeforeDeath = (v: Visit): void => {
    if (v.end >= death) setLengthOfStay(v, Math.max(1, Math.floor((death - v.start) / DAY) - 1));
  };

  const early = visits.filter((v) => v.type === INPATIENT && inWindow(v, 30));
  if (y.readmission_30d) {
    if (early.length === 0) {
      const t = p + timeBetween(rng, 1 * DAY, 29 * DAY);
      const stay = makeVisit(INPATIENT, t, monthOf(t), sampleLengthOfStay(rng, path, monthOf(t) * LATENT_SIZE));
      visits.push(stay);
      early.push(stay);
    }
    early[0].protected = true;
    capBeforeDeath(early[0]);
  } else {
    for (const v of early) Object.assign(v, makeVisit(ED, v.start, v.month));
  }
  visits = resolveOverlaps(visits);

  const stays = visits.filter((v) => v.type === INPATIENT && inWindow(v, 365) && v.start < death);
  if (y.long_stay_1y) {
    const long = stays.find((v) => v.losDays >= 7 && v.end < death);
    if (long !== undefined) long.protected = true;
    else if (stays.length > 0 && stays[0].start + 8 * DAY < death) {
      setLengthOfStay(stays[0], 7 + rng.poisson(3));
      capBeforeDeath(stays[0]);
      stays[0].protected = true;
    } else {
      const t = p + timeBetween(rng, 31 * DAY, horizonEnd - p - 8 * DAY);
      const stay = makeVisit(INPATIENT, t, monthOf(t), 7 + rng.poisson(3));
      capBeforeDeath(stay);
      stay.protected = true;
      visits.push(stay);
    }
    visits = resolveOverlaps(visits);
  } else {
    for (const v of stays) if (v.losDays > 6) setLengthOfStay(v, 6);
  }
  visits = visits.filter((v) => v.start < death);

  // Codes and values the labels require, placed at a visit inside the horizon.
  const attach = (flag: 'forceCkd' | 'forceHba1c' | 'forceCopd', types: readonly number[], newType: typeof OUTPATIENT | typeof ED): void => {
    const candidates = visits.filter((v) => types.includes(v.type) && v.start > p && v.start <= horizonEnd - DAY);
    if (candidates.length > 0) {
      rng.choice(candidates)[flag] = true;
      return;
    }
    for (let attempt = 0; attempt < 50; attempt++) {
      const t = p + timeBetween(rng, DAY, horizonEnd - p - 2 * DAY);
      const visit = makeVisit(newType, t, monthOf(t));
      if (visits.some((v) => v.start <= visit.end && visit.start <= v.end)) continue;
      visit[flag] = true;
      visits = [...visits, visit].sort((a, b) => a.start - b.start);
      return;
    }
    // The horizon is full of visits of other types: use any of them.
    const any = visits.filter((v) => v.start > p && v.start <= horizonEnd - DAY);
    if (any.length > 0) rng.choice(any)[flag] = true;
    else throw new Error(`synth: no room for a required visit after the prediction time (subject ${index})`);
  };
  if (y.ckd_onset_1y) attach('forceCkd', [OUTPATIENT, ED, INPATIENT], OUTPATIENT);
  if (y.abnormal_hba1c_1y) attach('forceHba1c', [OUTPATIENT, INPATIENT], OUTPATIENT);
  if (y.copd_exacerbation_1y) attach('forceCopd', [ED, INPATIENT], ED);

  const constraints: Constraints = {
    p,
    noCkd: !y.ckd_onset_1y,
    normalHba1c: !y.abnormal_hba1c_1y,
    noCopdExacerbation: !y.copd_exacerbation_1y,
    death,
  };
  const sink = new EventSink(death);
  const birth = start - Math.round(demographics.ageYears * 365.25) * DAY;
  sink.add(NaN, demographics.sex > 0 ? vocabulary.visit.female : vocabulary.visit.male);
  sink.add(birth, vocabulary.visit.birth);
  const visitTimes = new Float64Array(visits.length);
  const visitLatents = new Float64Array(visits.length * LATENT_SIZE);
  visits.forEach((visit, k) => {
    const offset = visit.month * LATENT_SIZE;
    visitTimes[k] = visit.start;
    visitLatents.set(path.subarray(offset, offset + LATENT_SIZE), k * LATENT_SIZE);
    emitVisit({ rng, vocabulary, z: path, offset, sex: demographics.sex, constraints, sink }, visit);
  });
  if (Number.isFinite(death)) sink.add(death, vocabulary.visit.death);

  const events = sortEvents(sink);
  const labels = Int8Array.from(OUTCOME_TASKS, (task) => (y[task.name] ? 1 : 0));
  // The onset task has no label for subjects who already have the disease at the prediction time.
  const ckdTask = OUTCOME_TASKS.findIndex((t) => t.name === 'ckd_onset_1y');
  for (let i = 0; i < events.code.length; i++) {
    if (events.time[i] <= p && vocabulary.isCkd[events.code[i]] === 1) labels[ckdTask] = -1;
  }

  const noteOrder = Array.from(sink.noteTime.keys()).sort((a, b) => sink.noteTime[a] - sink.noteTime[b] || a - b);
  return {
    id,
    split,
    ...events,
    noteTime: Float64Array.from(noteOrder, (i) => sink.noteTime[i]),
    noteText: noteOrder.map((i) => sink.noteText[i]),
    predictionTime: p,
    labels,
    latentAtPrediction: zAtP,
    visitTimes,
    visitLatents,
  };
}

/**
 * Stable sort by time, null (NaN) times first. Visits are emitted in order and a visit's events
 * nearly so, so an insertion sort over the few inversions is the fast choice here.
 */
function sortEvents(sink: EventSink): { time: Float64Array; code: Int32Array; value: Float32Array } {
  const n = sink.time.length;
  const key = Float64Array.from(sink.time, (t) => (Number.isNaN(t) ? -Infinity : t));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = key[i];
    let j = i - 1;
    while (j >= 0 && key[order[j]] > k) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = i;
  }
  const time = new Float64Array(n);
  const code = new Int32Array(n);
  const value = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    time[k] = sink.time[i];
    code[k] = sink.code[i];
    value[k] = sink.value[i];
  }
  return { time, code, value };
}
