import { it, expect } from 'vitest';
import { join } from 'node:path';
it('probe', async () => {
  const m = await import(join(import.meta.dirname, '../../../../tmp/exp/mod.ts'));
  expect(typeof m.f).toBe('function');
});
