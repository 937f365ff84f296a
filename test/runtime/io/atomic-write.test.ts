import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWrite } from '../../../runtime/io/atomic-write.ts';

// runtime/io/atomic-write.ts is tested here because `dflc fmt --write` is its first user.
describe('atomicWrite', () => {
  it('creates a new file and replaces an existing one, keeping its mode, leaving no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dflc-atomic-'));
    const file = join(dir, 'a.dfl');
    await atomicWrite(file, 'one\n');
    expect(readFileSync(file, 'utf8')).toBe('one\n');
    chmodSync(file, 0o600);
    await atomicWrite(file, new TextEncoder().encode('two\n'));
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.dfl']);
  });

  it('writes through a symlink, which survives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dflc-atomic-'));
    writeFileSync(join(dir, 'target.dfl'), 'old\n');
    symlinkSync('target.dfl', join(dir, 'link.dfl'));
    await atomicWrite(join(dir, 'link.dfl'), 'new\n');
    expect(lstatSync(join(dir, 'link.dfl')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target.dfl'), 'utf8')).toBe('new\n');
  });

  it('rejects when the folder does not exist', async () => {
    await expect(atomicWrite(join(tmpdir(), 'no-such-dflc-dir', 'a.dfl'), 'x')).rejects.toThrow(/ENOENT/);
  });
});
