/**
 * `npm run build`, also run on `prepare` (so `npm ci` in a clone and `npm pack` both build):
 *
 * - `dist/cli.js`, the CLI, bundled by esbuild. Node then loads one file and a chunk per command
 *   instead of some three hundred TypeScript modules compiled on the fly by tsx, which is what
 *   start-up time was spent on. Dependencies stay external (installed beside dflc); the commands'
 *   dynamic imports become chunks, so `dflc check` still loads nothing of `dflc run`, and the
 *   commands' summaries are recorded so that `dflc --help` loads no command at all.
 * - `dist/lib/`, what the `dflc/runtime` export points at: `runtime/entry.ts` and the few
 *   modules it imports, compiled by tsc to JavaScript with declarations, so that a user's strict
 *   `tsc` type-checks modules that `dflc compile -o out.ts` emits.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { commandSummaries } from '../runtime/cli/general-help.ts';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

rmSync(DIST, { recursive: true, force: true });
// `dflc --help` lists every command's summary; the build records them so that it need not load
// the commands (runtime/cli/general-help.ts).
const summaries = await commandSummaries();

await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'runtime/cli/main.ts' },
  outdir: DIST,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  define: { __DFLC_COMMAND_SUMMARIES__: JSON.stringify(summaries) },
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
