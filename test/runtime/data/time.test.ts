import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoMicros, parseIsoMicros } from '../../../runtime/data/time.ts';

describe('ISO times in microseconds', () => {
  it('round-trips any microsecond between 1900 and 2100', () => {
    const lo = Date.UTC(1900, 0, 1) * 1000;
    const hi = Date.UTC(2100, 0, 1) * 1000;
    fc.assert(fc.property(fc.integer({ min: lo, max: hi }), (us) => parseIsoMicros(formatIsoMicros(us)) === us));
  });

  it('reads dates, minutes, seconds, fractions and a Z or +00:00 suffix', () => {
    expect(parseIsoMicros('2020-03-01')).toBe(Date.UTC(2020, 2, 1) * 1000);
    expect(parseIsoMicros('2020-03-01 14:05')).toBe(Date.UTC(2020, 2, 1, 14, 5) * 1000);
    expect(parseIsoMicros('2020-03-01T14:05:09.123456')).toBe(Date.UTC(2020, 2, 1, 14, 5, 9) * 1000 + 123456);
    expect(parseIsoMicros('2020-03-01T14:05:09.1Z')).toBe(Date.UTC(2020, 2, 1, 14, 5, 9) * 1000 + 100000);
    expect(parseIsoMicros('2020-03-01T14:05:09.123456789+00:00')).toBe(Date.UTC(2020, 2, 1, 14, 5, 9) * 1000 + 123456);
    expect(formatIsoMicros(Date.UTC(1950, 5, 2, 3, 4, 5) * 1000 + 7)).toBe('1950-06-02T03:04:05.000007');
  });

  it('rejects impossible dates, zones and other text', () => {
    for (const text of ['2021-02-30', '2020-13-01', '2020-01-01T24:00', '2020-01-01T10:00+02:00', 'yesterday', '1584000000']) {
      expect(parseIsoMicros(text), text).toBeUndefined();
    }
  });
});
