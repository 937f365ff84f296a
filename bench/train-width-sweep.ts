import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one width's bench:train run writes with --json (the parts read here). */
interface WidthSummary {
  readonly dflc: Record<string, { median_ms: number; mean_ms: number; eigh_ms_per_step: number; cpu_median_ms?: number }>;
  readonly torch: Record<string, { median_ms: number; cpu_median_ms: number }>;
  readonly loadavg_end: readonly number[];
}

/**
 * `npm run bench:train -- --dims 64,128,256,512`: bench:train once per width, with hidden = dim,
 * each in its own process (one model and one PyTorch peer at a time), then one row per width: the
 * fastest dflc backend and PyTorch configuration (medians) and their ratio, and the share of dflc's
 * step spent in the eigendecomposition on the host, and the CPU time per step of dflc on one ONNX
 * Runtime thread and of PyTorch on one thread (process CPU, all threads) with their ratio. `args` are the other flags, passed through;
 * without --backends the sweep runs ONNX Runtime only, without --onnx-ways its C API only.
 */
export function widthSweep(script: string, dims: readonly number[], args: readonly string[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'dflc-bench-widths-'));
  const defaults = [
    ...(args.some((a) => a.startsWith('--backends')) ? [] : ['--backends', 'onnx']),
    ...(args.some((a) => a.startsWith('--onnx-ways')) ? [] : ['--onnx-ways', 'c-api']),
  ];
  const rows: string[][] = [];
  let missed = false;
  try {
    for (const dim of dims) {
      const json = join(dir, `${dim}.json`);
      const child = spawnSync(process.execPath, [...process.execArgv, script, ...defaults, ...args, '--dim', String(dim), '--hidden', String(dim), '--json', json], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (child.status !== 0) throw new Error(`bench:train at dim ${dim} failed (exit ${child.status})`);
      const summary = JSON.parse(readFileSync(json, 'utf8')) as WidthSummary;
      const [backend, dflc] = Object.entries(summary.dflc).reduce((a, b) => (a[1].median_ms <= b[1].median_ms ? a : b));
      const [peer, torch] = Object.entries(summary.torch).reduce((a, b) => (a[1].median_ms <= b[1].median_ms ? a : b));
      const ratio = dflc.median_ms / torch.median_ms;
      // The work on one thread each, in process CPU time: what a loaded machine disturbs least.
      const cpu1 = summary.dflc['onnx 1T']?.cpu_median_ms;
      const torchCpu1 = summary.torch['1 thread']?.cpu_median_ms;
      missed ||= ratio > 1;
      rows.push([
        String(dim),
        backend,
        dflc.median_ms.toFixed(1),
        `${dflc.eigh_ms_per_step.toFixed(1)} (${((100 * dflc.eigh_ms_per_step) / dflc.mean_ms).toFixed(0)}%)`,
        peer,
        torch.median_ms.toFixed(1),
        ratio.toFixed(2),
        cpu1 === undefined || torchCpu1 === undefined ? '-' : `${cpu1.toFixed(1)} / ${torchCpu1.toFixed(1)} = ${(cpu1 / torchCpu1).toFixed(2)}`,
        summary.loadavg_end[0].toFixed(1),
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const head = ['dim=hidden', 'dflc', 'ms/step', 'eigh ms/step', 'PyTorch', 'ms/step', 'ratio', 'CPU ms 1T: dflc / torch', 'load'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  console.log(`\nwidth sweep (${availableParallelism()} cores, load now ${loadavg()[0].toFixed(2)}): fastest dflc and fastest PyTorch, medians`);
  for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  console.log(`ratio = dflc ms / PyTorch ms (target <= 1.0)${missed ? ': NOT met at every width' : ': met at every width'}`);
}
