import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** Debian's python with PyTorch 1.13 and OpenBLAS (the `python3` on PATH has no torch). */
export const PEER_PYTHON = '/usr/bin/python3';

/**
 * A PyTorch peer process (bench/*_torch.py under PEER_PYTHON) served one JSON object a line each
 * way, its first line a header, each request naming its `cmd`, `{"cmd": "quit"}` (or the end of
 * its input) ending it. One process for a whole bench run, so that rounds can alternate with dflc
 * at the scale of a few calls or steps, not of a process start (importing torch takes a second).
 */
export class JsonLinePeer<Header> {
  readonly header: Promise<Header>;
  private readonly lines: AsyncIterator<string>;
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;

  private readonly command: string;

  /** `script` is a file name in bench/, `args` its arguments. */
  constructor(script: string, args: readonly string[] = []) {
    const path = join(dirname(fileURLToPath(import.meta.url)), basename(script));
    this.command = `${PEER_PYTHON} bench/${basename(script)}`;
    // OpenMP's default wait policy spins between parallel regions; on a machine whose cores other
    // jobs use, 2-thread PyTorch then runs up to 10x slower than 1-thread. PASSIVE (unless the
    // user set OMP_WAIT_POLICY) gives the peer its best time on a shared machine.
    this.child = spawn(PEER_PYTHON, ['-u', path, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' },
    });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.header = this.next() as Promise<Header>;
  }

  private async next(): Promise<unknown> {
    const { value, done } = await this.lines.next();
    if (done === true) throw new Error(`${this.command} exited (needs python3-torch and python3-numpy)`);
    return JSON.parse(value) as unknown;
  }

  async ask<T>(job: { readonly cmd: string; readonly [field: string]: unknown }): Promise<T> {
    this.child.stdin.write(`${JSON.stringify(job)}\n`);
    return (await this.next()) as T;
  }

  close(): void {
    this.child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
  }
}
