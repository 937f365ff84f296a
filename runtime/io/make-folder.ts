import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** A folder the user named cannot be made: the message says which path and why. */
export class FolderError extends Error {
  override name = 'FolderError';
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/**
 * Makes the folder `path` and any missing parents, one level at a time. Node's
 * `mkdir(path, { recursive: true })` is not used: on some file systems (under /proc) it retries
 * forever at full CPU, and where a parent is a file it fails with a bare EEXIST or ENOTDIR. Here
 * the walk up to the nearest existing ancestor ends at the root, so it is bounded by the path's
 * depth, and every failure names the path.
 */
export async function makeFolder(path: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(at)).isDirectory();
    } catch (error) {
      const code = codeOf(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new FolderError(`cannot make the folder '${path}': cannot read '${at}' (${code})`);
      if (dirname(at) === at) throw new FolderError(`cannot make the folder '${path}': its root '${at}' does not exist`);
      missing.unshift(at);
      continue;
    }
    if (!isFolder) {
      throw new FolderError(missing.length === 0 ? `'${path}' is a file, not a folder` : `cannot make the folder '${path}': '${at}' is a file`);
    }
    break;
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
    } catch (error) {
      if (codeOf(error) === 'EEXIST' && (await stat(folder).catch(() => undefined))?.isDirectory() === true) continue;
      throw new FolderError(`cannot make the folder '${folder}' (${codeOf(error)})`);
    }
  }
}
