import type { Rng } from '../prng.ts';
import { MICROS_PER_DAY, MICROS_PER_SECOND } from '../time.ts';
import { HBA1C_ABNORMAL, type LabSpec } from './clinical-codes.ts';
import { ACUTE_DIMS, DIM, sigmoid } from './latent-model.ts';
import { writeNote } from './note-templates.ts';
import { ED, INPATIENT, OUTPATIENT, type Visit } from './visits.ts';
import type { IndexedRule, SynthVocabulary, TailGroup } from './vocabulary.ts';

/**
 * Turning one visit into events (codes with times and values) and maybe a note, from the latent
 * state of the visit's month. Outcome constraints reach here as `Constraints`: what must not
 * appear after the prediction time for a negative label.
 */
export interface Constraints {
  /** The prediction time. */
  readonly p: number;
  /** No chronic kidney disease code in (p, p + 365 d]. */
  readonly noCkd: boolean;
  /** HbA1c values in (p, p + 365 d] stay below the abnormal threshold. */
  readonly normalHba1c: boolean;
  /** No COPD exacerbation code in (p, p + 365 d] (J44.9 is coded instead). */
  readonly noCopdExacerbation: boolean;
  /** Nothing is emitted after this time (the subject's death), Infinity when alive. */
  readonly death: number;
}

/** Accumulates a subject's events and notes in any order (sorted at the end). */
export class EventSink {
  readonly time: number[] = [];
  readonly code: number[] = [];
  readonly value: number[] = [];
  readonly noteTime: number[] = [];
  readonly noteText: string[] = [];

  constructor(private readonly death: number) {}

  add(time: number, code: number, value = NaN): void {
    if (time > this.death) return;
    this.time.push(time);
    this.code.push(code);
    this.value.push(value);
  }

  note(time: number, text: string): void {
    if (time > this.death) return;
    this.noteTime.push(time);
    this.noteText.push(text);
  }
}

const MINUTE = 60 * MICROS_PER_SECOND;
const HOUR = 60 * MINUTE;
const YEAR = 365 * MICROS_PER_DAY;

export interface EmitContext {
  readonly rng: Rng;
  readonly vocabulary: SynthVocabulary;
  /** The latent path and the offset of the visit month's state in it. */
  readonly z: Float64Array;
  readonly offset: number;
  readonly sex: number;
  readonly constraints: Constraints;
  readonly sink: EventSink;
}

export function emitVisit(ctx: EmitContext, visit: Visit): void {
  if (visit.type === OUTPATIENT) emitOutpatient(ctx, visit);
  else if (visit.type === ED) emitEmergency(ctx, visit);
  else emitStay(ctx, visit);
}

function emitOutpatient(ctx: EmitContext, visit: Visit): void {
  const { rng, vocabulary: v, sink } = ctx;
  const t = visit.start;
  sink.add(t, v.visit.outpatient);
  const vitals = t + 10 * MINUTE;
  if (rng.bernoulli(0.5)) labs(ctx, vitals, [v.labs.sbp, v.labs.dbp, v.labs.heartRate]);
  if (rng.bernoulli(0.4)) labs(ctx, vitals, [v.labs.bmi]);
  if (rng.bernoulli(0.15 + 0.5 * sigmoid(2 * (zOf(ctx, DIM.pulmonary) - 1)))) labs(ctx, vitals, [v.labs.spo2]);
  diagnoses(ctx, t + 30 * MINUTE, 0.6, 1);
  tail(ctx, t + 30 * MINUTE, v.tailDiagnoses, 0.6);
  routineLabs(ctx, t + 45 * MINUTE, 1);
  tail(ctx, t + 45 * MINUTE, v.tailLabs, 0.25);
  rules(ctx, t + 60 * MINUTE, v.medications, 0.6, 1);
  tail(ctx, t + 60 * MINUTE, v.tailMedications, 0.3);
  forced(ctx, visit, t + 30 * MINUTE, t + 45 * MINUTE);
  if (rng.bernoulli(0.2)) sink.note(t + 80 * MINUTE, writeNote(rng, ctx.z, ctx.offset, { type: OUTPATIENT, losDays: 0, sex: ctx.sex }));
}

function emitEmergency(ctx: EmitContext, visit: Visit): void {
  const { rng, vocabulary: v, sink } = ctx;
  const t = visit.start;
  sink.add(t, v.visit.ed);
  labs(ctx, t + 15 * MINUTE, [v.labs.sbp, v.labs.dbp, v.labs.heartRate, v.labs.temperature, v.labs.respRate, v.labs.spo2]);
  acuteLabs(ctx, t + HOUR);
  diagnoses(ctx, t + 3 * HOUR, 1.2, 0.5);
  copd(ctx, t + 3 * HOUR);
  tail(ctx, t + 3 * HOUR, v.tailDiagnoses, 0.5);
  rules(ctx, t + 3.5 * HOUR, v.medications, 1.2, 0.3);
  forced(ctx, visit, t + 3 * HOUR, t + HOUR);
  if (rng.bernoulli(0.6)) sink.note(t + 5 * HOUR, writeNote(rng, ctx.z, ctx.offset, { type: ED, losDays: 0, sex: ctx.sex }));
}

function emitStay(ctx: EmitContext, visit: Visit): void {
  const { rng, vocabulary: v, sink } = ctx;
  const t = visit.start;
  sink.add(t, v.visit.inpatient);
  labs(ctx, t + HOUR, [v.labs.sbp, v.labs.dbp, v.labs.heartRate, v.labs.temperature, v.labs.respRate, v.labs.spo2]);
  acuteLabs(ctx, t + 2 * HOUR);
  if (rng.bernoulli(0.3)) labs(ctx, t + 2 * HOUR, [v.labs.hba1c]);
  diagnoses(ctx, t + 3 * HOUR, 1.3, 0.3);
  copd(ctx, t + 3 * HOUR);
  rules(ctx, t + 4 * HOUR, v.medications, 1.3, 0.8);
  for (let day = 3; day < visit.losDays; day += 3) {
    const when = t + day * MICROS_PER_DAY;
    labs(ctx, when, [v.labs.heartRate, v.labs.temperature, v.labs.creatinine, v.labs.hemoglobin, v.labs.wbc]);
  }
  forced(ctx, visit, t + 3 * HOUR, t + 2 * HOUR);
  const end = visit.end;
  diagnoses(ctx, end, 0.4, 1.1);
  tail(ctx, end, v.tailDiagnoses, 1.0);
  rules(ctx, end, v.medications, 0.5, 1);
  sink.add(end, v.visit.discharge);
  sink.note(end, writeNote(rng, ctx.z, ctx.offset, { type: INPATIENT, losDays: visit.losDays, sex: ctx.sex }));
}

function zOf(ctx: EmitContext, dim: number): number {
  return ctx.z[ctx.offset + dim];
}

const isAcute = new Set<number>(ACUTE_DIMS);

/** Emission rules, with rate factors for acute and for other processes. */
function rules(ctx: EmitContext, time: number, list: readonly IndexedRule[], acuteFactor: number, chronicFactor: number): void {
  const { rng, sink, constraints } = ctx;
  const suppressCkd = constraints.noCkd && inYear(constraints.p, time);
  for (const r of list) {
    const factor = isAcute.has(r.dim) ? acuteFactor : chronicFactor;
    const p = Math.min(0.97, factor * r.rate * sigmoid(r.slope * (zOf(ctx, r.dim) - r.threshold)));
    if (!rng.bernoulli(p)) continue;
    if (suppressCkd && ctx.vocabulary.isCkd[r.index] === 1) continue;
    sink.add(time, r.index);
  }
}

function diagnoses(ctx: EmitContext, time: number, acuteFactor: number, chronicFactor: number): void {
  rules(ctx, time, ctx.vocabulary.diagnoses, acuteFactor, chronicFactor);
}

/** The natural COPD exacerbation code: an infection on top of established COPD. */
function copd(ctx: EmitContext, time: number): void {
  const { rng, sink, vocabulary: v, constraints } = ctx;
  const p = 0.7 * sigmoid(2.5 * (zOf(ctx, DIM.pulmonary) - 1.2)) * sigmoid(2 * (zOf(ctx, DIM.infection) - 0.6));
  if (!rng.bernoulli(p)) return;
  const stable = v.indexOf.get('ICD10CM//J44.9')!;
  sink.add(time, constraints.noCopdExacerbation && inYear(constraints.p, time) ? stable : v.copdExacerbation);
}

/** Long-tail codes: a Poisson number, each from a group chosen by the latent state, then by Zipf rank. */
function tail(ctx: EmitContext, time: number, groups: readonly TailGroup[], mean: number): void {
  const { rng, sink } = ctx;
  const count = rng.poisson(mean);
  if (count === 0) return;
  const cumulative = new Float64Array(groups.length);
  let total = 0;
  for (let g = 0; g < groups.length; g++) cumulative[g] = total += Math.exp(0.7 * zOf(ctx, groups[g].dim));
  for (let k = 0; k < count; k++) {
    const group = groups[rng.pick(cumulative)];
    const code = group.codes[rng.pick(group.cumulative)];
    if (groups === ctx.vocabulary.tailLabs) sink.add(time, code, round(50 + 8 * zOf(ctx, group.dim) + 6 * rng.normal(), 1));
    else sink.add(time, code);
  }
}

function routineLabs(ctx: EmitContext, time: number, factor: number): void {
  const { rng, vocabulary: v } = ctx;
  const l = v.labs;
  const worst = Math.max(zOf(ctx, DIM.renal), zOf(ctx, DIM.glycemic));
  if (rng.bernoulli(factor * (0.25 + 0.35 * sigmoid(2 * (worst - 1))))) labs(ctx, time, [l.glucose, l.creatinine, l.bun, l.sodium, l.potassium]);
  if (rng.bernoulli(factor * 0.22)) labs(ctx, time, [l.hemoglobin, l.wbc, l.platelets]);
  if (rng.bernoulli(factor * (0.08 + 0.5 * sigmoid(2.5 * (zOf(ctx, DIM.glycemic) - 0.7))))) labs(ctx, time, [l.hba1c]);
  if (rng.bernoulli(factor * (0.05 + 0.5 * sigmoid(2.5 * (zOf(ctx, DIM.hepatic) - 1))))) labs(ctx, time, [l.alt, l.bilirubin]);
  if (rng.bernoulli(factor * (0.03 + 0.4 * sigmoid(2.5 * (zOf(ctx, DIM.cardiac) - 1.2))))) labs(ctx, time, [l.ntprobnp]);
  if (rng.bernoulli(factor * 0.07)) labs(ctx, time, [l.cholesterol]);
  if (rng.bernoulli(factor * (0.03 + 0.4 * sigmoid(2.5 * (zOf(ctx, DIM.mental) - 0.9))))) labs(ctx, time, [l.phq9]);
}

function acuteLabs(ctx: EmitContext, time: number): void {
  const { rng, vocabulary: v } = ctx;
  const l = v.labs;
  labs(ctx, time, [l.glucose, l.creatinine, l.bun, l.sodium, l.potassium, l.hemoglobin, l.wbc, l.platelets]);
  if (zOf(ctx, DIM.infection) > 0.8 && rng.bernoulli(0.75)) labs(ctx, time, [l.crp]);
  if (zOf(ctx, DIM.infection) > 1.5) labs(ctx, time, [l.lactate]);
  if (zOf(ctx, DIM.acute_cardiac) > 0.6 || rng.bernoulli(0.2)) labs(ctx, time, [l.troponin]);
  if (zOf(ctx, DIM.hepatic) > 1 || rng.bernoulli(0.15)) labs(ctx, time, [l.alt, l.bilirubin]);
  if (zOf(ctx, DIM.cardiac) > 1.3 || rng.bernoulli(0.1)) labs(ctx, time, [l.ntprobnp]);
}

function labs(ctx: EmitContext, time: number, specs: readonly (LabSpec & { index: number })[]): void {
  const { constraints, sink } = ctx;
  for (const spec of specs) {
    let value = labValue(ctx, spec);
    if (spec === ctx.vocabulary.labs.hba1c && constraints.normalHba1c && inYear(constraints.p, time)) {
      value = Math.min(value, round(HBA1C_ABNORMAL - 0.1, 1));
    }
    sink.add(time, spec.index, value);
  }
}

/** A lab value: linear in the latent state (on the log scale for skewed labs), clamped and rounded. */
function labValue(ctx: EmitContext, spec: LabSpec): number {
  let x = spec.mean + spec.sd * ctx.rng.normal();
  for (const [dim, w] of spec.weights) x += w * zOf(ctx, dim);
  const value = spec.log ? Math.exp(x) : x;
  return round(Math.min(spec.max, Math.max(spec.min, value)), spec.decimals);
}

/** Codes and values that an outcome requires at this visit. */
function forced(ctx: EmitContext, visit: Visit, diagnosisTime: number, labTime: number): void {
  const { rng, sink, vocabulary: v } = ctx;
  if (visit.forceCkd) {
    const renal = zOf(ctx, DIM.renal);
    const code = renal < 2.5 ? 'ICD10CM//N18.3' : renal < 3 ? 'ICD10CM//N18.4' : 'ICD10CM//N18.5';
    sink.add(diagnosisTime, v.indexOf.get(code)!);
  }
  if (visit.forceHba1c) {
    const value = Math.max(labValue(ctx, v.labs.hba1c), round(HBA1C_ABNORMAL + rng.exponential(1.5), 1));
    sink.add(labTime, v.labs.hba1c.index, value);
  }
  if (visit.forceCopd) sink.add(diagnosisTime, v.copdExacerbation);
}

function inYear(p: number, time: number): boolean {
  return time > p && time <= p + YEAR;
}

/** Rounds to `decimals` and then to float32, the MEDS numeric_value type, so values round-trip exactly. */
function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.fround(Math.round(value * scale) / scale);
}
