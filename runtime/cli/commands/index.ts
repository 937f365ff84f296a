import type { Command } from '../command.ts';
import { checkCommand } from './check.ts';
import { compileCommand } from './compile.ts';
import { docCommand } from './doc.ts';
import { fmtCommand } from './fmt.ts';
import { synthCommand } from './synth.ts';
import { valueCommand } from './value.ts';

/**
 * Every `dflc` command, in the order `dflc --help` lists them. Adding a command: write
 * `commands/NAME.ts` exporting a `Command`, import it here and add it to this array.
 */
export const commands: readonly Command[] = [checkCommand, fmtCommand, docCommand, compileCommand, valueCommand, synthCommand];
