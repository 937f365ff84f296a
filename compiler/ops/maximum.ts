import { pairwiseExtreme } from './pairwise-extreme.ts';

/** max(x, y), entry by entry (NaN wins). At ties the gradient goes to the first input. */
export const maximum = pairwiseExtreme(Math.max);
