import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { suggest } from '../../../grammar/suggest.ts';
import { BACKEND_CHOICES } from '../../executors/create-executor.ts';
import { FEATURIZER_DEFAULTS } from '../features/featurizer.ts';
import type { KeepCheckpoints } from '../checkpoints/checkpoint-retention.ts';

/**
 * The settings of `dflc run`, from three places, later ones winning: the defaults below, a
 * `dflc.json` (in the working folder, or `--config PATH`), and the command-line flags. dflc.json
 * keys are the flags' names without the dashes (`"dim": 32`, `"checkpoint-every": 100`); a key
 * that is not a setting, or a value of the wrong type, is an error naming the file and the key.
 * Paths in dflc.json are relative to its folder; paths in flags to the working folder.
 */
const positiveInt = z.number().int().positive();
const count = z.number().int().nonnegative();
const positive = z.number().positive();

/** Every setting: its schema and, for messages, what it must be. */
export const SETTINGS = {
  data: { schema: z.string().min(1), must: 'a path to a MEDS dataset folder' },
  'nan-as-missing': { schema: z.boolean(), must: 'true or false' },
  modality: { schema: z.enum(['ehr', 'text', 'multimodal']), must: 'one of ehr, text, multimodal' },
  dim: { schema: positiveInt, must: 'a positive integer' },
  hidden: { schema: positiveInt, must: 'a positive integer' },
  epochs: { schema: positiveInt, must: 'a positive integer' },
  steps: { schema: count, must: 'a non-negative integer (optimiser steps; 0 writes the untrained encoder)' },
  batch: { schema: z.number().int().min(2), must: 'an integer of at least 2' },
  lr: { schema: positive, must: 'a positive number' },
  seed: { schema: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), must: 'a non-negative integer' },
  backend: { schema: z.enum(BACKEND_CHOICES), must: `one of ${BACKEND_CHOICES.join(', ')}` },
  threads: { schema: count, must: 'a non-negative integer (0: one per core)' },
  out: { schema: z.string().min(1), must: 'a path for the run folder' },
  resume: { schema: z.boolean(), must: 'true or false' },
  'checkpoint-every': { schema: positiveInt, must: 'a positive integer (steps)' },
  'keep-checkpoints': {
    schema: z.union([z.enum(['final', 'all']), positiveInt]),
    must: 'final (the last two while training, only the last once the run is complete), all, or a positive integer N (the last N)',
  },
  'window-days': { schema: positive, must: 'a positive number of days' },
  'tau-days': { schema: positive, must: 'a positive number of days' },
  'max-codes': { schema: count, must: 'a non-negative integer' },
  'code-buckets': { schema: positiveInt, must: 'a positive integer' },
  'max-labs': { schema: count, must: 'a non-negative integer' },
  'text-rows': { schema: positiveInt, must: 'a positive integer' },
  rename: {
    schema: z.record(z.string().min(1), z.string().min(1)),
    must: 'an object mapping objective input names to streams, e.g. {"H": "Z"}',
  },
  'view-drop': { schema: z.number().min(0).max(1).lt(1), must: 'a probability in [0, 1)' },
  labels: {
    schema: z.record(z.string().min(1), z.string().min(1)),
    must: 'an object mapping objective inputs to label tasks of the dataset, e.g. {"Y": "mortality_1y"}',
  },
} as const;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export interface RunConfig {
  /** Absolute path, or undefined for the bundled synthetic cohort. */
  readonly data: string | undefined;
  /** Read a NaN `numeric_value` (as pandas writes a missing float) as missing, counting them, instead of failing. */
  readonly 'nan-as-missing': boolean;
  readonly modality: 'ehr' | 'text' | 'multimodal';
  readonly dim: number;
  readonly hidden: number;
  readonly epochs: number;
  /** Optimiser steps the run ends at, in place of `epochs` (as many epochs as that takes); 0: the untrained encoder. */
  readonly steps: number | undefined;
  readonly batch: number;
  readonly lr: number;
  readonly seed: number;
  readonly backend: (typeof BACKEND_CHOICES)[number];
  /** CPU threads inside each op on the onnx backend; 0 lets ONNX Runtime take one per core. */
  readonly threads: number;
  /** Absolute path, or undefined for `runs/<objective>-<timestamp>`. */
  readonly out: string | undefined;
  readonly resume: boolean;
  readonly 'checkpoint-every': number;
  /** Which checkpoints stay in RUN/checkpoints/ (checkpoints/checkpoint-retention.ts). */
  readonly 'keep-checkpoints': KeepCheckpoints;
  readonly 'window-days': number;
  readonly 'tau-days': number;
  readonly 'max-codes': number;
  readonly 'code-buckets': number;
  readonly 'max-labs': number;
  readonly 'text-rows': number;
  /** Objective input (or stream part) -> embedding stream, e.g. {"H": "Z"} (see runtime/model/bind-streams.ts). */
  readonly rename: Readonly<Record<string, string>>;
  /**
   * Objective input -> a task of the dataset's labels/ (flag `--label Y=TASK`): the input is that
   * task's labels, and batches are drawn from its labelled prediction windows (labelled-windows.ts).
   */
  readonly labels: Readonly<Record<string, string>>;
  /** In the augmented views `Z_a`, `Z_b`: the probability of dropping each code event and note token, and of masking each lab value. */
  readonly 'view-drop': number;
}

export const RUN_DEFAULTS: RunConfig = {
  data: undefined,
  'nan-as-missing': false,
  modality: 'ehr',
  dim: 32,
  hidden: 64,
  epochs: 5,
  steps: undefined,
  batch: 64,
  lr: 1e-3,
  seed: 0,
  backend: 'auto',
  threads: 0,
  out: undefined,
  resume: false,
  'checkpoint-every': 100,
  'keep-checkpoints': 'final',
  'window-days': FEATURIZER_DEFAULTS.windowDays,
  'tau-days': FEATURIZER_DEFAULTS.tauDays,
  'max-codes': FEATURIZER_DEFAULTS.maxCodes,
  'code-buckets': FEATURIZER_DEFAULTS.codeBuckets,
  'max-labs': FEATURIZER_DEFAULTS.maxLabs,
  'text-rows': FEATURIZER_DEFAULTS.textRows,
  rename: {},
  labels: {},
  'view-drop': 0.2,
};

/** Where each setting's value came from. */
export type SettingSource = 'default' | 'config' | 'flag';

export interface ResolvedConfig {
  readonly config: RunConfig;
  readonly sources: Readonly<Record<SettingName, SettingSource>>;
  /** The dflc.json read, if any. */
  readonly configFile: string | undefined;
}

/** A bad dflc.json or flag value: the message names the file and key, or the flag. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    /** True for a bad flag (a usage error), false for a bad config file. */
    readonly fromFlag = false,
  ) {
    super(message);
  }
}

const FILE_SCHEMA = z.strictObject(
  Object.fromEntries(SETTING_NAMES.map((name) => [name, SETTINGS[name].schema.optional()])) as {
    [K in SettingName]: z.ZodOptional<(typeof SETTINGS)[K]['schema']>;
  },
);

/** Validates the JSON text of a dflc.json; paths stay as written. */
export function parseConfigFile(text: string, file: string): Partial<RunConfig> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ConfigError(`${file}: expected a JSON object of settings, e.g. {"dim": 32, "epochs": 10}`);
  }
  const result = FILE_SCHEMA.safeParse(json);
  if (result.success) return result.data as Partial<RunConfig>;
  const messages = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((key) => {
          const guess = suggest(key, SETTING_NAMES);
          return `${file}: unknown key '${key}'${guess === undefined ? '' : `; did you mean '${guess}'?`} (settings: ${SETTING_NAMES.join(', ')})`;
        })
        .join('\n');
    }
    const key = String(issue.path[0]) as SettingName;
    const value = (json as Record<string, unknown>)[key];
    return `${file}: key '${key}' must be ${SETTINGS[key]?.must ?? 'valid'}, got ${JSON.stringify(value)}`;
  });
  throw new ConfigError(messages.join('\n'));
}

/** Converts one flag's text (as parseArgs gives it) to a checked value. */
export function parseFlag(name: SettingName, raw: string | boolean | readonly (string | boolean)[]): unknown {
  const spec = SETTINGS[name];
  if (name === 'rename' || name === 'labels') {
    const pairs = (Array.isArray(raw) ? raw : [raw]).map(String);
    const out: Record<string, string> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq <= 0 || eq === pair.length - 1) {
        throw new ConfigError(
          name === 'rename' ? `--rename takes NAME=STREAM, e.g. --rename H=Z; got '${pair}'` : `--label takes NAME=TASK, e.g. --label Y=mortality_1y; got '${pair}'`,
          true,
        );
      }
      out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return out;
  }
  if (Array.isArray(raw)) throw new ConfigError(`--${name} is given more than once`, true);
  let value: unknown = raw;
  // A number as text: for number settings, and for those that take a word or a number (keep-checkpoints).
  if (typeof raw === 'string' && !spec.schema.safeParse(raw).success) {
    const text = raw.replace(/_/g, '').trim();
    value = text === '' ? NaN : Number(text);
  }
  const result = spec.schema.safeParse(value);
  if (!result.success) throw new ConfigError(`--${name} must be ${spec.must}, got '${String(raw as string | boolean)}'`, true);
  return result.data;
}

export interface ResolveOptions {
  readonly cwd: string;
  /** Flag values by setting name, as parsed from the command line (strings and booleans). */
  readonly flags: Readonly<Partial<Record<SettingName, string | boolean | readonly (string | boolean)[]>>>;
  /** `--config PATH`; otherwise `cwd/dflc.json` is read when it exists. */
  readonly configPath?: string;
}

/** defaults < dflc.json < flags. */
export async function resolveRunConfig(options: ResolveOptions): Promise<ResolvedConfig> {
  const config: Record<string, unknown> = { ...RUN_DEFAULTS };
  const sources = Object.fromEntries(SETTING_NAMES.map((n) => [n, 'default'])) as Record<SettingName, SettingSource>;
  let configFile: string | undefined;
  const explicit = options.configPath !== undefined;
  const path = resolve(options.cwd, options.configPath ?? 'dflc.json');
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (explicit || (code !== 'ENOENT' && code !== 'ENOTDIR')) {
      const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message);
      const flag = explicit ? ` (--config, resolved to ${path})` : '';
      throw new ConfigError(`${options.configPath ?? path}: cannot read the config file${flag}: ${why}`);
    }
  }
  if (text !== undefined) {
    configFile = path;
    const fromFile = parseConfigFile(text, options.configPath ?? 'dflc.json');
    for (const [key, value] of Object.entries(fromFile) as [SettingName, unknown][]) {
      config[key] = (key === 'data' || key === 'out') && typeof value === 'string' ? resolve(dirname(path), value) : value;
      sources[key] = 'config';
    }
  }
  for (const name of SETTING_NAMES) {
    const raw = options.flags[name];
    if (raw === undefined) continue;
    const value = parseFlag(name, raw);
    config[name] = (name === 'data' || name === 'out') && typeof value === 'string' ? resolve(options.cwd, value) : value;
    sources[name] = 'flag';
  }
  return { config: config as unknown as RunConfig, sources, configFile };
}
