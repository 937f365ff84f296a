import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isFile } from '../data/dataset-files.ts';
import { DataError } from '../data/data-error.ts';
import { parseNpy } from '../io/npy.ts';
import { matrix64, type Matrix64 } from './metrics/matrix64.ts';

/**
 * Ground-truth latent states, as `dflc synth` writes them under `truth/`: for each (subject,
 * prediction time) the latent state then. Absent (undefined) for real data.
 */
export interface GroundTruth {
  /** Row of `latents` for the key `${subjectId}@${predictionTime}`. */
  readonly rowOf: ReadonlyMap<string, number>;
  readonly latents: Matrix64;
}

export const TRUTH_FILES = ['truth/subject_ids.npy', 'truth/prediction_times.npy', 'truth/latent_at_prediction.npy'] as const;

export function truthKey(subjectId: number, time: number): string {
  return `${subjectId}@${time}`;
}

export async function readGroundTruth(dataPath: string): Promise<GroundTruth | undefined> {
  const paths = TRUTH_FILES.map((f) => join(dataPath, f));
  for (const path of paths) if (!(await isFile(path))) return undefined;
  const [ids, times, latents] = await Promise.all(
    paths.map(async (path) => {
      try {
        return parseNpy(new Uint8Array(await readFile(path)));
      } catch (error) {
        throw new DataError(path, (error as Error).message);
      }
    }),
  );
  const n = ids.shape[0];
  if (times.shape[0] !== n || latents.shape.length !== 2 || latents.shape[0] !== n) {
    throw new DataError(paths[2], `expected [${n}, k] rows matching subject_ids.npy and prediction_times.npy, got [${latents.shape.join(', ')}]`);
  }
  const rowOf = new Map<string, number>();
  for (let i = 0; i < n; i++) rowOf.set(truthKey(Number(ids.data[i]), Number(times.data[i])), i);
  return { rowOf, latents: matrix64(Array.from(latents.data, Number), n, latents.shape[1]) };
}
