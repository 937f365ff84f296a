import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEvalResult, parseEvalResult } from '../../../runtime/eval/eval-result.ts';

const FIXTURE = new URL('../../fixtures/eval/metrics.json', import.meta.url);
const text = readFileSync(FIXTURE, 'utf8');

describe('metrics.json schema', () => {
  it('accepts the documented example', () => {
    const result = parseEvalResult(text, 'metrics.json');
    expect(result.probes[0].task).toBe('mortality');
    expect(result.stability?.k).toBe(2);
  });

  it('names the key of a bad value', () => {
    const value = JSON.parse(text);
    value.probes[0].auroc = 1.5;
    expect(() => checkEvalResult(value, 'metrics.json')).toThrow('metrics.json: probes.0.auroc: must lie in [0, 1]');
  });

  it('rejects unknown keys and a wrong version', () => {
    expect(() => checkEvalResult({ ...JSON.parse(text), extra: 1 }, 'm.json')).toThrow(/m\.json: .*extra/);
    expect(() => checkEvalResult({ ...JSON.parse(text), version: 2 }, 'm.json')).toThrow(/m\.json: version/);
  });

  it('rejects an interval whose ends are swapped and an unknown perturbation', () => {
    const swapped = JSON.parse(text);
    swapped.probes[0].auroc_ci = [0.8, 0.6];
    expect(() => checkEvalResult(swapped, 'm.json')).toThrow('probes.0.auroc_ci: interval must have lower <= upper');
    const unknown = JSON.parse(text);
    unknown.robustness[0].perturbation = 'codes_50';
    expect(() => checkEvalResult(unknown, 'm.json')).toThrow(/robustness\.0\.perturbation/);
  });

  it('says where the JSON is broken', () => {
    expect(() => parseEvalResult('{"format":', 'm.json')).toThrow(/^m\.json: not valid JSON/);
  });
});
