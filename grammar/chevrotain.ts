import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

/**
 * Chevrotain, loaded fast. The package's entry point pulls in lodash-es as about 650 separate
 * modules, which costs 0.7 s or more before any `dflc` command can start. The package also ships
 * the same code as one bundled file that loads in under 0.1 s; its exports map does not expose
 * it, so it is found beside the entry point, and the entry point is the fallback should a future
 * version stop shipping it. Every grammar file takes Chevrotain from here so that tokens and
 * parser share one instance.
 */
async function load(): Promise<Chevrotain> {
  const entry = createRequire(import.meta.url).resolve('chevrotain');
  const bundle = join(dirname(entry), '..', 'chevrotain.mjs');
  if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  return await import('chevrotain');
}

export const chevrotain: Chevrotain = await load();
