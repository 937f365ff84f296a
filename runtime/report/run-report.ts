import type { EvalResult } from '../eval/eval-result.ts';
import { escapeText } from './escape.ts';
import { charts, headlines, page, section, table, type Headline } from './page.ts';
import {
  anglesChart,
  aurocChart,
  auprcChart,
  ckaChart,
  latentChart,
  lossAndTermsChart,
  PERTURBATION_LABELS,
  robustnessChart,
  spectrumChart,
  trainingRankChart,
} from './report-charts.ts';
import type { ReportRun } from './report-run.ts';

/**
 * `RUN/eval/report.html`: one evaluated run for a person to read in a minute: the headline numbers
 * first, each with a line on how to read it, then a section per measurement with its charts and
 * tables. Self-contained (inline SVG and CSS, nothing fetched).
 */
export function renderRunReport(run: ReportRun): string {
  const r = run.result;
  const body = [
    `<h1>${escapeText(`Run report: ${r.run.objective}`)}</h1>`,
    `<p class="meta">${escapeText(runMeta(r))}</p>`,
    headlines(runHeadlines(r)),
    section(
      'geometry',
      'Geometry',
      `Spectrum of the covariance of ${r.geometry.n} ${r.geometry.split.replace('_', '-')} embeddings (d = ${r.geometry.d}). A flat spectrum spreads information over many directions; a steep one has collapsed onto a few.`,
      charts(spectrumChart([run])) +
        table(
          ['measure', 'value', 'how to read it'],
          [
            ['effective rank', fixed(r.geometry.effective_rank, 2), `exp(entropy of the normalised singular values); 1 to ${r.geometry.d}`],
            ['RankMe', fixed(r.geometry.rankme, 2), 'the same on the uncentred embeddings (Garrido et al. 2023)'],
            ['stable rank', fixed(r.geometry.stable_rank, 2), 'sum of eigenvalues over the largest'],
            ['condition number', sig(r.geometry.condition_number), `largest over smallest eigenvalue (smallest floored at ${r.geometry.condition_floor} × largest)`],
          ],
          'explained',
        ),
    ),
    section(
      'training',
      'Training',
      run.curves.loss.length === 0 ? 'This run took no training steps (a random encoder), so it has no training curves.' : 'The loss and each term of the objective per step, and the effective rank of the batch embedding as training went.',
      run.curves.loss.length === 0 ? '' : charts(lossAndTermsChart(run), trainingRankChart([run])),
    ),
    section(
      'probes',
      'Linear probes',
      'L2-regularised logistic regression on the embedding at each label’s prediction time: fit on train, penalty chosen on tuning, scored on held-out subjects, with bootstrap 95% intervals. AUROC 0.5 is chance; an AUPRC is read against the prevalence beside it.',
      r.probes.length === 0
        ? '<p>No task was probed (see “Not measured”).</p>'
        : charts(aurocChart([run]), auprcChart([run])) +
            table(
              ['task', 'train / tuning / held-out', 'AUROC [95%]', 'AUPRC [95%]', 'prevalence', 'λ'],
              r.probes.map((p) => [
                p.task,
                `${p.n_train} / ${p.n_tuning} / ${p.n_held_out}`,
                `${fixed(p.auroc, 3)} [${fixed(p.auroc_ci[0], 3)}, ${fixed(p.auroc_ci[1], 3)}]`,
                `${fixed(p.auprc, 3)} [${fixed(p.auprc_ci[0], 3)}, ${fixed(p.auprc_ci[1], 3)}]`,
                fixed(p.prevalence, 3),
                String(p.lambda),
              ]),
            ),
    ),
    section(
      'stability',
      'Stability across time',
      r.stability === null
        ? 'Not measured: fewer than two consecutive windows had enough held-out subjects.'
        : `The same held-out subjects at window t and t+1: linear CKA of their embeddings (1 = the same geometry up to rotation and scale) and the mean of the ${r.stability.k} principal angles between the top-${r.stability.k} subspaces (0° = the same subspace).`,
      r.stability === null ? '' : charts(ckaChart([run]), anglesChart([run])),
    ),
    section(
      'robustness',
      'Robustness',
      'The probes fitted on clean training embeddings, applied to held-out windows re-encoded after damage; the bar is how much AUROC fell.',
      r.robustness.length === 0
        ? '<p>Not measured.</p>'
        : charts(robustnessChart([run])) +
            table(
              ['damage', 'task', 'AUROC', 'drop'],
              r.robustness.map((x) => [PERTURBATION_LABELS[x.perturbation], x.task, fixed(x.auroc, 3), fixed(x.auroc_drop, 3)]),
            ),
    ),
    r.alignment === null
      ? ''
      : section(
          'alignment',
          'Cross-modal alignment',
          `The EHR embedding E against the text embedding T of ${r.alignment.n} held-out subjects: CKA ${fixed(r.alignment.cka, 3)}; principal angles between their top-${r.alignment.k} subspaces (degrees): ${r.alignment.principal_angles_deg.map((a) => a.toFixed(1)).join(', ')}.`,
          '',
        ),
    r.latent_r2 === null
      ? ''
      : section(
          'latent',
          'Ground-truth latent state',
          `How much of the synthetic cohort's true latent state a linear (ridge) map recovers from the embedding at the prediction time: pooled held-out R² ${fixed(r.latent_r2.r2, 3)} over ${r.latent_r2.n_latents} dimensions.`,
          charts(latentChart([run])),
        ),
    r.skipped.length === 0
      ? ''
      : section('skipped', 'Not measured', 'What the evaluation could not compute, and why.', `<ul class="notes">${r.skipped.map((s) => `<li>${escapeText(`${s.what}: ${s.reason}`)}</li>`).join('')}</ul>`),
  ];
  return page(`dflc run report: ${r.run.objective}`, body.join('\n'));
}

function runMeta(r: EvalResult): string {
  return [
    `${r.run.modality} encoder, ${r.run.steps} training steps`,
    `data: ${r.run.data ?? 'the bundled synthetic cohort'}`,
    `run: ${r.run.dir}`,
    `evaluated ${r.run.evaluated_at} by dflc ${r.run.dflc} (seed ${r.run.seed}, ${r.run.bootstrap.resamples} bootstrap resamples)`,
  ].join(' · ');
}

function runHeadlines(r: EvalResult): Headline[] {
  const items: Headline[] = [
    { label: 'effective rank', value: `${fixed(r.geometry.effective_rank, 1)} of ${r.geometry.d}`, explain: 'how many directions the embedding really uses; the width d is the most' },
    { label: 'condition number', value: sig(r.geometry.condition_number), explain: 'largest over smallest covariance eigenvalue; lower is better conditioned' },
  ];
  const cka = r.stability?.cka_consecutive ?? [];
  if (cka.length > 0) items.push({ label: 'temporal CKA', value: fixed(mean(cka), 3), explain: 'same subjects, consecutive windows; 1 = geometry kept over time' });
  if (r.probes.length > 0) {
    const aurocs = r.probes.map((p) => p.auroc);
    items.push({
      label: r.probes.length === 1 ? `AUROC ${r.probes[0].task}` : `mean AUROC, ${r.probes.length} tasks`,
      value: fixed(mean(aurocs), 3),
      explain: r.probes.length === 1 ? 'linear probe on held-out subjects; 0.5 is chance' : `linear probes on held-out subjects (${fixed(Math.min(...aurocs), 3)} to ${fixed(Math.max(...aurocs), 3)}); 0.5 is chance`,
    });
  }
  if (r.robustness.length > 0) {
    items.push({ label: 'AUROC drop', value: fixed(mean(r.robustness.map((x) => x.auroc_drop)), 3), explain: 'mean loss of probe AUROC on damaged inputs; near 0 is robust' });
  }
  if (r.alignment !== null) items.push({ label: 'E–T CKA', value: fixed(r.alignment.cka, 3), explain: 'agreement of the EHR and text embeddings; 1 = same geometry' });
  if (r.latent_r2 !== null) items.push({ label: 'latent R²', value: fixed(r.latent_r2.r2, 3), explain: 'share of the true latent state a linear map recovers' });
  return items;
}

function fixed(v: number, digits: number): string {
  return v.toFixed(digits);
}

/** Three significant digits, e-notation for large values (a condition number can be 1e12). */
function sig(v: number): string {
  return Math.abs(v) >= 1e5 ? v.toExponential(2).replace('e+', 'e') : String(Number(v.toPrecision(3)));
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
