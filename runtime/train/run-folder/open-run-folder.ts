import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunConfig, SettingName, SettingSource } from '../settings/run-config.ts';
import { MODEL_DIR } from '../outputs/model-files.ts';
import { mergeForResume } from '../settings/resume-config.ts';
import { RunError } from '../run-error.ts';
import { readRunRecord, type RunRecord } from './run-record.ts';
import { isLockFileName } from './run-folder-lock.ts';

/**
 * The run folder as `dflc run` finds it. A new run needs an empty or missing folder. --resume
 * needs a dflc run folder (an empty or missing one starts a new run there) and takes the settings
 * the run was started with, refusing changes that would alter its trajectory (settings/resume-config.ts)
 * and a changed objective.
 */
export const OBJECTIVE_FILE = 'objective.dfl';
export const METRICS_FILE = 'metrics.jsonl';

export interface RunFolderRequest {
  readonly out: string;
  readonly config: RunConfig;
  readonly sources: Readonly<Record<SettingName, SettingSource>>;
  readonly objectiveFile: string;
  readonly objectiveSource: string;
  readonly log: (line: string) => void;
}

export interface OpenedRunFolder {
  /** The settings to run with: on --resume, the run's own merged with what may change. */
  readonly config: RunConfig;
  /** The record of the run being resumed; undefined for a new run. */
  readonly resumed: RunRecord | undefined;
}

export async function openRunFolder(request: RunFolderRequest): Promise<OpenedRunFolder> {
  const { out, log } = request;
  const saved = await readRunRecord(out).catch((error: Error) => {
    throw new RunError(`${join(out, 'run.json')}: ${error.message}`);
  });
  if (!request.config.resume) {
    if (!(await isEmptyOrMissing(out))) {
      throw new RunError(
        saved !== undefined
          ? `${out} already holds a run; pass --resume to continue it, or choose another --out`
          : `${out} exists and is not empty; choose another --out`,
      );
    }
    return { config: request.config, resumed: undefined };
  }
  if (saved === undefined) {
    if (!(await isEmptyOrMissing(out))) throw new RunError(`--resume: ${out} is not a dflc run folder (it has no run.json)`);
    log(`nothing to resume in ${out}: starting a new run there`);
    return { config: request.config, resumed: undefined };
  }
  const merged = mergeForResume(request.config, request.sources, saved);
  if (merged.conflicts.length > 0) {
    throw new RunError(`--resume: ${merged.conflicts.join('; ')}. Resume with the run's settings, or start a new run with another --out`);
  }
  for (const note of merged.notes) log(`note: ${note}`);
  const savedSource = await readFile(join(out, OBJECTIVE_FILE), 'utf8').catch(() => undefined);
  if (savedSource !== undefined && savedSource !== request.objectiveSource) {
    throw new RunError(`--resume: ${request.objectiveFile} differs from the objective the run was started with (${join(out, OBJECTIVE_FILE)})`);
  }
  return { config: { ...merged.config, resume: true }, resumed: saved };
}

/** Temporaries a killed run left: `.name.<pid>.<hex>.tmp` (atomicWrite) and `.step-N.tmp-<pid>` (checkpoints/checkpoint.ts). */
export async function removeTemporaries(out: string): Promise<void> {
  for (const dir of [out, join(out, MODEL_DIR), join(out, 'embeddings'), join(out, 'checkpoints')]) {
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      // The lock's own temporaries may be a live process's (run-folder-lock.ts removes those of dead ones).
      if (isLockFileName(entry)) continue;
      if (/^\..+\.tmp$/.test(entry) || /^\.step-\d+\.tmp-\d+$/.test(entry)) await rm(join(dir, entry), { recursive: true, force: true });
    }
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    // The lock is taken before the folder is opened (run-folder-lock.ts).
    return (await readdir(dir)).every(isLockFileName);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTDIR') throw new RunError(`${dir} is a file, not a folder`);
    throw error;
  }
}
