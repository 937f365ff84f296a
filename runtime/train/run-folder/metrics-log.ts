import { appendFile, readFile } from 'node:fs/promises';
import { atomicWrite } from '../../io/atomic-write.ts';
import type { MetricsRecord } from '../loop/train-loop.ts';

/**
 * `RUN/metrics.jsonl`: one JSON object per training step (see MetricsRecord). Each line is
 * appended with a single write, so a killed run leaves at most its last line cut short; resuming
 * rewrites the log (atomically) to the complete lines up to the checkpoint it resumes from, so the
 * log of a resumed run reads like that of an uninterrupted one.
 */
export async function appendMetrics(path: string, record: MetricsRecord): Promise<void> {
  await appendFile(path, `${JSON.stringify(record, finiteOrString)}\n`);
}

/** Keeps the complete, parseable lines with step <= `step`; creates an empty log when absent. */
export async function truncateMetrics(path: string, step: number): Promise<void> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as { step?: unknown };
      if (typeof record.step === 'number' && record.step <= step) kept.push(line);
    } catch {
      // A line cut short by a kill: dropped.
    }
  }
  await atomicWrite(path, kept.map((l) => `${l}\n`).join(''));
}

/** JSON has no NaN or Infinity: write them as strings so every line stays parseable. */
function finiteOrString(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
