import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { Command } from './command.ts';
import { loadAllCommands } from './commands/index.ts';

export type CommandSummary = Pick<Command, 'name' | 'summary'>;

/**
 * The commands' summaries, set by the build (scripts/build.ts, as an esbuild `define`): reading
 * them would otherwise load every command and its dependencies (TensorFlow.js, the Parquet
 * readers), which is most of what `dflc --help` spent its start-up on. Run from the sources, the
 * identifier is undefined and the commands are loaded.
 */
declare const __DFLC_COMMAND_SUMMARIES__: readonly CommandSummary[];

export async function commandSummaries(): Promise<readonly CommandSummary[]> {
  if (typeof __DFLC_COMMAND_SUMMARIES__ !== 'undefined') return __DFLC_COMMAND_SUMMARIES__;
  return (await loadAllCommands()).map(({ name, summary }) => ({ name, summary }));
}

export function generalHelp(commands: readonly CommandSummary[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const rows = commands.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`);
  return `Usage: dflc COMMAND [options] [arguments]

dflc compiles DFL objectives (losses over embedding matrices) into fused value-and-gradient
programs, and trains and evaluates encoders with them.

Commands:
${rows.join('\n')}

Options:
  -h, --help      show this help
  -V, --version   print dflc's version

Run 'dflc help COMMAND' or 'dflc COMMAND --help' for a command's options and an example.

Example:
  dflc check examples/card.dfl
`;
}

export function version(): string {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
