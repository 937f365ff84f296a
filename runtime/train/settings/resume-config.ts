import { SETTING_NAMES, type RunConfig, type SettingName, type SettingSource } from './run-config.ts';
import type { RunRecord } from '../run-folder/run-record.ts';

/**
 * Settings when resuming: those not given (by flag or dflc.json) come from the run's run.json, so
 * `dflc run FILE --out RUN --resume` needs nothing else. Settings that shape the model or the
 * batch order must not change; the number of epochs or steps, the learning rate, the backend, its threads
 * and the checkpoint interval may (all but the last with a note: the result then differs from an
 * uninterrupted run, for the backend and threads by float32 rounding).
 */
export const FIXED_ON_RESUME: readonly SettingName[] = [
  'data',
  'nan-as-missing',
  'modality',
  'dim',
  'hidden',
  'batch',
  'seed',
  'window-days',
  'tau-days',
  'max-codes',
  'code-buckets',
  'max-labs',
  'text-rows',
  'rename',
  'labels',
  'view-drop',
];

export interface ResumeMerge {
  readonly config: RunConfig;
  /** Settings given with a value different from the run's: each one sentence. */
  readonly conflicts: readonly string[];
  readonly notes: readonly string[];
}

export function mergeForResume(config: RunConfig, sources: Readonly<Record<SettingName, SettingSource>>, saved: RunRecord): ResumeMerge {
  const merged: Record<string, unknown> = { ...config };
  const conflicts: string[] = [];
  const notes: string[] = [];
  const savedValue = (name: SettingName): unknown => (name === 'data' ? (saved.config.data ?? undefined) : saved.config[name]);
  for (const name of SETTING_NAMES) {
    if (name === 'out' || name === 'resume') continue;
    const before = savedValue(name);
    if (sources[name] === 'default') {
      // A run.json from before a setting existed lacks it: the run had its default.
      if (before !== undefined) merged[name] = before;
      continue;
    }
    if (same(before, merged[name])) continue;
    const show = (v: unknown): string => (v === undefined ? 'the bundled cohort' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    if (FIXED_ON_RESUME.includes(name)) conflicts.push(`${name} is ${show(merged[name])} here but the run used ${show(before)}`);
    else if (name === 'lr') notes.push(`lr changed from ${show(before)} to ${show(merged[name])}: the result will differ from an uninterrupted run`);
    else if (name === 'steps') notes.push(`the run now ends at step ${show(merged[name])} (it was started with ${before === undefined ? `--epochs ${show(saved.config.epochs)}` : `--steps ${show(before)}`})`);
    else if (name === 'epochs') notes.push(`the run now trains for ${show(merged[name])} epochs (it was started with ${show(before)})`);
    else if ((name === 'backend' || name === 'threads') && before !== undefined) {
      notes.push(`${name} changed from ${show(before)} to ${show(merged[name])}: float32 rounding, and so the result, may differ from an uninterrupted run`);
    }
  }
  return { config: merged as unknown as RunConfig, conflicts, notes };
}

/** Equal as JSON values, object keys in any order. */
function same(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
