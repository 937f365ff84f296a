import { effectiveRank as effectiveRankOf } from '../../eval/metrics/effective-rank.ts';
import { matrix64 } from '../../eval/metrics/matrix64.ts';

/**
 * Effective rank (Roy and Vetterli, 2007) of an embedding batch, row-major `rows` x `cols`: the
 * live number the progress bar shows, the same measure `dflc eval` reports (eval/metrics). NaN for
 * fewer than 2 rows or no columns, where it is not defined.
 */
export function effectiveRank(data: ArrayLike<number>, rows: number, cols: number): number {
  if (rows < 2 || cols < 1) return NaN;
  return effectiveRankOf(matrix64(data, rows, cols));
}
