import { z } from 'zod';

/**
 * `RUN/eval/metrics.json`: what `dflc eval` measured of a trained run. This module is the one
 * definition of the file: `dflc eval` validates what it writes against `evalResultSchema`, and
 * readers (the HTML report, `dflc compare`) parse with it. docs/eval.md documents every key.
 *
 * Conventions: snake_case keys (the file is read from Python as often as from TypeScript); angles
 * in degrees; a metric that could not be computed is absent from its list with the reason in
 * `skipped`, never a NaN (JSON has none). Bump EVAL_SCHEMA_VERSION on any incompatible change.
 */
export const EVAL_SCHEMA_VERSION = 1;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().nonnegative();
const unit = finite.refine((x) => x >= 0 && x <= 1, 'must lie in [0, 1]');
const interval = z.tuple([finite, finite]).refine(([lo, hi]) => lo <= hi, 'interval must have lower <= upper');
const angles = z.array(finite.refine((a) => a >= 0 && a <= 90, 'an angle must lie in [0, 90] degrees'));

/** Ways held-out windows are damaged before re-encoding, to measure a probe's robustness. */
export const PERTURBATIONS = ['codes_10', 'codes_30', 'notes_dropped', 'modality_missing_E', 'modality_missing_T'] as const;
export type Perturbation = (typeof PERTURBATIONS)[number];

export const EMBED_AT = ['prediction-times', 'last', 'all-windows'] as const;
export type EmbedAt = (typeof EMBED_AT)[number];

const runInfoSchema = z.strictObject({
  /** The run folder, absolute. */
  dir: z.string(),
  /** The objective's name (its file's base name) and path as recorded in run.json. */
  objective: z.string(),
  objective_file: z.string(),
  modality: z.enum(['ehr', 'text', 'multimodal']),
  /** The dataset evaluated: a folder, or null for the bundled synthetic cohort. */
  data: z.string().nullable(),
  /** Training steps the model had taken. */
  steps: count,
  /** dflc version that evaluated, and ISO-8601 time of the evaluation. */
  dflc: z.string(),
  evaluated_at: z.string(),
  /** The seed of everything random in the evaluation (bootstrap resamples, perturbations). */
  seed: z.number().int(),
  bootstrap: z.strictObject({ resamples: z.number().int().positive(), level: unit }),
});

const geometrySchema = z.strictObject({
  /** Which embeddings: held-out subjects at their first prediction time (or last window without labels). */
  split: z.string(),
  n: count,
  d: count,
  effective_rank: finite,
  rankme: finite,
  stable_rank: finite,
  condition_number: finite,
  /** Eigenvalues below floor × largest are raised to it before the ratio is taken. */
  condition_floor: finite,
  /** The covariance eigenvalues, descending, float64, relative to RUN/eval/. */
  spectrum_file: z.string(),
});

const stabilitySchema = z.strictObject({
  /** Dimension of the compared subspaces (top principal directions). */
  k: count,
  /** Per consecutive window pair (t, t+1), aligned: the window index t, subjects present in both. */
  window: z.array(count),
  n_subjects: z.array(count),
  cka_consecutive: z.array(unit),
  /** Per pair, the k principal angles, ascending. */
  principal_angles_deg: z.array(angles),
});

const probeSchema = z.strictObject({
  task: z.string(),
  n_train: count,
  n_tuning: count,
  n_held_out: count,
  /** Share of positives among held-out labels (the AUPRC of a random scorer). */
  prevalence: unit,
  /** The L2 penalty chosen on the tuning split. */
  lambda: finite,
  auroc: unit,
  auroc_ci: interval,
  auprc: unit,
  auprc_ci: interval,
});

const robustnessSchema = z.strictObject({
  perturbation: z.enum(PERTURBATIONS),
  task: z.string(),
  /** AUROC of the clean-fit probe on the perturbed held-out embeddings. */
  auroc: unit,
  /** Clean held-out AUROC minus `auroc` (positive: the perturbation hurt). */
  auroc_drop: finite,
});

const alignmentSchema = z.strictObject({
  /** Subjects whose E and T embeddings were compared. */
  n: count,
  k: count,
  cka: unit,
  principal_angles_deg: angles,
});

const latentSchema = z.strictObject({
  /** Pooled R²: 1 − Σ residual SS / Σ total SS over all latents, on held_out. */
  r2: finite,
  r2_per_latent: z.array(finite),
  n_latents: count,
  lambda: finite,
  n_train: count,
  n_held_out: count,
});

export const evalResultSchema = z.strictObject({
  format: z.literal('dflc-eval'),
  version: z.literal(EVAL_SCHEMA_VERSION),
  run: runInfoSchema,
  geometry: geometrySchema,
  stability: stabilitySchema.nullable(),
  probes: z.array(probeSchema),
  robustness: z.array(robustnessSchema),
  alignment: alignmentSchema.nullable(),
  latent_r2: latentSchema.nullable(),
  /** What was not measured and why (e.g. a task with one class in held_out). */
  skipped: z.array(z.strictObject({ what: z.string(), reason: z.string() })),
});

export type EvalResult = z.infer<typeof evalResultSchema>;
export type ProbeResult = z.infer<typeof probeSchema>;
export type RobustnessResult = z.infer<typeof robustnessSchema>;
export type GeometryResult = z.infer<typeof geometrySchema>;
export type StabilityResult = z.infer<typeof stabilitySchema>;
export type AlignmentResult = z.infer<typeof alignmentSchema>;
export type LatentResult = z.infer<typeof latentSchema>;
export type RunInfo = z.infer<typeof runInfoSchema>;

export const METRICS_FILE = 'metrics.json';
export const SPECTRUM_FILE = 'spectrum.npy';

/**
 * Parses metrics.json text; a problem is an Error naming the file and the key
 * (`metrics.json: probes.0.auroc: must lie in [0, 1]`).
 */
export function parseEvalResult(text: string, file: string): EvalResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return checkEvalResult(value, file);
}

/** Validates a value as an EvalResult (what `dflc eval` does before writing). */
export function checkEvalResult(value: unknown, file: string): EvalResult {
  const parsed = evalResultSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new Error(`${file}: ${where}${issue.message}`);
}
