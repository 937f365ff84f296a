import { readFileSync } from 'node:fs';
import type { Command } from './command.ts';

export function generalHelp(commands: readonly Command[]): string {
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
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
