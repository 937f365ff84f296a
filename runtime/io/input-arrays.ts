import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../cli/command.ts';
import { NpyError, parseNpy } from './npy.ts';

/** An input array as read from disk, in float64, with where it came from. */
export interface InputArray {
  readonly name: string;
  readonly path: string;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** A file named on the command line holds something dflc cannot use (exit 1, naming the file). */
export class InputFileError extends Error {
  override name = 'InputFileError';
}

/** `NAME=PATH` pairs from `--input`; the name may be a time reference such as `Z_t+1`. */
export function parseInputFlags(flags: readonly string[]): { name: string; path: string }[] {
  const seen = new Set<string>();
  return flags.map((flag) => {
    const at = flag.indexOf('=');
    if (at <= 0 || at === flag.length - 1) throw new UsageError(`--input expects NAME=PATH.npy, got '${flag}'`);
    const name = flag.slice(0, at);
    if (seen.has(name)) throw new UsageError(`--input ${name} is given twice`);
    seen.add(name);
    return { name, path: flag.slice(at + 1) };
  });
}

/**
 * Reads a float32/float64 `.npy` array of rank 0 to 2 (a scalar, vector or matrix). Anything else (another dtype, another rank, NaN or
 * infinite entries) is an InputFileError naming the file and, for bad values, the entry.
 */
export async function readInputArray(name: string, path: string, cwd: string): Promise<InputArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(resolve(cwd, path));
  } catch (error) {
    throw new UsageError(`cannot read '${path}' (for input ${name}): ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let array;
  try {
    array = parseNpy(bytes);
  } catch (error) {
    if (error instanceof NpyError) throw new InputFileError(`${path}: ${error.message}`);
    throw error;
  }
  if (array.dtype !== 'float32' && array.dtype !== 'float64') {
    throw new InputFileError(`${path}: input ${name} must be float32 or float64, got ${array.dtype}`);
  }
  if (array.shape.length > 2) {
    throw new InputFileError(`${path}: input ${name} must be a matrix, vector or scalar (at most 2-D), got shape (${array.shape.join(', ')})`);
  }
  const data = Float64Array.from(array.data as Float32Array | Float64Array);
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const cols = array.shape[1];
    const where = array.shape.length === 2 ? `row ${Math.floor(bad / cols)}, column ${bad % cols}` : array.shape.length === 1 ? `entry ${bad}` : 'its one entry';
    throw new InputFileError(`${path}: input ${name} has ${data[bad]} at ${where}${array.shape.length === 0 ? '' : ' (0-based)'}`);
  }
  return { name, path, shape: array.shape, data };
}
