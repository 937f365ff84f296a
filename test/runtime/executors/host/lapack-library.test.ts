import { describe, expect, it } from 'vitest';
import { loadLapack } from '../../../../runtime/executors/host/lapack-library.ts';

describe('loadLapack', () => {
  it('keeps the JavaScript solver when DFLC_LAPACK=off', () => {
    expect(loadLapack('off')).toEqual({ reason: 'DFLC_LAPACK=off' });
  });

  it('names the path it could not load, without throwing', () => {
    const missing = loadLapack('/nonexistent/liblapack.so.3');
    expect('reason' in missing && missing.reason).toMatch(/^no LAPACK loaded \(\/nonexistent\/liblapack\.so\.3: /);
  });
});
