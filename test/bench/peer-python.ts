import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The benches' PyTorch peers run under Debian's python (python3-torch, python3-numpy). */
export const PEER_PYTHON = '/usr/bin/python3';
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export function hasTorch(): boolean {
  try {
    execFileSync(PEER_PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Runs bench/`script` with `args` under tsx; its exit code and output. */
export function runBench(script: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'bench', script), ...args],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 90_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}
