import type { Command } from '../command.ts';

/** A command by name, loaded on demand: `dflc check` need not load TensorFlow.js or the data readers. */
export interface CommandEntry {
  readonly name: string;
  readonly load: () => Promise<Command>;
}

/**
 * Every `dflc` command, in the order `dflc --help` lists them. Adding a command: write
 * `commands/NAME.ts` exporting a `Command` and add a line here.
 */
export const commands: readonly CommandEntry[] = [
  { name: 'check', load: async () => (await import('./check.ts')).checkCommand },
  { name: 'fmt', load: async () => (await import('./fmt.ts')).fmtCommand },
  { name: 'doc', load: async () => (await import('./doc.ts')).docCommand },
  { name: 'compile', load: async () => (await import('./compile.ts')).compileCommand },
  { name: 'value', load: async () => (await import('./value.ts')).valueCommand },
  { name: 'synth', load: async () => (await import('./synth.ts')).synthCommand },
  { name: 'run', load: async () => (await import('./run.ts')).runCommand },
  { name: 'embed', load: async () => (await import('./embed.ts')).embedCommand },
  { name: 'eval', load: async () => (await import('./eval.ts')).evalCommand },
  { name: 'lsp', load: async () => (await import('./lsp.ts')).lspCommand },
  { name: 'compare', load: async () => (await import('./compare.ts')).compareCommand },
  { name: 'experiment', load: async () => (await import('./experiment.ts')).experimentCommand },
];

export async function loadAllCommands(): Promise<Command[]> {
  return Promise.all(commands.map((c) => c.load()));
}
