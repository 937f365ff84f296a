import { parseArgs } from 'node:util';
import { suggest } from '../../grammar/suggest.ts';
import { UsageError, type Command, type CommandIo, type ParsedArgs } from './command.ts';
import { commands } from './commands/index.ts';
import { commandSummaries, generalHelp, version } from './general-help.ts';

function processIo(): CommandIo {
  // `dflc fmt big.dfl | head` closes the pipe early; that is the reader's choice, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTty: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}

async function findCommand(name: string): Promise<Command> {
  const entry = commands.find((c) => c.name === name);
  if (entry !== undefined) return entry.load();
  const guess = suggest(name, commands.map((c) => c.name));
  throw new UsageError(`unknown command '${name}'${guess === undefined ? '' : `; did you mean '${guess}'?`}`);
}

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `--lr -1` as `--lr=-1`. Node's parseArgs takes a value that starts with '-' for an option and
 * stops with "argument is ambiguous"; a negative number after an option that takes a value is
 * that option's value, and the command judges it with its own message ("--lr must be a positive
 * number, got '-1'") or accepts it where a negative number makes sense.
 */
export function attachNegativeValues(options: Command['options'], argv: readonly string[]): string[] {
  const takesValue = new Set<string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (option.short !== undefined) takesValue.add(`-${option.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (takesValue.has(arg) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Node's parseArgs messages are long and capitalised; keep their first sentence, in dflc's voice. */
function parseCommandArgs(command: Command, argv: string[]): ParsedArgs & { help: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: attachNegativeValues(command.options, argv),
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    const { help, ...rest } = values;
    return { values: rest, positionals, help: help === true };
  } catch (error) {
    const first = (error as Error).message.split(/\.(?: |$)/)[0];
    throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1));
  }
}

async function dispatch(argv: string[], io: CommandIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(generalHelp(await commandSummaries()));
    return 2;
  }
  if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    io.stdout(generalHelp(await commandSummaries()));
    return 0;
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`dflc ${version()}\n`);
    return 0;
  }
  if (first === 'help') {
    io.stdout(`${(await findCommand(rest[0])).help}\n`);
    return 0;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'; options go after the command`);
  const command = await findCommand(first);
  const args = parseCommandArgs(command, rest);
  if (args.help) {
    io.stdout(`${command.help}\n`);
    return 0;
  }
  return await command.run(args, io);
}

/** Where a confused user should look next: the command's help when the command is known. */
function helpHint(argv: readonly string[]): string {
  const known = commands.some((c) => c.name === argv[0]);
  return known ? `dflc ${argv[0]} --help` : 'dflc --help';
}

/**
 * The `dflc` binary. Exit codes: 0 success, 1 the input has errors, 2 usage errors, 3 internal
 * errors, which never show a stack trace unless DFLC_DEBUG=1.
 */
export async function main(argv: string[], io: CommandIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`dflc: ${error.message}\nrun '${helpHint(argv)}' for usage\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`dflc: internal error: ${message}. This is a bug in dflc; please report it with the command you ran.\n`);
    if (process.env.DFLC_DEBUG === '1' && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`);
    return 3;
  }
}
