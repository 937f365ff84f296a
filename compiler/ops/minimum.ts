import { pairwiseExtreme } from './pairwise-extreme.ts';

/** min(x, y), entry by entry (NaN wins). At ties the gradient goes to the first input. */
export const minimum = pairwiseExtreme(Math.min);
