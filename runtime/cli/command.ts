import type { ParseArgsConfig } from 'node:util';

/** Where a command writes; tests pass in-memory streams, the binary passes process streams. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars draw only then). */
  readonly isTty: boolean;
  readonly cwd: string;
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * One `dflc` subcommand. `run` returns the exit code: 0 success, 1 the input has errors,
 * 2 usage errors (throw UsageError), 3 internal errors (anything else thrown).
 */
export interface Command {
  readonly name: string;
  /** One line for `dflc --help`. */
  readonly summary: string;
  /** The full text of `dflc NAME --help`: usage line, what it does, options, an example. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly run: (args: ParsedArgs, io: CommandIo) => Promise<number>;
}

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
