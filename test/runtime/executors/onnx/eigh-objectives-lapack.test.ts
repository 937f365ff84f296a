import { describe, it } from 'vitest';
import { lapackLibrary } from '../../../../runtime/executors/host/lapack-library.ts';
import { eighObjectivesSuite } from '../eigh-objectives-suite.ts';

// The platform's LAPACK (.ci/system/lapack.sh installs one for CI); skipped, with the reason, without.
const platform = lapackLibrary();
if ('dsyevd' in platform) eighObjectivesSuite(/^LAPACK dsyevd /);
else describe.skip(`spectral objectives on onnx with LAPACK (${platform.reason})`, () => it('needs a LAPACK'));
