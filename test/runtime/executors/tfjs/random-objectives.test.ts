import { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { TEST_BACKENDS } from '../helpers.ts';
import { randomObjectivesSuite } from '../random-objectives-suite.ts';

for (const backend of TEST_BACKENDS) randomObjectivesSuite(`tfjs on ${backend}`, () => TfjsExecutor.create(backend));
