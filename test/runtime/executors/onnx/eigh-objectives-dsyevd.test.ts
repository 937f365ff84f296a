import { afterAll, describe, it, vi } from 'vitest';
import { lapackLibrary } from '../../../../runtime/executors/host/lapack-library.ts';
import { eighObjectivesSuite } from '../eigh-objectives-suite.ts';

// The float64 routine, as DFLC_EIGH_ROUTINE=dsyevd asks (read on each call, so set before the suite
// runs); skipped, with the reason, without a LAPACK.
vi.stubEnv('DFLC_EIGH_ROUTINE', 'dsyevd');
afterAll(() => vi.unstubAllEnvs());
const platform = lapackLibrary();
if ('dsyevd' in platform) eighObjectivesSuite(/^LAPACK dsyevd /);
else describe.skip(`spectral objectives on onnx with LAPACK dsyevd (${platform.reason})`, () => it('needs a LAPACK'));
