import { Rng } from '../prng.ts';
import { MICROS_PER_DAY } from '../time.ts';
import { CKD_PREFIX, COPD_EXACERBATION, HBA1C_ABNORMAL, LABS, VISIT_CODES } from './clinical-codes.ts';
import { DIM, LATENT_SIZE, sampleDemographics, sigmoid, simulateLatentPath } from './latent-model.ts';

/**
 * The binary outcome tasks of the synthetic cohort. Each is driven by its own direction in the
 * latent space: at the prediction time p the outcome is drawn as
 *
 *     P(y = 1) = sigmoid(SIGNAL * (w . z_p - mean) / sd + offset),
 *
 * with w a unit vector over a few latent dimensions, mean, sd and offset set on a pilot population
 * so that the prevalence is near its target, the supports chosen to overlap as little as
 * the clinical story allows. The events after p are then made to agree with y (see
 * simulate-subject.ts), so that the label can also be derived from the data alone by the rule
 * `deriveOutcome` states. A representation that keeps only one task's direction predicts that task
 * and little else: this is what makes the seed paper's transfer claim measurable.
 */
export interface OutcomeTask {
  readonly name: string;
  readonly description: string;
  readonly horizonDays: number;
  /** Target share of positive labels. */
  readonly prevalence: number;
  /** (dimension, weight) before normalisation to a unit vector. */
  readonly weights: readonly (readonly [number, number])[];
}

export const OUTCOME_TASKS: readonly OutcomeTask[] = [
  {
    name: 'mortality_1y',
    description: 'death (MEDS_DEATH) within 365 days after the prediction time',
    horizonDays: 365,
    prevalence: 0.08,
    weights: [[DIM.frailty, 0.7], [DIM.age, 0.5], [DIM.cardiac, 0.5]],
  },
  {
    name: 'readmission_30d',
    description: 'a hospital admission (VISIT//INPATIENT) within 30 days after the prediction time',
    horizonDays: 30,
    prevalence: 0.12,
    weights: [[DIM.utilization, 0.75], [DIM.infection, 0.45], [DIM.gi_acute, 0.3]],
  },
  {
    name: 'ckd_onset_1y',
    description:
      'a first chronic kidney disease diagnosis (ICD10CM//N18.*) within 365 days; only subjects with no such code at or before the prediction time have a label',
    horizonDays: 365,
    // Over everyone; subjects with prevalent disease drop out of the task, so the share among the
    // labelled is lower.
    prevalence: 0.2,
    weights: [[DIM.renal, 0.95], [DIM.deprivation, 0.3]],
  },
  {
    name: 'abnormal_hba1c_1y',
    description: `an HbA1c (LOINC//4548-4) of at least ${HBA1C_ABNORMAL}% within 365 days`,
    horizonDays: 365,
    prevalence: 0.2,
    weights: [[DIM.glycemic, 0.85], [DIM.adiposity, 0.5]],
  },
  {
    name: 'copd_exacerbation_1y',
    description: 'a COPD exacerbation diagnosis (ICD10CM//J44.1) within 365 days',
    horizonDays: 365,
    prevalence: 0.08,
    weights: [[DIM.pulmonary, 0.95], [DIM.sex, -0.3]],
  },
  {
    name: 'long_stay_1y',
    description: 'a hospital stay of 7 days or more, admitted within 365 days (admission to HOSPITAL_DISCHARGE)',
    horizonDays: 365,
    prevalence: 0.1,
    weights: [[DIM.hepatic, 0.75], [DIM.injury, 0.45], [DIM.mental, 0.35]],
  },
];

/** Slope of the outcome logit in standard deviations of the task score. */
export const SIGNAL = 2.5;

/** The unit direction of each task, row-major (tasks x LATENT_SIZE). */
export function taskDirections(): Float64Array {
  const out = new Float64Array(OUTCOME_TASKS.length * LATENT_SIZE);
  OUTCOME_TASKS.forEach((task, k) => {
    const norm = Math.hypot(...task.weights.map(([, w]) => w));
    for (const [dim, w] of task.weights) out[k * LATENT_SIZE + dim] = w / norm;
  });
  return out;
}

interface Calibration {
  readonly mean: Float64Array;
  readonly sd: Float64Array;
  /** Logit offset per task that gives the target prevalence over the pilot population. */
  readonly offset: Float64Array;
}

let calibration: Calibration | undefined;
const PILOT_SEED = 0xca11b;
const PILOT_SUBJECTS = 2000;

/**
 * Standardisation and offset of each task's score w . z over a fixed pilot population, so that
 * prevalences come out near their targets. It depends only on constants (a fixed pilot seed), never
 * on the cohort being generated, so each subject stays a function of (seed, index) alone.
 */
function taskCalibration(): Calibration {
  if (calibration !== undefined) return calibration;
  const directions = taskDirections();
  const tasks = OUTCOME_TASKS.length;
  const scores = new Float64Array(tasks * PILOT_SUBJECTS);
  for (let i = 0; i < PILOT_SUBJECTS; i++) {
    const rng = Rng.from(PILOT_SEED, i);
    const months = 13 + rng.int(60);
    const path = simulateLatentPath(rng, sampleDemographics(rng), months);
    const base = (months - 1) * LATENT_SIZE;
    for (let k = 0; k < tasks; k++) {
      let s = 0;
      for (let d = 0; d < LATENT_SIZE; d++) s += directions[k * LATENT_SIZE + d] * path[base + d];
      scores[k * PILOT_SUBJECTS + i] = s;
    }
  }
  const mean = new Float64Array(tasks);
  const sd = new Float64Array(tasks);
  const offset = new Float64Array(tasks);
  for (let k = 0; k < tasks; k++) {
    const row = scores.subarray(k * PILOT_SUBJECTS, (k + 1) * PILOT_SUBJECTS);
    mean[k] = row.reduce((a, b) => a + b, 0) / PILOT_SUBJECTS;
    sd[k] = Math.sqrt(Math.max(row.reduce((a, b) => a + (b - mean[k]) ** 2, 0) / PILOT_SUBJECTS, 1e-12));
    // Bisection on the offset: the mean of sigmoid(SIGNAL * u + b) is increasing in b.
    let lo = -20;
    let hi = 20;
    for (let it = 0; it < 60; it++) {
      const b = (lo + hi) / 2;
      let p = 0;
      for (const s of row) p += sigmoid((SIGNAL * (s - mean[k])) / sd[k] + b);
      if (p / PILOT_SUBJECTS < OUTCOME_TASKS[k].prevalence) lo = b;
      else hi = b;
    }
    offset[k] = (lo + hi) / 2;
  }
  calibration = { mean, sd, offset };
  return calibration;
}

/** The probability of each outcome given the latent state at the prediction time. */
export function outcomeProbabilities(z: ArrayLike<number>): Float64Array {
  const { mean, sd, offset } = taskCalibration();
  const directions = taskDirections();
  return Float64Array.from(OUTCOME_TASKS, (_, k) => {
    let s = 0;
    for (let d = 0; d < LATENT_SIZE; d++) s += directions[k * LATENT_SIZE + d] * z[d];
    return sigmoid((SIGNAL * (s - mean[k])) / sd[k] + offset[k]);
  });
}

/** One subject's events, as a label rule reads them. */
export interface SubjectEventsView {
  /** Microseconds, sorted, NaN (static) first. */
  readonly time: ArrayLike<number>;
  readonly code: ArrayLike<string>;
  /** NaN where the event has no value. */
  readonly value: ArrayLike<number>;
}

/**
 * The label of task `name` at prediction time p, derived from the events alone: 1, 0, or undefined
 * when the subject has no label for the task (the onset task excludes prevalent disease). The
 * synthetic generator guarantees that this agrees with the labels it writes.
 */
export function deriveOutcome(name: string, events: SubjectEventsView, p: number): 0 | 1 | undefined {
  const task = OUTCOME_TASKS.find((t) => t.name === name);
  if (task === undefined) throw new RangeError(`unknown task '${name}'`);
  const end = p + task.horizonDays * MICROS_PER_DAY;
  const { time, code, value } = events;
  const inHorizon = (i: number): boolean => time[i] > p && time[i] <= end;
  const any = (test: (i: number) => boolean): 0 | 1 => {
    for (let i = 0; i < time.length; i++) if (inHorizon(i) && test(i)) return 1;
    return 0;
  };
  switch (name) {
    case 'mortality_1y':
      return any((i) => code[i] === VISIT_CODES.death);
    case 'readmission_30d':
      return any((i) => code[i] === VISIT_CODES.inpatient);
    case 'ckd_onset_1y':
      for (let i = 0; i < time.length; i++) if (time[i] <= p && code[i].startsWith(CKD_PREFIX)) return undefined;
      return any((i) => code[i].startsWith(CKD_PREFIX));
    case 'abnormal_hba1c_1y':
      return any((i) => code[i] === LABS.hba1c.code && value[i] >= HBA1C_ABNORMAL);
    case 'copd_exacerbation_1y':
      return any((i) => code[i] === COPD_EXACERBATION);
    case 'long_stay_1y':
      return any((i) => {
        if (code[i] !== VISIT_CODES.inpatient) return false;
        for (let j = i + 1; j < time.length; j++) {
          if (code[j] === VISIT_CODES.discharge) return time[j] - time[i] >= 7 * MICROS_PER_DAY;
        }
        return false;
      });
    default:
      throw new RangeError(`task '${name}' has no derivation rule`);
  }
}
