import { randomBytes } from 'node:crypto';
import { readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunError } from '../run-error.ts';

/**
 * `RUN/run.lock`: one process at a time uses a run folder. Two at once (a run and a --resume of
 * it, or two resumes) would interleave checkpoints and metrics.jsonl, or remove each other's
 * temporaries. The lock is a small JSON file naming its process (pid, host, start time, command).
 * It is written whole to a temporary file and hard-linked into place, which fails when a lock
 * exists: taking it is atomic, and no one reads a half-written lock.
 *
 * A lock whose process is gone (killed with SIGKILL, a crash, a reboot) is taken over. Removing
 * it is the delicate part: between reading the dead lock and removing it, another taker may have
 * removed it and put its own in place, which must not be removed in turn. So a taker first claims
 * the dead lock, creating `.run.lock.<its token>.claim` the same atomic way (one process wins the
 * claim of a given lock), and under the claim reads the lock again and removes it only if it is
 * still the dead one: nothing else can change it then, since only the winner of its claim may
 * remove it and its owner is dead. Then the taker tries to create its lock afresh, like anyone.
 * A claim whose claimant died is removed; only there is a race left: two takers that both find
 * such a claim could both end up removing the dead lock, one of them after the other had already
 * put its own in place. That needs a process to die in the moment it holds a claim (a few file
 * operations) and two others to start at once after it.
 *
 * A lock from another host cannot be checked (a shared file system) and is refused, as is a file
 * that is not a lock dflc wrote (hand-made, or from another program): dflc never writes one
 * half-way, so its owner is unknown, and refusing costs an `rm` where guessing could cost a run.
 * Each message says which file to delete when the user knows that no dflc process uses the folder.
 *
 * The lock is released when the process exits, normally or not, and on SIGINT, SIGTERM and SIGHUP
 * (after which the signal takes its usual effect).
 */
export const LOCK_FILE = 'run.lock';

export interface LockOwner {
  readonly format: 'dflc-run-lock';
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly command: string;
  /** Tells this lock from a later one of the same pid (pids are reused). */
  readonly token: string;
}

export interface RunFolderLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Removes the lock (if it is still this one) and the folder when taking the lock made it. */
  release(): Promise<void>;
}

/** The tokens of this process's locks and claims: a lock naming this pid with another token is stale. */
const held = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Tries at the lock, each after the lock changed under us or while a live process held a claim. */
const ATTEMPTS = 200;
/** Between tries while another process takes over a dead lock (which takes it a few file operations). */
const CLAIM_WAIT_MS = 10;

/** Locks the folder `out` (made if missing) for this process; throws RunError when another holds it. */
export async function lockRunFolder(out: string, now: Date = new Date()): Promise<RunFolderLock> {
  const made = await makeFolder(out);
  const path = join(out, LOCK_FILE);
  const owner: LockOwner = {
    format: 'dflc-run-lock',
    pid: process.pid,
    host: hostname(),
    started: now.toISOString(),
    command: ['dflc', ...process.argv.slice(2)].join(' '),
    token: randomBytes(8).toString('hex'),
  };
  held.add(owner.token);

  let released = false;
  const releaseSync = (): void => {
    if (released) return;
    released = true;
    process.off('exit', releaseSync);
    for (const signal of SIGNALS) process.off(signal, onSignal);
    // Only our own lock: one that a takeover put in place (after wrongly judging us dead) stays.
    if (readOwner(() => readFileSync(path, 'utf8'))?.token === owner.token) unlinkSync(path);
    held.delete(owner.token);
    removeMadeFolders(out, made);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    releaseSync();
    // Our handler is gone: the signal now does what it would have done (end the process).
    process.kill(process.pid, signal);
  };
  // Before the lock file exists: a signal between its link and a later registration would end the
  // process by default and leave the lock behind (releaseSync removes only a lock with our token).
  process.on('exit', releaseSync);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    await acquire(out, path, owner);
  } catch (error) {
    releaseSync();
    throw error;
  }
  // Hidden and a few bytes each: failing to remove them is no reason to stop the run.
  await removeLeftovers(out).catch(() => undefined);
  return { path, owner, release: async () => releaseSync() };
}

async function acquire(out: string, path: string, owner: LockOwner): Promise<void> {
  const ownText = `${JSON.stringify(owner, null, 2)}\n`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusive(path, ownText)) return;
    const found = await readLock(path);
    if (found === undefined) continue; // Released between our try and our read.
    if (typeof found === 'string') throw notALock(out, path, found);
    const state = ownerState(found);
    if (state !== 'dead') throw inUse(out, path, found, state);

    const claim = claimName(path, found.token);
    if (!(await createExclusive(claim, ownText))) {
      const claimant = await readLock(claim);
      if (typeof claimant === 'object' && ownerState(claimant) === 'alive') await sleep(CLAIM_WAIT_MS);
      else if (claimant !== undefined) await unlink(claim).catch(missingAsUndefined); // Its claimant died.
      continue;
    }
    try {
      const again = await readLock(path);
      if (typeof again === 'object' && again.token === found.token) await unlink(path);
    } finally {
      await unlink(claim).catch(missingAsUndefined);
    }
  }
  throw new RunError(`${path}: could not take the lock: it kept changing while dflc tried; run again`);
}

function notALock(out: string, path: string, why: string): RunError {
  return new RunError(`${path} is not a dflc lock file (${why}); if no dflc process is using ${out}, delete it and run again`);
}

function inUse(out: string, path: string, owner: LockOwner, state: 'alive' | 'unknown'): RunError {
  const who = `process ${owner.pid}${state === 'unknown' ? ` on host ${owner.host}` : ''} (${owner.command}, since ${owner.started})`;
  const advice =
    state === 'unknown'
      ? `dflc cannot check a process on another host; if it is gone, delete ${path} and run again`
      : `wait for it to end or stop it; if that pid is not a dflc process, delete ${path} and run again`;
  return new RunError(`${out} is in use by ${who}: ${advice}`);
}

/** True when the file was created holding `text`; false when it already exists. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  const temp = join(dirname(path), `.${LOCK_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp);
  }
}

/** `.run.lock.<token>.claim`: held while a process removes the dead lock of that token. */
function claimName(path: string, token: string): string {
  return join(dirname(path), `.${LOCK_FILE}.${token}.claim`);
}

/**
 * Once we hold the lock: the claims of earlier locks (a claimant that finds our lock in place
 * removes nothing) and the temporaries of processes that died while taking a lock.
 */
async function removeLeftovers(out: string): Promise<void> {
  for (const name of await readdir(out)) {
    const m = /^\.run\.lock\.(?:[0-9a-f]+\.claim|(\d+)\.[0-9a-f]+\.tmp)$/.exec(name);
    if (m === null || (m[1] !== undefined && (Number(m[1]) === process.pid || isAlive(Number(m[1]))))) continue;
    await unlink(join(out, name)).catch(missingAsUndefined);
  }
}

/** The lock, or a temporary of taking it: not part of the run (a folder holding only these is empty). */
export function isLockFileName(name: string): boolean {
  return name === LOCK_FILE || name.startsWith(`.${LOCK_FILE}.`);
}

/** 'dead' when the owner's process is gone, 'unknown' when it is on another host. */
export function ownerState(owner: LockOwner): 'alive' | 'dead' | 'unknown' {
  if (owner.host !== hostname()) return 'unknown';
  // A restarted container may give this process the pid of a dead one: only our own tokens are live.
  if (owner.pid === process.pid) return held.has(owner.token) ? 'alive' : 'dead';
  return isAlive(owner.pid) ? 'alive' : 'dead';
}

/** Whether a process of this pid exists on this host. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, owned by another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The lock's owner, or why the text is not a dflc lock. */
export function parseOwner(text: string): LockOwner | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.trim() === '' ? 'it is empty' : 'it is not JSON';
  }
  const o = json as Partial<LockOwner> | null;
  if (o?.format !== 'dflc-run-lock') return 'no "format": "dflc-run-lock"';
  if (!Number.isSafeInteger(o.pid) || (o.pid as number) <= 0) return 'no positive integer "pid"';
  for (const key of ['host', 'started', 'command', 'token'] as const) if (typeof o[key] !== 'string') return `no string "${key}"`;
  return o as LockOwner;
}

/** The owner a lock file names, why it names none, or undefined when there is no such file. */
async function readLock(path: string): Promise<LockOwner | string | undefined> {
  const text = await readFile(path, 'utf8').catch(missingAsUndefined);
  return text === undefined ? undefined : parseOwner(text);
}

function readOwner(read: () => string): LockOwner | undefined {
  try {
    const owner = parseOwner(read());
    return typeof owner === 'string' ? undefined : owner;
  } catch {
    return undefined;
  }
}

/** Makes `out` with its missing parents; returns the first folder made, undefined when it existed. */
async function makeFolder(out: string): Promise<string | undefined> {
  try {
    return await mkdir(out, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new RunError(`${out} is a file, not a folder`);
    throw error;
  }
}

/** A run that stopped before writing anything leaves no folder behind, as before it took the lock. */
function removeMadeFolders(out: string, made: string | undefined): void {
  if (made === undefined) return;
  for (let dir = out; ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // Not empty: the run wrote something, which stays.
    }
    if (dir === made) return;
  }
}

function missingAsUndefined(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  return undefined;
}
