/**
 * Area under the ROC curve as the Mann–Whitney rank statistic: the probability that a random
 * positive scores above a random negative, ties counted ½. Computed from mid-ranks in O(n log n).
 * `labels` are 1 (positive) and 0 (negative). Undefined when either class is absent.
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | undefined {
  const n = checkScored(scores, labels);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    const midRank = (start + 1 + end) / 2; // ranks start..end-1 (1-based start+1..end), averaged
    for (let i = start; i < end; i++)
      if (labels[order[i]] === 1) {
        positives++;
        positiveRankSum += midRank;
      }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The length of a scored sample, after checking that scores are finite and labels are 0 or 1. */
export function checkScored(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores for ${labels.length} labels`);
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`score ${i} is not finite (${scores[i]})`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`label ${i} must be 0 or 1, got ${labels[i]}`);
  }
  return scores.length;
}
