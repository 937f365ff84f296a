import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** Paths compare as people expect: `data/2.parquet` before `data/10.parquet`. */
export function comparePaths(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The files under `dir` (recursively) whose extension is one of `extensions`, as paths joined to
 * `dir`, in comparePaths order. Hidden files (a name starting with '.') are skipped: editors and
 * writers leave temporary files there. An absent folder gives an empty list.
 */
export async function listTableFiles(dir: string, extensions: readonly string[]): Promise<string[]> {
  if (!(await isDirectory(dir))) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    if (!extensions.includes(extname(entry.name).toLowerCase())) continue;
    // `parentPath` is Node 20.12+; `path` is its older name.
    const parent = (entry as unknown as { parentPath?: string; path?: string }).parentPath ?? (entry as unknown as { path: string }).path;
    files.push(join(parent, entry.name));
  }
  return files.sort(comparePaths);
}

/** The first of `dir/stem.ext` for ext in `extensions` that exists, or undefined. */
export async function findTableFile(dir: string, stem: string, extensions: readonly string[]): Promise<string | undefined> {
  for (const ext of extensions) {
    const path = join(dir, stem + ext);
    if (await isFile(path)) return path;
  }
  return undefined;
}
