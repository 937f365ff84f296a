import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isDirectory } from '../../data/dataset-files.ts';
import { SynthTargetError, writeSyntheticCohort } from '../../data/synth/write-cohort.ts';

/**
 * The dataset `dflc run` trains on when given no `--data`: a synthetic cohort (dflc synth) of
 * BUNDLED_PATIENTS patients with a fixed seed, generated on first use into the cache folder
 * (`$DFLC_CACHE`, else `$XDG_CACHE_HOME/dflc`, else `~/.cache/dflc`) and reused after. The
 * generator writes into a temporary folder and renames it, so an interrupted first run leaves
 * nothing half-written, and two runs racing to create it both end up reading one complete cohort.
 */
export const BUNDLED_PATIENTS = 2000;
export const BUNDLED_SEED = 20261125;
/** Bump when the synthetic generator changes its output, so old caches are not reused. */
const BUNDLED_VERSION = 1;

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DFLC_CACHE !== undefined && env.DFLC_CACHE !== '') return env.DFLC_CACHE;
  if (env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '') return join(env.XDG_CACHE_HOME, 'dflc');
  return join(homedir(), '.cache', 'dflc');
}

export function bundledCohortPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), `synthetic-v${BUNDLED_VERSION}-${BUNDLED_PATIENTS}-seed-${BUNDLED_SEED}`);
}

/** The bundled cohort's folder, generating it first when absent. `created` tells which. */
export async function ensureBundledCohort(
  env: NodeJS.ProcessEnv,
  onProgress?: (done: number, total: number) => void,
): Promise<{ path: string; created: boolean }> {
  const path = bundledCohortPath(env);
  if (await isDirectory(join(path, 'data'))) return { path, created: false };
  await mkdir(cacheDir(env), { recursive: true });
  try {
    await writeSyntheticCohort({ out: path, patients: BUNDLED_PATIENTS, seed: BUNDLED_SEED, onProgress });
  } catch (error) {
    // Another dflc finished creating it first.
    if (error instanceof SynthTargetError && (await isDirectory(join(path, 'data')))) return { path, created: false };
    throw error;
  }
  return { path, created: true };
}
