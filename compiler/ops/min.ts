import { reduceExtreme } from './reduce-extreme.ts';

/** The smallest entry (NaN if any entry is NaN); ties share the gradient evenly. */
export const min = reduceExtreme(Math.min);
