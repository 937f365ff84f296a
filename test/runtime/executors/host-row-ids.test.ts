import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRowIds, hostRowIds } from '../../../runtime/executors/host-row-ids.ts';

const outcome = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (error) {
    return String(error);
  }
};

describe('checkRowIds', () => {
  it('accepts and refuses exactly what hostRowIds does, with the same message', () => {
    const id = fc.oneof(
      fc.integer({ min: -3, max: 12 }).map((k) => k + fc.sample(fc.constantFrom(0, 0.5, -0.5, 0.49, -0.49), 1)[0]),
      fc.float({ noDefaultInfinity: false }),
      fc.constantFrom(Number.NaN, -0.5, 9.5, 10.5, -0, Infinity),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 20 }), fc.integer({ min: 1, max: 10 }), (values, rows) => {
        const ids = Float32Array.from(values);
        expect(outcome(() => checkRowIds('gather', ids, rows))).toBe(outcome(() => hostRowIds('gather', ids, rows)));
      }),
      { numRuns: 500 },
    );
  });
});
