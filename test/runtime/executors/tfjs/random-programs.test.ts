import { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { TEST_BACKENDS } from '../helpers.ts';
import { randomProgramsSuite } from '../random-programs-suite.ts';

for (const backend of TEST_BACKENDS) randomProgramsSuite(`tfjs on ${backend}`, () => TfjsExecutor.create(backend));
