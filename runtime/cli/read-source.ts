import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './command.ts';

const WHY: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
};

/** Reads a file named on the command line; a file that cannot be read is the caller's mistake (exit 2). */
export async function readSource(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot read '${file}': ${WHY[code] ?? (error as Error).message}`);
  }
}
