/** The name of a time reference as written and as bound on the command line: `Z_t`, `Z_t+1`, `H_t-2`. */
export function timeRefName(stream: string, offset: number): string {
  if (offset === 0) return `${stream}_t`;
  return offset > 0 ? `${stream}_t+${offset}` : `${stream}_t${offset}`;
}

/** The default shape of an input nobody declared: a batch of n rows of width d. */
export const IMPLICIT_SHAPE = ['n', 'd'] as const;
