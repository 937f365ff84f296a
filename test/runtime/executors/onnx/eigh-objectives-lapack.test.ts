import { describe, it } from 'vitest';
import { hasRoutine } from '../../../../runtime/executors/host/lapack-eigh.ts';
import { lapackLibrary } from '../../../../runtime/executors/host/lapack-library.ts';
import { eighObjectivesSuite } from '../eigh-objectives-suite.ts';

// The platform's LAPACK (.ci/system/lapack.sh installs one for CI) with the float32 engines' default
// routine, ssyevd; skipped, with the reason, without.
const platform = lapackLibrary();
if ('dsyevd' in platform && hasRoutine(platform, 'ssyevd')) eighObjectivesSuite(/^LAPACK ssyevd /);
else describe.skip(`spectral objectives on onnx with LAPACK ssyevd (${'reason' in platform ? platform.reason : 'no ssyevd'})`, () => it('needs a LAPACK'));
