import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseNpy, type NpyArray } from '../../runtime/io/npy.ts';

/** Every file under `dir`, as paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name).slice(dir.length + 1));
  }
  return out.sort();
}

export async function readNpy(path: string): Promise<NpyArray> {
  return parseNpy(new Uint8Array(await readFile(path)));
}

/**
 * Parses every .npy and .json(l) file of a run folder; throws naming the first that does not
 * parse. Hidden files (`.x.tmp`, the temporaries of atomic writes) are not the run's files.
 */
export async function checkRunFiles(run: string): Promise<string[]> {
  const files = (await listFiles(run)).filter((f) => !f.split('/').some((part) => part.startsWith('.')));
  for (const file of files) {
    const path = join(run, file);
    try {
      if (file.endsWith('.npy')) await readNpy(path);
      else if (file.endsWith('.json')) JSON.parse(await readFile(path, 'utf8'));
      else if (file.endsWith('.jsonl')) for (const line of (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '')) JSON.parse(line);
    } catch (error) {
      throw new Error(`${file} does not parse: ${(error as Error).message}`);
    }
  }
  return files;
}

export async function readMetrics(run: string): Promise<{ step: number; epoch: number; loss: number | string; terms: (number | string)[]; grad_norm: number | string; effective_rank?: number }[]> {
  const text = await readFile(join(run, 'metrics.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}
