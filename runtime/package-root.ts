import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dflc package's root folder: the nearest folder above this module whose package.json names
 * dflc. The sources (runtime/) and the bundle (dist/, dist/chunks/) sit at different depths, so
 * the root is found rather than assumed; stdlib/ and package.json are read from it.
 */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'dflc') return dir;
    if (dirname(dir) === dir) throw new Error(`dflc's package.json is not in any folder above ${start}`);
  }
}
