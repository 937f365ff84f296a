#!/usr/bin/env node
// Runs the built CLI, dist/cli.js (`npm run build`, run by `npm ci` in a clone and by `npm pack`).
// In a git checkout whose sources are newer than the build, or that has no build, it runs the
// sources through tsx instead (a development dependency), so that an edit never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'cli.js');

/** The newest modification time of the bundled sources, in ms. */
function newestSource() {
  let newest = 0;
  for (const top of ['grammar', 'compiler', 'runtime']) {
    for (const entry of readdirSync(join(root, top), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

const checkout = existsSync(join(root, '.git'));
const useBuild = existsSync(built) && (!checkout || newestSource() <= statSync(built).mtimeMs);
let main;
if (useBuild) {
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../runtime/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
