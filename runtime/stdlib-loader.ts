import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildPrelude, type Prelude } from '../compiler/front-end/prelude.ts';
import { PACKAGE_ROOT } from './package-root.ts';

/** The package's `stdlib/` folder. */
export const STDLIB_DIR = join(PACKAGE_ROOT, 'stdlib');

let cached: Prelude | undefined;

/**
 * Reads `stdlib/*.dfl` once per process. A problem in the stdlib is a bug in dflc, so it throws
 * (the CLI turns that into an internal-error exit) instead of hiding in user diagnostics.
 */
export function loadStdlib(): Prelude {
  if (cached !== undefined) return cached;
  const files = readdirSync(STDLIB_DIR)
    .filter((f) => f.endsWith('.dfl'))
    .sort()
    .map((f) => {
      const path = join(STDLIB_DIR, f);
      return { path: relative(process.cwd(), path) || path, source: readFileSync(path, 'utf8') };
    });
  const { prelude, problems } = buildPrelude(files);
  const errors = problems.filter((p) => p.diagnostic.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0];
    throw new Error(`stdlib ${first.file}:${first.diagnostic.span.start.line}: ${first.diagnostic.message}`);
  }
  cached = prelude;
  return prelude;
}
