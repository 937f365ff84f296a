import { spawnSync } from 'node:child_process';

/**
 * glibc's malloc settings both sides of bench:train and bench:objective run under by default.
 *
 * Why: a fresh buffer above glibc's mmap threshold (128 KiB, then a dynamic one) is new pages,
 * and on the VMs we measure on every first write to a page is a slow fault. PyTorch's allocator
 * frees a step's tensors back to glibc and gets new pages for the next step's, so with glibc's
 * defaults the peer spends up to 2-10x its quiet time in page faults (bench/README.md, "Quiet
 * machine"), which would flatter dflc. With these, freed memory stays in the heap and is reused,
 * for dflc's process as for the peer's. glibc reads them only when a process starts, so a bench
 * that lacks them runs itself again with them set.
 */
export const FAIR_MALLOC: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '4294967296',
  MALLOC_TRIM_THRESHOLD_: '4294967296',
  MALLOC_TOP_PAD_: '268435456',
};

export type MallocMode = 'fair' | 'default';

export function parseMallocMode(value: string | undefined): MallocMode {
  if (value === undefined || value === 'fair' || value === 'default') return value ?? 'fair';
  throw new RangeError(`--malloc must be 'fair' (glibc keeps freed memory, for both processes) or 'default' (glibc's own settings), got '${value}'`);
}

/**
 * With `fair` on Linux, when the environment lacks any of FAIR_MALLOC, runs this same script again
 * in a child with them added (the caller's own values win) and exits with its status. Returns in
 * the process that is to do the measuring.
 */
export function rerunWithFairMalloc(mode: MallocMode): void {
  if (mode === 'default' || process.platform !== 'linux') return;
  if (Object.keys(FAIR_MALLOC).every((name) => process.env[name] !== undefined)) return;
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...FAIR_MALLOC, ...process.env },
  });
  process.exit(child.status ?? 1);
}

/** Which of FAIR_MALLOC's variables are set in this process, and to what (for the JSON). */
export function mallocSettings(): Record<string, string> {
  return Object.fromEntries(Object.keys(FAIR_MALLOC).flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])));
}

/** The settings in effect, for the bench's header. */
export function mallocLine(): string {
  const set = Object.keys(mallocSettings());
  if (set.length === 0) return "glibc malloc: its own defaults, in both processes (--malloc default)";
  return `glibc malloc: ${set.map((name) => `${name}=${process.env[name]}`).join(' ')}, in both processes (--malloc default: glibc's own)`;
}
