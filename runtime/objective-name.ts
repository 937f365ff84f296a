import { basename, extname } from 'node:path';

/** An objective's name for run folders and exported models: its file's base name. */
export function objectiveName(file: string): string {
  return basename(file, extname(file)) || 'objective';
}
