/**
 * `npm run bench:cli [-- --runs N]`: wall time of starting the `dflc` binary, median of N runs
 * (default 15, after 2 untimed) for `dflc --help`, `dflc check examples/card.dfl` and, as the
 * floor every command pays, `node -e 0`. It times `node bin/dflc.js` as a user's `dflc` runs it:
 * from the build (`npm run bench:cli` builds first, so the build is never older than the sources).
 * hyperfine does the timing when it is installed (it also reports CPU time, which load inflates
 * less than wall time); otherwise Node times the child processes itself. Targets: check < 250 ms,
 * --help < 200 ms. Exit code 1 when a median misses its target.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './timing.ts';

const ROOT = join(import.meta.dirname, '..');
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(flags.runs);
const WARMUP = 2;

interface Case {
  readonly label: string;
  readonly argv: readonly string[];
  readonly targetMs?: number;
}

const BIN = join(ROOT, 'bin', 'dflc.js');
const CASES: readonly Case[] = [
  { label: 'node -e 0 (floor)', argv: [process.execPath, '-e', '0'] },
  { label: 'dflc --help', argv: [process.execPath, BIN, '--help'], targetMs: 200 },
  { label: 'dflc check examples/card.dfl', argv: [process.execPath, BIN, 'check', 'examples/card.dfl'], targetMs: 250 },
];

interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly cpuMs?: number;
}

function hasHyperfine(): boolean {
  return spawnSync('hyperfine', ['--version'], { stdio: 'ignore' }).status === 0;
}

function quote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

function withHyperfine(c: Case): Timing {
  const dir = mkdtempSync(join(tmpdir(), 'dflc-bench-cli-'));
  try {
    const out = join(dir, 'result.json');
    execFileSync('hyperfine', ['-N', '--warmup', String(WARMUP), '--runs', String(RUNS), '--export-json', out, c.argv.map(quote).join(' ')], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const [result] = (JSON.parse(readFileSync(out, 'utf8')) as { results: { times: number[]; user: number; system: number }[] }).results;
    return { medianMs: median(result.times) * 1000, minMs: Math.min(...result.times) * 1000, cpuMs: (result.user + result.system) * 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function withNode(c: Case): Timing {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(c.argv[0], c.argv.slice(1), { cwd: ROOT, stdio: 'ignore' });
    if (run.status !== 0) throw new Error(`${c.label} exited with ${run.status}`);
    if (i >= WARMUP) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { medianMs: median(times), minMs: Math.min(...times) };
}

if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  console.error('bench:cli: no build to time; run `npm run build` first (npm run bench:cli does)');
  process.exit(1);
}

const hyperfine = hasHyperfine();
const [load1] = loadavg();
console.log(`dflc start-up, median of ${RUNS} runs (${hyperfine ? 'hyperfine -N' : 'Node child processes'}), node ${process.version}`);
console.log(`load average ${load1.toFixed(2)} on ${availableParallelism()} cores${load1 > availableParallelism() ? ': busy machine, read the numbers as rough' : ''}\n`);
console.log(`| command | median wall (ms) | min (ms) |${hyperfine ? ' mean CPU (ms) |' : ''} target |`);
console.log(`| --- | ---: | ---: |${hyperfine ? ' ---: |' : ''} --- |`);
let missed = false;
for (const c of CASES) {
  const t = hyperfine ? withHyperfine(c) : withNode(c);
  const verdict = c.targetMs === undefined ? '' : `< ${c.targetMs} ms: ${t.medianMs < c.targetMs ? 'met' : 'missed'}`;
  if (c.targetMs !== undefined && t.medianMs >= c.targetMs) missed = true;
  console.log(`| \`${c.label}\` | ${t.medianMs.toFixed(0)} | ${t.minMs.toFixed(0)} |${t.cpuMs === undefined ? '' : ` ${t.cpuMs.toFixed(0)} |`} ${verdict} |`);
}
process.exitCode = missed ? 1 : 0;
