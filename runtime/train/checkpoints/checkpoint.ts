import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Float32Tensor } from '../../executors/executor.ts';
import { atomicWrite } from '../../io/atomic-write.ts';
import { formatNpy, parseNpy } from '../../io/npy.ts';

/**
 * Checkpoints: the whole training state after a step, so that a killed run continues exactly.
 * ```
 * RUN/checkpoints/step-120/state.json      {step, epoch, batchInEpoch, seed, configHash, backend, arrays}
 * RUN/checkpoints/step-120/param/W.npy     every `param:*` (float32)
 * RUN/checkpoints/step-120/adam.m/W.npy    Adam's first moments, and adam.v/ its second
 * RUN/checkpoints/latest                   one line: the folder of the newest complete checkpoint
 * ```
 * A checkpoint is written into a temporary folder, flushed, and renamed into place; only then is
 * `latest` replaced (atomically) to name it, and only then are older ones removed (the last
 * `keep` stay). A kill at any moment leaves `latest` naming a complete checkpoint, or no `latest`.
 */
export interface TrainState {
  /** Steps done (the next step is step + 1). */
  readonly step: number;
  /** The epoch (0-based) and the batch within it that the next step takes. */
  readonly epoch: number;
  readonly batchInEpoch: number;
  readonly seed: number;
  /** Hash of everything that determines the trajectory (see hash-run-config.ts). */
  readonly configHash: string;
  /** The executor the state was computed on. */
  readonly backend: string;
}

export interface Checkpoint {
  readonly state: TrainState;
  /** `param:<name>`, `adam.m:<name>`, `adam.v:<name>` arrays. */
  readonly arrays: ReadonlyMap<string, Float32Tensor>;
}

interface StateFile extends TrainState {
  readonly format: 'dflc-checkpoint';
  /** Array name -> file, relative to the checkpoint folder. */
  readonly arrays: Readonly<Record<string, string>>;
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export const CHECKPOINTS_DIR = 'checkpoints';
const LATEST = 'latest';
const STEP_DIR = /^step-(\d+)$/;

export function checkpointFolderName(step: number): string {
  return `step-${step}`;
}

/** `param:W` -> `param/W.npy`; characters unsafe in file names are %-escaped. */
export function arrayFileName(name: string): string {
  const colon = name.indexOf(':');
  const kind = colon < 0 ? 'other' : name.slice(0, colon);
  const rest = colon < 0 ? name : name.slice(colon + 1);
  const escape = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `${escape(kind)}/${escape(rest) || '%20'}.npy`;
}

async function writeSynced(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a checkpoint under `runDir`, points `latest` at it, keeps the newest `keep` (Infinity: all); returns its folder. */
export async function writeCheckpoint(runDir: string, checkpoint: Checkpoint, keep = 2): Promise<string> {
  const dir = join(runDir, CHECKPOINTS_DIR);
  await mkdir(dir, { recursive: true });
  const name = checkpointFolderName(checkpoint.state.step);
  const temp = join(dir, `.${name}.tmp-${process.pid}`);
  await rm(temp, { recursive: true, force: true });
  const files: Record<string, string> = {};
  for (const [arrayName, tensor] of checkpoint.arrays) {
    const file = arrayFileName(arrayName);
    files[arrayName] = file;
    await mkdir(join(temp, file, '..'), { recursive: true });
    await writeSynced(join(temp, file), formatNpy({ dtype: 'float32', shape: tensor.shape, data: tensor.data }));
  }
  const state: StateFile = { format: 'dflc-checkpoint', ...checkpoint.state, arrays: files };
  await writeSynced(join(temp, 'state.json'), JSON.stringify(state, null, 2) + '\n');
  const target = join(dir, name);
  // A folder of this name can only be left over from before a resume: `latest` names an older one.
  await rm(target, { recursive: true, force: true });
  await rename(temp, target);
  await atomicWrite(join(dir, LATEST), `${name}\n`);
  await pruneCheckpoints(dir, checkpoint.state.step, keep);
  return name;
}

/** Keeps the `keep` newest checkpoints up to the one `latest` names (checkpoint-retention.ts). */
export async function pruneToLatest(runDir: string, keep: number): Promise<void> {
  const latest = await latestCheckpointName(runDir);
  if (latest !== undefined) await pruneCheckpoints(join(runDir, CHECKPOINTS_DIR), Number(STEP_DIR.exec(latest)![1]), keep);
}

/** Keeps `keep` checkpoints up to `current`; removes later ones (stale) and leftover temp folders. */
async function pruneCheckpoints(dir: string, current: number, keep: number): Promise<void> {
  const steps: number[] = [];
  for (const entry of await readdir(dir)) {
    const m = STEP_DIR.exec(entry);
    if (m !== null) steps.push(Number(m[1]));
    else if (entry.startsWith('.step-') && entry.includes('.tmp-')) await rm(join(dir, entry), { recursive: true, force: true });
  }
  const older = steps.filter((s) => s <= current).sort((a, b) => b - a);
  const remove = [...older.slice(Math.max(1, keep)), ...steps.filter((s) => s > current)];
  for (const step of remove) await rm(join(dir, checkpointFolderName(step)), { recursive: true, force: true });
}

/** The folder `latest` names, or undefined when the run has no checkpoint yet. */
export async function latestCheckpointName(runDir: string): Promise<string | undefined> {
  try {
    const name = (await readFile(join(runDir, CHECKPOINTS_DIR, LATEST), 'utf8')).trim();
    if (!STEP_DIR.test(name)) throw new CheckpointError(`${join(runDir, CHECKPOINTS_DIR, LATEST)}: does not name a checkpoint ('${name}')`);
    return name;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads the checkpoint `latest` names, or undefined when there is none. */
export async function readLatestCheckpoint(runDir: string): Promise<Checkpoint | undefined> {
  const name = await latestCheckpointName(runDir);
  return name === undefined ? undefined : readCheckpoint(join(runDir, CHECKPOINTS_DIR, name));
}

export async function readCheckpoint(folder: string): Promise<Checkpoint> {
  let state: StateFile;
  try {
    state = JSON.parse(await readFile(join(folder, 'state.json'), 'utf8')) as StateFile;
  } catch (error) {
    throw new CheckpointError(`${join(folder, 'state.json')}: cannot read the checkpoint state (${(error as Error).message})`);
  }
  const intOk = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
  if (state?.format !== 'dflc-checkpoint' || !intOk(state.step) || !intOk(state.epoch) || !intOk(state.batchInEpoch) || typeof state.arrays !== 'object') {
    throw new CheckpointError(`${join(folder, 'state.json')}: not a dflc checkpoint state`);
  }
  const arrays = new Map<string, Float32Tensor>();
  for (const [name, file] of Object.entries(state.arrays)) {
    const path = join(folder, file);
    let array;
    try {
      array = parseNpy(new Uint8Array(await readFile(path)));
    } catch (error) {
      throw new CheckpointError(`${path}: ${(error as Error).message}`);
    }
    if (array.dtype !== 'float32') throw new CheckpointError(`${path}: expected float32, found ${array.dtype}`);
    arrays.set(name, { shape: array.shape, data: array.data as Float32Array });
  }
  const { format: _format, arrays: _files, ...rest } = state;
  return { state: rest, arrays };
}
