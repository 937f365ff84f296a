import { checkScored } from './auroc.ts';

/**
 * Area under the precision-recall curve as average precision: Σₜ (Rₜ − Rₜ₋₁) Pₜ over the distinct
 * score thresholds t in decreasing order, Rₜ and Pₜ the recall and precision of "score ≥ t". Tied
 * scores are one threshold (no interpolation, no optimistic ordering within ties). A random scorer's
 * expected value is the prevalence. Undefined without positives.
 */
export function auprc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | undefined {
  const n = checkScored(scores, labels);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  if (positives === 0) return undefined;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let truePositives = 0;
  let area = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    let groupPositives = 0;
    while (end < n && scores[order[end]] === scores[order[start]]) groupPositives += labels[order[end++]];
    truePositives += groupPositives;
    area += (groupPositives / positives) * (truePositives / end);
    start = end;
  }
  return area;
}
