import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockRunFolder, parseOwner, type LockOwner } from '../../../../runtime/train/run-folder/run-folder-lock.ts';
import { RunError } from '../../../../runtime/train/run-error.ts';
import { withTempDir } from '../helpers.ts';

/** The pid of a process that has exited (pids are reused, but not within the moment a test takes). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

const lockOf = (pid: number, extra: Partial<LockOwner> = {}): string =>
  JSON.stringify({ format: 'dflc-run-lock', pid, host: hostname(), started: '2026-12-01T00:00:00.000Z', command: 'dflc run x.dfl', token: 'feedc0de', ...extra });

const readOwner = async (path: string): Promise<LockOwner> => parseOwner(await readFile(path, 'utf8')) as LockOwner;

describe('the run folder lock', () => {
  it('makes a missing folder, names this process in the lock, and on release leaves nothing behind', () =>
    withTempDir(async (dir) => {
      const out = join(dir, 'runs', 'a');
      const lock = await lockRunFolder(out, new Date('2026-12-02T10:00:00Z'));
      const owner = await readOwner(join(out, LOCK_FILE));
      expect(owner).toMatchObject({ pid: process.pid, host: hostname(), started: '2026-12-02T10:00:00.000Z' });
      expect(owner.command).toMatch(/^dflc\b/);
      expect(await readdir(out)).toEqual([LOCK_FILE]);
      await lock.release();
      expect(await readdir(dir)).toEqual([]);
    }));

  it('keeps a folder that existed, and what the run wrote into one it made', () =>
    withTempDir(async (dir) => {
      const lock = await lockRunFolder(dir);
      await lock.release();
      expect((await stat(dir)).isDirectory()).toBe(true);
      const out = join(dir, 'new');
      const second = await lockRunFolder(out);
      await writeFile(join(out, 'run.json'), '{}');
      await second.release();
      expect(await readdir(out)).toEqual(['run.json']);
    }));

  it('refuses a folder a live process holds, naming the folder and the pid, and leaves its lock alone', () =>
    withTempDir(async (out) => {
      // The parent of this test process is alive and is not this process.
      const text = lockOf(process.ppid);
      await writeFile(join(out, LOCK_FILE), text);
      const refused = lockRunFolder(out);
      await expect(refused).rejects.toThrow(RunError);
      await expect(refused).rejects.toThrow(`${out} is in use by process ${process.ppid} (dflc run x.dfl, since 2026-12-01T00:00:00.000Z)`);
      expect(await readFile(join(out, LOCK_FILE), 'utf8')).toBe(text);
      expect(await readdir(out)).toEqual([LOCK_FILE]);
    }));

  it('refuses a second lock of the same folder in this process', () =>
    withTempDir(async (out) => {
      const lock = await lockRunFolder(out);
      await expect(lockRunFolder(out)).rejects.toThrow(`in use by process ${process.pid}`);
      await lock.release();
    }));

  it('takes over the lock of a dead process, and the leftovers of one that died taking a lock', () =>
    withTempDir(async (out) => {
      const dead = await deadPid();
      await writeFile(join(out, LOCK_FILE), lockOf(dead));
      await writeFile(join(out, `.${LOCK_FILE}.${dead}.0badf00d.tmp`), lockOf(dead));
      await writeFile(join(out, `.${LOCK_FILE}.feedc0de.claim`), lockOf(dead));
      const lock = await lockRunFolder(out);
      expect((await readOwner(join(out, LOCK_FILE))).pid).toBe(process.pid);
      expect(await readdir(out)).toEqual([LOCK_FILE]);
      await lock.release();
    }));

  it("takes over a lock naming this process's pid but not one of its locks (a restarted container reuses pids)", () =>
    withTempDir(async (out) => {
      await writeFile(join(out, LOCK_FILE), lockOf(process.pid));
      const lock = await lockRunFolder(out);
      expect((await readOwner(join(out, LOCK_FILE))).token).toBe(lock.owner.token);
      await lock.release();
    }));

  it('refuses a lock from another host, which it cannot check, saying which file to delete', () =>
    withTempDir(async (out) => {
      await writeFile(join(out, LOCK_FILE), lockOf(await deadPid(), { host: `not-${hostname()}` }));
      await expect(lockRunFolder(out)).rejects.toThrow(`on host not-${hostname()}`);
      await expect(lockRunFolder(out)).rejects.toThrow(`delete ${join(out, LOCK_FILE)}`);
    }));

  // dflc writes a lock whole or not at all, so a malformed one was not written by a dflc run: its
  // owner is unknown, and taking it over could let two processes into the folder.
  it.each([
    ['', 'it is empty'],
    ['12345', 'no "format": "dflc-run-lock"'],
    ['{"pid": 1', 'it is not JSON'],
    [lockOf(1, { pid: -3 }), 'no positive integer "pid"'],
    [lockOf(1, { token: 7 as unknown as string }), 'no string "token"'],
  ])('refuses a malformed lock file (%j), naming it and what is wrong', (text, why) =>
    withTempDir(async (out) => {
      await writeFile(join(out, LOCK_FILE), text);
      await expect(lockRunFolder(out)).rejects.toThrow(`${join(out, LOCK_FILE)} is not a dflc lock file (${why}); if no dflc process is using ${out}, delete it`);
      expect(await readFile(join(out, LOCK_FILE), 'utf8')).toBe(text);
    }),
  );

  it('says a run folder that is a file is not a folder', () =>
    withTempDir(async (dir) => {
      await writeFile(join(dir, 'f'), '');
      await expect(lockRunFolder(join(dir, 'f'))).rejects.toThrow(`${join(dir, 'f')} is a file, not a folder`);
    }));

  // Each taker works through the same file operations, so their awaits interleave: whatever the
  // order, one of them holds the lock and every other is refused with the winner's pid.
  it.each([
    ['a free folder', async () => undefined],
    ['a dead lock', async (out: string, dead: number) => writeFile(join(out, LOCK_FILE), lockOf(dead))],
  ])('lets exactly one of many simultaneous takers have %s', async (_what, prepare) => {
    const dead = await deadPid();
    for (let round = 0; round < 25; round++) {
      await withTempDir(async (dir) => {
        const out = join(dir, 'run');
        await mkdir(out);
        await prepare(out, dead);
        // Staggered starts, so that some read the dead lock while another is removing it.
        const tries = await Promise.allSettled(Array.from({ length: 8 }, (_, k) => sleep(k % 4).then(() => lockRunFolder(out))));
        const won = tries.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
        expect(won).toHaveLength(1);
        for (const t of tries) if (t.status === 'rejected') expect((t.reason as Error).message).toContain(`${out} is in use by process ${process.pid}`);
        expect((await readOwner(join(out, LOCK_FILE))).token).toBe(won[0]!.owner.token);
        await won[0]!.release();
        expect(await readdir(out)).toEqual([]);
      });
    }
  });
});
