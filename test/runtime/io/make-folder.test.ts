import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderError, makeFolder } from '../../../runtime/io/make-folder.ts';

const root = mkdtempSync(join(tmpdir(), 'dflc-make-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('makeFolder', () => {
  it('makes missing parents and accepts an existing folder', async () => {
    const deep = join(root, 'a', 'b', 'c');
    await makeFolder(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeFolder(deep);
  });

  it('names a file where the folder should be', async () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    await expect(makeFolder(file)).rejects.toThrow(new FolderError(`'${file}' is a file, not a folder`));
    await expect(makeFolder(join(file, 'x', 'y'))).rejects.toThrow(new FolderError(`cannot make the folder '${join(file, 'x', 'y')}': '${file}' is a file`));
  });

  it.runIf(existsSync('/proc/self'))('fails at once under /proc, where recursive mkdir spins', async () => {
    const start = Date.now();
    await expect(makeFolder('/proc/dflc-test/grads')).rejects.toThrow(FolderError);
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  it('leaves an existing folder of a concurrent maker alone', async () => {
    const shared = join(root, 'shared', 'x');
    mkdirSync(join(root, 'shared'));
    await Promise.all([makeFolder(shared), makeFolder(shared), makeFolder(shared)]);
    expect(statSync(shared).isDirectory()).toBe(true);
  });
});
