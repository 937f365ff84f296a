import { join, resolve } from 'node:path';
import { DataError } from '../../data/data-error.ts';
import { createProgress, type Progress } from '../../data/progress.ts';
import type { EvalResult } from '../../eval/eval-result.ts';
import { DEFAULT_BOOTSTRAP } from '../../eval/metrics/bootstrap.ts';
import { BackendUnavailableError } from '../../executors/executor.ts';
import { evaluateWithReport } from '../../report/evaluate-with-report.ts';
import { RunError } from '../../train/run-error.ts';
import { UsageError, type Command } from '../command.ts';
import { version } from '../general-help.ts';
import { parseBackend } from './embed.ts';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'measure a trained run: geometry, stability, linear probes, robustness, alignment, latent R²; an HTML report',
  help: `Usage: dflc eval RUN [--data DIR] [--json] [--seed S] [--resamples N] [--backend B]

Measures what the objective did to the representation of a trained run, on held-out subjects, and
writes RUN/eval/metrics.json (every key is documented in docs/eval.md), RUN/eval/spectrum.npy
and RUN/eval/report.html (one self-contained page: open it in a browser).

Embeddings are taken at each label's prediction time: the window ending there, so nothing after
the prediction time is seen (dflc embed --help). Then:
  geometry      effective rank (Roy & Vetterli), RankMe (Garrido et al. 2023), stable rank and the
                covariance condition number (smallest eigenvalue floored at 1e-12 x the largest)
                of the held-out embeddings; the full covariance spectrum in spectrum.npy
  stability     linear CKA and principal angles (top k = min(8, d) directions) between the same
                subjects' embeddings at consecutive windows
  probes        for every task in labels/: L2 logistic regression fit on train, penalty chosen
                on tuning, AUROC and AUPRC on held_out with seeded bootstrap 95% intervals, and
                the prevalence (the AUPRC of chance)
  robustness    the same probes on held-out windows re-encoded with 10% / 30% of codes dropped,
                30% of note words dropped, or (multimodal) one modality missing: the AUROC drop
  alignment     multimodal runs: CKA and principal angles between the EHR (E) and text (T) embeddings
  latent R²     when the data has ground-truth latents (dflc synth writes them in truth/): ridge
                R² of the latent state at the prediction time from the embedding
A metric that cannot be measured (a task with one class in held_out) is listed under "skipped".

Options:
      --data DIR       MEDS dataset (default: the dataset the run trained on)
      --json           print metrics.json on stdout instead of the summary
      --seed S         seed of the bootstrap resamples and the dropped codes (default 0)
      --resamples N    bootstrap resamples (default ${DEFAULT_BOOTSTRAP.resamples})
      --backend B      engine that embeds (default auto)
  -h, --help           show this help

Examples:
  dflc run examples/card.dfl --out runs/card && dflc eval runs/card
  dflc eval runs/card --json | python3 -c "import json,sys; print(json.load(sys.stdin)['probes'])"`,
  options: {
    data: { type: 'string' },
    json: { type: 'boolean' },
    seed: { type: 'string' },
    resamples: { type: 'string' },
    backend: { type: 'string' },
  },
  run: async ({ values, positionals }, io) => {
    if (positionals.length !== 1) throw new UsageError('eval takes exactly one RUN (a run folder written by dflc run)');
    const seed = parseCount('--seed', values.seed, 0, 0);
    const resamples = parseCount('--resamples', values.resamples, DEFAULT_BOOTSTRAP.resamples, 10);
    const backend = parseBackend(values.backend);
    const runDir = resolve(io.cwd, positionals[0]);
    let bar: Progress | undefined;
    let stage = '';
    try {
      const { result, evalDir, report } = await evaluateWithReport({
        runDir,
        data: values.data === undefined ? undefined : resolve(io.cwd, String(values.data)),
        backend,
        seed,
        resamples,
        version: version(),
        env: process.env,
        log: (line) => io.stderr(`${line}\n`),
        onProgress: (done, total, label) => {
          stage = label;
          bar ??= createProgress({ label: 'eval', total, write: io.stderr, isTty: io.isTty, describe: () => ({ head: `eval: ${stage}`, tail: '' }) });
          bar.update(done);
        },
      });
      bar?.finish();
      if (values.json === true) io.stdout(JSON.stringify(result, null, 2) + '\n');
      else io.stdout(summary(result, evalDir, report));
      return 0;
    } catch (error) {
      bar?.finish();
      if (error instanceof RunError || error instanceof DataError || error instanceof BackendUnavailableError) {
        io.stderr(`dflc eval: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

/** The human summary: the headline numbers, the probe table, and where the files are. */
function summary(r: EvalResult, evalDir: string, report: string): string {
  const f = (x: number, digits = 3): string => x.toFixed(digits);
  const g = r.geometry;
  const lines = [
    `geometry (${g.split}, n ${g.n}, d ${g.d}): effective rank ${f(g.effective_rank, 2)}, RankMe ${f(g.rankme, 2)}, stable rank ${f(g.stable_rank, 2)}, condition number ${g.condition_number.toPrecision(3)}`,
  ];
  if (r.stability !== null) {
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    lines.push(`stability: mean CKA of consecutive windows ${f(mean(r.stability.cka_consecutive))} over ${r.stability.window.length} window pairs (k ${r.stability.k})`);
  }
  if (r.probes.length > 0) {
    const width = Math.max(4, ...r.probes.map((p) => p.task.length));
    lines.push(`${'task'.padEnd(width)}  AUROC [95% CI]         AUPRC [95% CI]         prevalence  held-out`);
    for (const p of r.probes) {
      const ci = (x: number, [lo, hi]: readonly number[]): string => `${f(x)} [${f(lo)}, ${f(hi)}]`.padEnd(22);
      lines.push(`${p.task.padEnd(width)}  ${ci(p.auroc, p.auroc_ci)} ${ci(p.auprc, p.auprc_ci)} ${f(p.prevalence).padEnd(11)} ${p.n_held_out}`);
    }
  }
  for (const kind of new Set(r.robustness.map((x) => x.perturbation))) {
    const drops = r.robustness.filter((x) => x.perturbation === kind).map((x) => x.auroc_drop);
    lines.push(`robustness ${kind}: mean AUROC drop ${f(drops.reduce((a, b) => a + b, 0) / drops.length)}`);
  }
  if (r.alignment !== null) lines.push(`alignment E-T: CKA ${f(r.alignment.cka)}, principal angles ${r.alignment.principal_angles_deg.map((a) => a.toFixed(1)).join(', ')} deg`);
  if (r.latent_r2 !== null) lines.push(`latent R²: ${f(r.latent_r2.r2)} over ${r.latent_r2.n_latents} latents`);
  for (const s of r.skipped) lines.push(`skipped ${s.what}: ${s.reason}`);
  lines.push(`wrote ${join(evalDir, 'metrics.json')}, ${join(evalDir, r.geometry.spectrum_file)}, ${report}`);
  return lines.join('\n') + '\n';
}

function parseCount(option: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${option} must be an integer of at least ${min}, got '${String(value)}'`);
  return n;
}
