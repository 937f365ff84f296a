import { afterAll, vi } from 'vitest';
import { eighObjectivesSuite } from '../eigh-objectives-suite.ts';

// hostEigh reads DFLC_LAPACK on its first call, which comes after this: the JavaScript fallback,
// as on a machine without a system LAPACK. Each test file loads its modules afresh.
vi.stubEnv('DFLC_LAPACK', 'off');
afterAll(() => vi.unstubAllEnvs());
eighObjectivesSuite(/^JavaScript Householder \+ QL \(DFLC_LAPACK=off\)$/);
