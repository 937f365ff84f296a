import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAIR_MALLOC, parseMallocMode } from '../../bench/fair-malloc.ts';

const PROBE = join(import.meta.dirname, 'fixtures', 'malloc-probe.ts');

/** The probe's printed settings and exit status, run with `mode` from an environment with `env`'s MALLOC_ variables only. */
function probe(mode: string, env: Record<string, string> = {}): { seen: Record<string, string | null>; status: number | null } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MALLOC_')));
  const child = spawnSync(process.execPath, ['--import', 'tsx', PROBE, mode], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { seen: JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, string | null>, status: child.status };
}

describe.runIf(process.platform === 'linux')('the benches run both processes with glibc keeping freed memory', () => {
  it('sets every variable by running the script again, and passes its exit status on', () => {
    const { seen, status } = probe('fair');
    expect(seen).toEqual(FAIR_MALLOC);
    expect(status).toBe(3);
  });

  it("leaves glibc's own settings with --malloc default", () => {
    expect(probe('default').seen).toEqual(Object.fromEntries(Object.keys(FAIR_MALLOC).map((name) => [name, null])));
  });

  it("keeps a value the caller set and adds the others", () => {
    const { seen } = probe('fair', { MALLOC_TOP_PAD_: '1048576' });
    expect(seen).toEqual({ ...FAIR_MALLOC, MALLOC_TOP_PAD_: '1048576' });
  });
});

describe('--malloc', () => {
  it('takes fair or default, fair when absent, and names both when given anything else', () => {
    expect(parseMallocMode(undefined)).toBe('fair');
    expect(parseMallocMode('default')).toBe('default');
    expect(() => parseMallocMode('fast')).toThrow(/--malloc must be 'fair' .* or 'default' .*, got 'fast'/);
  });
});
