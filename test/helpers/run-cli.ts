import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The repository root: the binary runs from here, as a user in a checkout would run it. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real `dflc` binary (`node bin/dflc.js ARGS`) to completion. Each call starts a Node
 * process with tsx (about half a second), so suites should spend them on what only the real
 * binary shows: exit codes, streams, files on disk.
 */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.DFLC_DEBUG === undefined) delete env.DFLC_DEBUG;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'dflc.js'), ...args],
      { cwd: options.cwd ?? REPO_ROOT, env, encoding: 'utf8', timeout: options.timeoutMs ?? 30_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}
