import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/**
 * A headless Chromium driven over the DevTools protocol through `--remote-debugging-pipe` (fd 3
 * carries commands to the browser, fd 4 its replies and events, each message JSON ended by a NUL),
 * with Node's own child_process: no puppeteer, whose install downloads a browser of its own.
 * Debian's `chromium` package is the browser (.ci/system/chromium.sh installs it).
 */
export const CHROMIUM = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p !== undefined && p !== '' && existsSync(p));

export interface PageVisit {
  /** Console messages of level error, uncaught exceptions and browser log errors, as text. */
  readonly errors: string[];
  /** URLs of every request the page made other than its own document (data: URLs excepted). */
  readonly requests: string[];
  /** Evaluates an expression in the page, returning its value (JSON-serialisable). */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the whole page at the given CSS width. */
  screenshot(width: number): Promise<Buffer>;
  close(): Promise<void>;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** Opens `url` (a file:// URL) in a fresh headless Chromium and waits for its load event. */
export async function visit(url: string, width = 1200): Promise<PageVisit> {
  if (CHROMIUM === undefined) throw new Error('no chromium binary (install Debian package chromium, or set CHROMIUM)');
  const profile = await mkdtemp(join(tmpdir(), 'dflc-chromium-'));
  const args = ['--headless', '--remote-debugging-pipe', '--no-first-run', '--no-default-browser-check', '--disable-gpu', '--disable-extensions', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`, 'about:blank'];
  // Chromium refuses to run as root with its sandbox (CI containers run as root).
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  const child: ChildProcess = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));

  let nextId = 1;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Message) => void)[] = [];
  let buffered = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let end: number;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffered.slice(0, end)) as Message;
      buffered = buffered.slice(end + 1);
      if (message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(`chromium: ${message.error.message}`));
        else waiter?.resolve(message);
      } else for (const l of listeners) l(message);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.on('exit', () => {
    for (const w of pending.values()) w.reject(new Error(`chromium exited: ${stderr.slice(-2000)}`));
    pending.clear();
  });

  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    });
  const close = async (): Promise<void> => {
    await send('Browser.close').catch(() => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    await rm(profile, { recursive: true, force: true });
  };

  try {
    const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const errors: string[] = [];
    const requests: string[] = [];
    let loaded: () => void = () => undefined;
    const load = new Promise<void>((resolve) => (loaded = resolve));
    listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) errors.push(`console.${String(p.type)}: ${JSON.stringify(p.args)}`);
      else if (m.method === 'Runtime.exceptionThrown') errors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`);
      else if (m.method === 'Log.entryAdded') {
        const entry = p.entry as { level: string; text: string; url?: string };
        if (entry.level === 'error') errors.push(`log: ${entry.text} ${entry.url ?? ''}`);
      } else if (m.method === 'Network.requestWillBeSent') {
        const requested = (p.request as { url: string }).url;
        if (requested !== url && !requested.startsWith('data:')) requests.push(requested);
      } else if (m.method === 'Page.loadEventFired') loaded();
    });
    for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await send(`${domain}.enable`, {}, sessionId);
    await send('Emulation.setDeviceMetricsOverride', { width, height: 800, deviceScaleFactor: 1, mobile: false }, sessionId);
    await send('Page.navigate', { url }, sessionId);
    await load;
    return {
      errors,
      requests,
      evaluate: async <T>(expression: string): Promise<T> => {
        const r = (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId)) as {
          result: { value: T };
          exceptionDetails?: unknown;
        };
        if (r.exceptionDetails !== undefined) throw new Error(`evaluate ${expression}: ${JSON.stringify(r.exceptionDetails)}`);
        return r.result.value;
      },
      screenshot: async (w: number): Promise<Buffer> => {
        const height = Math.ceil((await send('Runtime.evaluate', { expression: 'document.documentElement.scrollHeight', returnByValue: true }, sessionId) as { result: { value: number } }).result.value);
        await send('Emulation.setDeviceMetricsOverride', { width: w, height, deviceScaleFactor: 1, mobile: false }, sessionId);
        const { data } = (await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, sessionId)) as { data: string };
        return Buffer.from(data, 'base64');
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
