import type { Cohort } from '../../data/cohort.ts';
import { NO_SPLIT } from '../../data/meds-schema.ts';

/**
 * Which subjects a run trains on: the `train` split. A dataset without any split assignment
 * (no metadata/subject_splits) trains on every subject, and says so; subjects left out of an
 * otherwise split dataset are not trained on.
 */
export interface TrainSubjects {
  /** 1 for each subject index that is trained on. */
  readonly mask: Uint8Array;
  readonly count: number;
  /** True when the dataset has no splits and every subject counts as train. */
  readonly unsplit: boolean;
}

const TRAIN = 0;

export function trainSubjects(cohort: Cohort): TrainSubjects {
  const { split, count } = cohort.subjects;
  const unsplit = split.every((s) => s === NO_SPLIT);
  const mask = new Uint8Array(count);
  let n = 0;
  for (let s = 0; s < count; s++) {
    if (unsplit || split[s] === TRAIN) {
      mask[s] = 1;
      n++;
    }
  }
  return { mask, count: n, unsplit };
}
