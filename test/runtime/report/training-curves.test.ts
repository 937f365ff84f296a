import { describe, expect, it } from 'vitest';
import { parseTrainingCurves } from '../../../runtime/report/training-curves.ts';

describe('parseTrainingCurves', () => {
  it('reads the loss, each named term and the effective rank where logged', () => {
    const text = [
      '{"step":1,"epoch":0,"loss":2.5,"terms":[2,0.5],"grad_norm":1,"steps_per_s":3,"seconds":1}',
      '{"step":2,"epoch":0,"loss":"NaN","terms":["Infinity",0.25],"grad_norm":1,"steps_per_s":3,"effective_rank":4.5,"seconds":2}',
      '',
    ].join('\n');
    const curves = parseTrainingCurves(text, ['balance(spectrum(Z))'], 'metrics.jsonl');
    expect(curves.loss).toEqual([[1, 2.5], [2, Number.NaN]]);
    expect(curves.terms).toEqual([
      { name: 'balance(spectrum(Z))', points: [[1, 2], [2, Number.POSITIVE_INFINITY]] },
      { name: 'term 2', points: [[1, 0.5], [2, 0.25]] },
    ]);
    expect(curves.effectiveRank).toEqual([[2, 4.5]]);
  });

  it('names the file and line of a line that does not parse', () => {
    expect(() => parseTrainingCurves('{"step":1,"loss":1}\n{"step":', [], 'run/metrics.jsonl')).toThrow('run/metrics.jsonl:2: not a JSON object');
    expect(() => parseTrainingCurves('{"loss":1}', [], 'm.jsonl')).toThrow('m.jsonl:1: no numeric "step"');
  });
});
