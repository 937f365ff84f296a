import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';

/**
 * A PyTorch peer process (bench/*_torch.py) served one JSON object a line each way, its first line
 * a header. One process for a whole bench run, so that rounds can alternate with dflc at the scale
 * of a few calls or steps, not of a process start (importing torch takes about a second).
 */
export class JsonLinePeer<Header> {
  readonly header: Promise<Header>;
  private readonly lines: AsyncIterator<string>;
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;

  /** `command` names the peer in errors, `quit` is the request that ends it. */
  constructor(
    python: string,
    args: readonly string[],
    private readonly command: string,
    private readonly quit: object,
  ) {
    // OpenMP's default wait policy spins between parallel regions; on a machine whose cores other
    // jobs use, 2-thread PyTorch then runs up to 10x slower than 1-thread. PASSIVE (unless the
    // user set OMP_WAIT_POLICY) gives the peer its best time on a shared machine.
    this.child = spawn(python, ['-u', ...args], {
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

  async ask<T>(job: object): Promise<T> {
    this.child.stdin.write(`${JSON.stringify(job)}\n`);
    return (await this.next()) as T;
  }

  close(): void {
    this.child.stdin.end(`${JSON.stringify(this.quit)}\n`);
  }
}
