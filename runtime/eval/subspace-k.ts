/** The most principal directions compared between two embeddings (stability, alignment). */
export const MAX_SUBSPACE_K = 8;

/** k for d-dimensional embeddings of n rows: at most MAX_SUBSPACE_K, d, and n − 1 (the rank of a centred n-row matrix). */
export function subspaceK(d: number, n: number): number {
  return Math.max(1, Math.min(MAX_SUBSPACE_K, d, n - 1));
}
