import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigFile, parseFlag, resolveRunConfig, RUN_DEFAULTS } from '../../../../runtime/train/settings/run-config.ts';
import { mergeForResume } from '../../../../runtime/train/settings/resume-config.ts';
import type { RunRecord } from '../../../../runtime/train/run-folder/run-record.ts';
import { withTempDir } from '../helpers.ts';

describe('dflc.json', () => {
  it('accepts every setting under its flag name', () => {
    expect(parseConfigFile('{"dim": 16, "modality": "text", "checkpoint-every": 5, "resume": true, "rename": {"H": "Z"}}', 'dflc.json')).toEqual({
      dim: 16,
      modality: 'text',
      'checkpoint-every': 5,
      resume: true,
      rename: { H: 'Z' },
    });
  });

  it('rejects an unknown key, naming the file and the key, with a suggestion', () => {
    expect(() => parseConfigFile('{"dimm": 16}', 'conf/dflc.json')).toThrow(/^conf\/dflc\.json: unknown key 'dimm'; did you mean 'dim'\?/);
  });

  it('rejects a value of the wrong type, naming the file, the key and what it must be', () => {
    expect(() => parseConfigFile('{"dim": "32"}', 'dflc.json')).toThrow(`dflc.json: key 'dim' must be a positive integer, got "32"`);
    expect(() => parseConfigFile('{"lr": -1}', 'dflc.json')).toThrow(`dflc.json: key 'lr' must be a positive number, got -1`);
    expect(() => parseConfigFile('{"modality": "audio"}', 'dflc.json')).toThrow(/key 'modality' must be one of ehr, text, multimodal/);
    expect(() => parseConfigFile('[1]', 'dflc.json')).toThrow(/dflc\.json: expected a JSON object/);
    expect(() => parseConfigFile('{"dim": 3,}', 'dflc.json')).toThrow(/dflc\.json: not valid JSON/);
  });
});

describe('flags', () => {
  it('parse numbers and check them', () => {
    expect(parseFlag('lr', '5e-4')).toBe(5e-4);
    expect(parseFlag('epochs', '1_000')).toBe(1000);
    expect(() => parseFlag('batch', '1')).toThrow(`--batch must be an integer of at least 2, got '1'`);
    expect(() => parseFlag('dim', 'x')).toThrow(/--dim must be a positive integer/);
    expect(parseFlag('rename', ['H=Z', 'Q_t=Z_t+1'])).toEqual({ H: 'Z', Q_t: 'Z_t+1' });
    expect(() => parseFlag('rename', ['H'])).toThrow(/--rename takes NAME=STREAM/);
  });

  it('read --keep-checkpoints as final, all or a positive count, and say so for anything else', () => {
    expect(parseFlag('keep-checkpoints', 'final')).toBe('final');
    expect(parseFlag('keep-checkpoints', 'all')).toBe('all');
    expect(parseFlag('keep-checkpoints', '3')).toBe(3);
    for (const bad of ['0', '-1', '2.5', 'last', '']) {
      expect(() => parseFlag('keep-checkpoints', bad)).toThrow(
        `--keep-checkpoints must be final (the last two while training, only the last once the run is complete), all, or a positive integer N (the last N), got '${bad}'`,
      );
    }
    expect(parseConfigFile('{"keep-checkpoints": 4}', 'dflc.json')).toEqual({ 'keep-checkpoints': 4 });
    expect(() => parseConfigFile('{"keep-checkpoints": "3"}', 'dflc.json')).toThrow(`dflc.json: key 'keep-checkpoints' must be final`);
  });
});

describe('resolveRunConfig', () => {
  it('layers defaults < dflc.json < flags, with paths relative to where they were written', () =>
    withTempDir(async (dir) => {
      await writeFile(join(dir, 'dflc.json'), JSON.stringify({ dim: 16, epochs: 3, data: 'cohort' }));
      const resolved = await resolveRunConfig({ cwd: dir, flags: { epochs: '7', out: 'runs/a' } });
      expect(resolved.config).toMatchObject({ dim: 16, epochs: 7, batch: RUN_DEFAULTS.batch, data: join(dir, 'cohort'), out: join(dir, 'runs/a') });
      expect(resolved.sources).toMatchObject({ dim: 'config', epochs: 'flag', batch: 'default' });
      expect(resolved.configFile).toBe(join(dir, 'dflc.json'));
    }));

  it('reads --config PATH, relative to the file, and fails on a missing one', () =>
    withTempDir(async (dir) => {
      await writeFile(join(dir, 'other.json'), JSON.stringify({ data: '../x' }));
      const resolved = await resolveRunConfig({ cwd: dir, flags: {}, configPath: 'other.json' });
      expect(resolved.config.data).toBe(join(dir, '..', 'x'));
      await expect(resolveRunConfig({ cwd: dir, flags: {}, configPath: 'missing.json' })).rejects.toThrow(
        `missing.json: cannot read the config file (--config, resolved to ${join(dir, 'missing.json')}): no such file`,
      );
      const none = await resolveRunConfig({ cwd: join(dir, 'nowhere'), flags: {} });
      expect(none.configFile).toBeUndefined();
      expect(none.config).toEqual(RUN_DEFAULTS);
    }));
});

describe('mergeForResume', () => {
  const saved = { config: { ...RUN_DEFAULTS, data: '/data', out: '/run', dim: 16, lr: 0.01 } } as unknown as RunRecord;
  const all = (source: 'default' | 'flag') => Object.fromEntries(Object.keys(RUN_DEFAULTS).map((k) => [k, source])) as never;

  it("takes the run's settings where none is given", () => {
    const merged = mergeForResume({ ...RUN_DEFAULTS, resume: true }, all('default'), saved);
    expect(merged.config).toMatchObject({ dim: 16, lr: 0.01, data: '/data' });
    expect(merged.conflicts).toEqual([]);
  });

  it('refuses a change of model or data settings, and notes a change of lr or epochs', () => {
    const merged = mergeForResume({ ...RUN_DEFAULTS, data: '/data', dim: 32, lr: 0.001, epochs: 9 }, all('flag'), saved);
    expect(merged.conflicts).toEqual(['dim is 32 here but the run used 16']);
    expect(merged.notes).toEqual([
      'the run now trains for 9 epochs (it was started with 5)',
      'lr changed from 0.01 to 0.001: the result will differ from an uninterrupted run',
    ]);
  });

  it('notes a change of the end of training from epochs to steps', () => {
    const merged = mergeForResume({ ...RUN_DEFAULTS, data: '/data', dim: 16, lr: 0.01, steps: 40 }, all('flag'), saved);
    expect(merged.conflicts).toEqual([]);
    expect(merged.notes).toEqual(['the run now ends at step 40 (it was started with --epochs 5)']);
    expect(parseFlag('steps', '0')).toBe(0);
    expect(() => parseFlag('steps', '-3')).toThrow("--steps must be a non-negative integer");
  });

  it('notes a change of backend or threads, which changes float32 rounding', () => {
    const merged = mergeForResume({ ...RUN_DEFAULTS, data: '/data', dim: 16, lr: 0.01, backend: 'wasm', threads: 2 }, all('flag'), { ...saved, config: { ...saved.config, backend: 'onnx' } } as RunRecord);
    expect(merged.conflicts).toEqual([]);
    expect(merged.notes).toEqual([
      'backend changed from onnx to wasm: float32 rounding, and so the result, may differ from an uninterrupted run',
      'threads changed from 0 to 2: float32 rounding, and so the result, may differ from an uninterrupted run',
    ]);
  });

  it('keeps the default of a setting that a run.json from before it lacks', () => {
    const { 'keep-checkpoints': _absent, ...older } = { ...saved.config };
    const merged = mergeForResume({ ...RUN_DEFAULTS, resume: true }, all('default'), { ...saved, config: older } as unknown as RunRecord);
    expect(merged.config['keep-checkpoints']).toBe(RUN_DEFAULTS['keep-checkpoints']);
    const kept = mergeForResume({ ...RUN_DEFAULTS, resume: true }, all('default'), { ...saved, config: { ...saved.config, 'keep-checkpoints': 'all' } } as RunRecord);
    expect(kept.config['keep-checkpoints']).toBe('all');
  });

  it('reads --threads as a count, 0 meaning one per core', () => {
    expect(parseFlag('threads', '2')).toBe(2);
    expect(parseFlag('threads', '0')).toBe(0);
    expect(() => parseFlag('threads', '-1')).toThrow("--threads must be a non-negative integer (0: one per core), got '-1'");
  });
});

describe('examples/dflc.json', () => {
  it('is a valid config holding the defaults', async () => {
    const { readFile } = await import('node:fs/promises');
    const path = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'dflc.json');
    const parsed = parseConfigFile(await readFile(path, 'utf8'), path);
    for (const [key, value] of Object.entries(parsed)) expect(RUN_DEFAULTS[key as keyof typeof RUN_DEFAULTS], key).toEqual(value);
  });
});
