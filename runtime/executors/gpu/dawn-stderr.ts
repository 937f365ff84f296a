import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Koffi = typeof import('koffi');

/**
 * Dawn (inside ONNX Runtime's WebGPU provider) writes straight to the process's stderr when it
 * starts, with fprintf: neither ORT's log level nor any Dawn toggle or environment variable turns
 * it off. On Mesa's lavapipe, which reports limits of 1,000,000 dynamic buffers, it says twice
 * that it clamped them; a hardware driver reports a handful and gets no such line. Those two
 * lines, which tell a user nothing to act on, are dropped here; every other line Dawn or anything
 * else writes meanwhile is passed on.
 */
const CLAMPED_LIMIT = /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.$/;

/** What is left of `text` (stderr as written) without Dawn's clamped-limit warnings. Pure. */
export function withoutDawnNoise(text: string): string {
  return text
    .split(/(?<=\n)/)
    .filter((line) => !CLAMPED_LIMIT.test(line.replace(/\r?\n$/, '')))
    .join('');
}

interface Libc {
  dup(fd: number): number;
  dup2(from: number, to: number): number;
  close(fd: number): number;
}

let libc: Promise<Libc | undefined> | undefined;

/** dup/dup2/close from glibc, through koffi; undefined off Linux or where it does not load. */
function loadLibc(): Promise<Libc | undefined> {
  libc ??= (async () => {
    if (process.platform !== 'linux') return undefined;
    try {
      const loaded = (await import('koffi')) as Koffi & { default?: Koffi };
      const koffi = loaded.default ?? loaded;
      const library = koffi.load('libc.so.6');
      const dup = library.func('int dup(int fd)');
      const dup2 = library.func('int dup2(int from, int to)');
      const close = library.func('int close(int fd)');
      return { dup: (fd) => dup(fd) as number, dup2: (from, to) => dup2(from, to) as number, close: (fd) => close(fd) as number };
    } catch {
      return undefined;
    }
  })();
  return libc;
}

const STDERR = 2;

/**
 * Runs `start` (the call that starts Dawn) with file descriptor 2 pointing at a temporary file,
 * then writes what landed there to stderr without Dawn's noise. Node's own writes to stderr in
 * the meantime are synchronous (files, pipes and terminals on Linux), so they land in the file too
 * and are passed on in order. Off Linux, or where libc cannot be reached, `start` runs as it is.
 */
export async function filteringDawnStderr<T>(start: () => Promise<T>): Promise<T> {
  const c = await loadLibc();
  if (c === undefined) return start();
  const folder = mkdtempSync(join(tmpdir(), 'dflc-dawn-'));
  const file = join(folder, 'stderr');
  const capture = openSync(file, 'w+');
  const saved = c.dup(STDERR);
  if (saved < 0 || c.dup2(capture, STDERR) < 0) {
    if (saved >= 0) c.close(saved);
    closeSync(capture);
    rmSync(folder, { recursive: true, force: true });
    return start();
  }
  try {
    return await start();
  } finally {
    c.dup2(saved, STDERR);
    c.close(saved);
    closeSync(capture);
    const kept = withoutDawnNoise(readFileSync(file, 'utf8'));
    rmSync(folder, { recursive: true, force: true });
    if (kept !== '') process.stderr.write(kept);
  }
}
