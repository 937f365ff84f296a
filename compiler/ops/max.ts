import { reduceExtreme } from './reduce-extreme.ts';

/** The largest entry (NaN if any entry is NaN); ties share the gradient evenly. */
export const max = reduceExtreme(Math.max);
