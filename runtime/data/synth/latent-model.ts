import type { Rng } from '../prng.ts';
import { MICROS_PER_DAY } from '../time.ts';

/**
 * The ground truth of the synthetic cohort: each subject has a 16-dimensional latent state that
 * evolves month by month, and every event, note and outcome is emitted from it.
 *
 * State z (one month to the next):  z' = A z + c + noise (+ acute shocks)
 * - six chronic disease processes (0-5): slow, persistent (a_ii 0.95-0.985), coupled the way the
 *   diseases are (diabetes drives kidney and heart disease, kidney disease drives heart failure);
 * - four acute processes (6-9): fast-decaying (a_ii about 0.4), kicked by heavy-tailed shocks whose
 *   rate rises with the related chronic process (COPD -> infections, frailty -> falls);
 * - demographics (10-12): age (standardised, grows exactly with time), sex (+1 female, -1 male),
 *   social deprivation: constant or deterministic inputs, entering the others through A;
 * - adiposity, frailty and care utilisation (13-15): slow processes.
 * The block of A acting on dimensions 0-9 and 13-15 has spectral radius below 1 (a stable
 * dynamic; test/runtime/data checks it), and each of those dimensions has a stationary standard
 * deviation of about 1 around a mean set by the demographics.
 */
export const LATENT_DIMENSIONS = [
  'glycemic',
  'cardiac',
  'renal',
  'pulmonary',
  'hepatic',
  'mental',
  'infection',
  'acute_cardiac',
  'injury',
  'gi_acute',
  'age',
  'sex',
  'deprivation',
  'adiposity',
  'frailty',
  'utilization',
] as const;

export type LatentDimension = (typeof LATENT_DIMENSIONS)[number];
export const LATENT_SIZE = LATENT_DIMENSIONS.length;

/** Index of each dimension by name. */
export const DIM = Object.fromEntries(LATENT_DIMENSIONS.map((name, i) => [name, i])) as Record<LatentDimension, number>;

/** The simulation step. */
export const MONTH_US = 30 * MICROS_PER_DAY;
const MONTHS_PER_YEAR = 365.25 / 30;
const AGE_MEAN = 60;
const AGE_SCALE = 15;

export const ACUTE_DIMS = [DIM.infection, DIM.acute_cardiac, DIM.injury, DIM.gi_acute] as const;
export const CHRONIC_DIMS = [DIM.glycemic, DIM.cardiac, DIM.renal, DIM.pulmonary, DIM.hepatic, DIM.mental] as const;
const DEMOGRAPHIC_DIMS = [DIM.age, DIM.sex, DIM.deprivation] as const;

export function ageToLatent(years: number): number {
  return (years - AGE_MEAN) / AGE_SCALE;
}

export function latentToAge(z: number): number {
  return AGE_MEAN + AGE_SCALE * z;
}

/** Monthly persistence a_ii of each dimension. */
const PERSISTENCE: Record<LatentDimension, number> = {
  glycemic: 0.985,
  cardiac: 0.985,
  renal: 0.985,
  pulmonary: 0.98,
  hepatic: 0.98,
  mental: 0.95,
  infection: 0.45,
  acute_cardiac: 0.4,
  injury: 0.4,
  gi_acute: 0.45,
  age: 1,
  sex: 1,
  deprivation: 1,
  adiposity: 0.99,
  frailty: 0.98,
  utilization: 0.95,
};

/** Equilibrium mean of a slow dimension as a function of (age, sex, deprivation). */
const DEMOGRAPHIC_LOADINGS: Partial<Record<LatentDimension, [number, number, number]>> = {
  glycemic: [0.35, -0.05, 0.25],
  cardiac: [0.5, -0.15, 0.15],
  renal: [0.45, 0, 0.1],
  pulmonary: [0.3, 0, 0.35],
  hepatic: [0.05, -0.15, 0.3],
  mental: [-0.15, 0.2, 0.35],
  adiposity: [0.1, 0, 0.3],
  frailty: [0.6, 0.05, 0.2],
  utilization: [0.2, 0.1, -0.1],
};

/** Coupling A[to][from] (monthly): how one process feeds another. */
const COUPLINGS: [LatentDimension, LatentDimension, number][] = [
  ['glycemic', 'adiposity', 0.008],
  ['cardiac', 'glycemic', 0.005],
  ['cardiac', 'renal', 0.004],
  ['cardiac', 'adiposity', 0.003],
  ['renal', 'glycemic', 0.007],
  ['renal', 'cardiac', 0.004],
  ['hepatic', 'adiposity', 0.003],
  ['mental', 'frailty', 0.004],
  ['infection', 'pulmonary', 0.08],
  ['infection', 'frailty', 0.03],
  ['infection', 'glycemic', 0.02],
  ['acute_cardiac', 'cardiac', 0.08],
  ['injury', 'frailty', 0.06],
  ['gi_acute', 'hepatic', 0.08],
  ['frailty', 'cardiac', 0.004],
  ['frailty', 'renal', 0.003],
  ['frailty', 'pulmonary', 0.003],
  ['frailty', 'hepatic', 0.002],
  ['frailty', 'injury', 0.02],
  ['frailty', 'infection', 0.01],
  ['utilization', 'mental', 0.006],
  ['utilization', 'frailty', 0.006],
  ['utilization', 'infection', 0.03],
  ['utilization', 'acute_cardiac', 0.03],
  ['utilization', 'injury', 0.03],
  ['utilization', 'gi_acute', 0.03],
];

/** Stationary standard deviation targeted for each dimension's own noise. */
const STATIONARY_SD: Partial<Record<LatentDimension, number>> = {
  infection: 0.3,
  acute_cardiac: 0.3,
  injury: 0.3,
  gi_acute: 0.3,
  frailty: 0.8,
  utilization: 0.8,
};

/**
 * Acute shocks: each month, with probability sigmoid(base + slope * z[driver]), the dimension
 * jumps by 2 + Exp(1). This heavy-tailed noise is what makes acute episodes.
 */
const SHOCKS: { dim: number; driver: number; base: number; slope: number }[] = [
  { dim: DIM.infection, driver: DIM.pulmonary, base: -3.6, slope: 0.7 },
  { dim: DIM.acute_cardiac, driver: DIM.cardiac, base: -4.4, slope: 0.9 },
  { dim: DIM.injury, driver: DIM.frailty, base: -4.2, slope: 0.8 },
  { dim: DIM.gi_acute, driver: DIM.hepatic, base: -4.2, slope: 0.8 },
];

export interface LatentDynamics {
  /** Row-major LATENT_SIZE x LATENT_SIZE transition matrix. */
  readonly a: Float64Array;
  /** Constant input per month (age grows by one month). */
  readonly c: Float64Array;
  /** Standard deviation of the Gaussian noise per month. */
  readonly noiseSd: Float64Array;
}

function buildDynamics(): LatentDynamics {
  const n = LATENT_SIZE;
  const a = new Float64Array(n * n);
  const c = new Float64Array(n);
  const noiseSd = new Float64Array(n);
  for (const name of LATENT_DIMENSIONS) {
    const i = DIM[name];
    const rho = PERSISTENCE[name];
    a[i * n + i] = rho;
    const loadings = DEMOGRAPHIC_LOADINGS[name];
    if (loadings !== undefined) {
      // Mean reversion towards loadings . demographics: the input is (1 - rho) times the target.
      DEMOGRAPHIC_DIMS.forEach((d, k) => (a[i * n + d] = (1 - rho) * loadings[k]));
    }
    if (rho < 1) noiseSd[i] = (STATIONARY_SD[name] ?? 1) * Math.sqrt(1 - rho * rho);
  }
  for (const [to, from, weight] of COUPLINGS) a[DIM[to] * n + DIM[from]] = weight;
  c[DIM.age] = 1 / (MONTHS_PER_YEAR * AGE_SCALE);
  return { a, c, noiseSd };
}

export const DYNAMICS: LatentDynamics = buildDynamics();

export interface Demographics {
  readonly ageYears: number;
  /** +1 female, -1 male. */
  readonly sex: number;
  /** Standard normal. */
  readonly deprivation: number;
}

export function sampleDemographics(rng: Rng): Demographics {
  // Adult ages, skewed older as in hospital populations.
  const ageYears = 18 + 72 * Math.sqrt(rng.float()) * 0.55 + 72 * 0.45 * rng.float();
  return { ageYears, sex: rng.bernoulli(0.52) ? 1 : -1, deprivation: rng.normal() };
}

/** The nonzero entries of each row of A, for a fast sparse product. */
const SPARSE_ROWS: readonly { cols: Int32Array; weights: Float64Array }[] = Array.from({ length: LATENT_SIZE }, (_, i) => {
  const cols: number[] = [];
  const weights: number[] = [];
  for (let j = 0; j < LATENT_SIZE; j++) {
    const w = DYNAMICS.a[i * LATENT_SIZE + j];
    if (w !== 0) {
      cols.push(j);
      weights.push(w);
    }
  }
  return { cols: Int32Array.from(cols), weights: Float64Array.from(weights) };
});

/** One month: `next = A z + c + noise + shocks`. `next` must not alias `z`. */
export function stepLatent(z: Float64Array, next: Float64Array, rng: Rng): void {
  const { c, noiseSd } = DYNAMICS;
  for (let i = 0; i < LATENT_SIZE; i++) {
    const { cols, weights } = SPARSE_ROWS[i];
    let sum = c[i];
    for (let k = 0; k < cols.length; k++) sum += weights[k] * z[cols[k]];
    next[i] = noiseSd[i] > 0 ? sum + noiseSd[i] * rng.normal() : sum;
  }
  for (const shock of SHOCKS) {
    if (rng.float() < sigmoid(shock.base + shock.slope * z[shock.driver])) next[shock.dim] += 2 + rng.exponential(1);
  }
}

/** Burn-in months simulated before follow-up starts, so that the state is near its stationary law. */
const BURN_IN_MONTHS = 36;

/**
 * The latent path of one subject: `months` states (row-major, LATENT_SIZE each), month 0 being
 * the start of follow-up, at which the subject has the given demographics.
 */
export function simulateLatentPath(rng: Rng, demographics: Demographics, months: number): Float64Array {
  const n = LATENT_SIZE;
  let z = new Float64Array(n);
  let next = new Float64Array(n);
  z[DIM.age] = ageToLatent(demographics.ageYears) - BURN_IN_MONTHS * DYNAMICS.c[DIM.age];
  z[DIM.sex] = demographics.sex;
  z[DIM.deprivation] = demographics.deprivation;
  for (const name of LATENT_DIMENSIONS) {
    const loadings = DEMOGRAPHIC_LOADINGS[name];
    const i = DIM[name];
    if (loadings === undefined || PERSISTENCE[name] >= 1) continue;
    z[i] = loadings[0] * z[DIM.age] + loadings[1] * z[DIM.sex] + loadings[2] * z[DIM.deprivation] + rng.normal();
  }
  for (let m = 0; m < BURN_IN_MONTHS; m++) {
    stepLatent(z, next, rng);
    [z, next] = [next, z];
  }
  const path = new Float64Array(months * n);
  for (let m = 0; m < months; m++) {
    path.set(z, m * n);
    stepLatent(z, next, rng);
    [z, next] = [next, z];
  }
  return path;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
